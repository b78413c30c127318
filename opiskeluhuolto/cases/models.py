"""Individual welfare: referrals, consents, cases, expert groups, guardian prohibitions.

Consents, memberships and prohibitions are statements of will and facts of
the register (LAW.md L-20-8): never edited in place. A withdrawal or an end
date is set once, through an action, and the action refuses to set it twice.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib.fields import EncryptedTextField
from opiskeluhuolto.organisation.models import (
    Institution,
    Provider,
    Role,
    RoleAssignment,
    Student,
)


class Referral(models.Model):
    """Yhteydenotto opiskeluhuoltoon (LAW.md L-16-1..4, L-15-1)."""

    class Channel(models.TextChoices):
        STAFF = "staff", _("staff member (§16)")
        SELF = "self", _("the student asked for help")
        GUARDIAN = "guardian", _("guardian")
        EXTERNAL = "external", _("outside professional (§16(3))")

    class GuardianNotice(models.TextChoices):
        NOT_APPLICABLE = "not_applicable", _("not applicable (adult student or self-referral)")
        PENDING = "pending", _("held until a welfare professional assesses the student's wish")
        SENT = "sent", _("sent")
        SUPPRESSED = "suppressed", _("suppressed: guardian prohibition (§18)")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CASE_OPENED = "case_opened", _("case opened")
        CLOSED = "closed", _("closed without a case")

    class ClosingReason(models.TextChoices):
        """LAW.md L-15-5: closing without a meeting needs a recorded reason."""

        ADVICE_ONLY = "advice_only", _("advice to the contacting person only")
        UNNECESSARY = "unnecessary", _("a discussion was obviously unnecessary")
        SUPPORTED = "supported", _("supported without an expert group")

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="referrals"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referrer_description = models.CharField(
        _("referrer (outside professional)"), max_length=200, blank=True
    )
    with_student = models.BooleanField(_("made together with the student"), default=False)
    reason = EncryptedTextField(_("what the welfare staff need to know"))
    student_wishes_no_guardian_notice = models.BooleanField(
        _("the student asked that the guardian not be told"), default=False
    )
    received_on = models.DateField(_("received on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    student_notice_due = models.DateField(_("student notice due"), null=True, blank=True)
    student_notified_at = models.DateTimeField(_("student told at"), null=True, blank=True)
    student_notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student told by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    student_notice_method = models.CharField(
        _("how the student was told"), max_length=100, blank=True
    )
    guardian_notice = models.CharField(
        _("guardian notice"), max_length=20, choices=GuardianNotice.choices
    )
    guardian_notice_at = models.DateTimeField(_("guardian notice at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    closing_reason = models.CharField(
        _("why no case was opened"), max_length=30, choices=ClosingReason.choices, blank=True
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    discussion_request = models.OneToOneField(
        "appointments.AppointmentRequest",
        verbose_name=_("request for a discussion (§15 clock)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referral",
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["institution", "status"], name="cases_referral_inst_status_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(with_student=True) | Q(student_notice_due__isnull=False),
                name="cases_referral_notice_due_without_student",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Referral')} {self.pk}"

    @property
    def needs_student_notice(self) -> bool:
        return not self.with_student and self.student_notified_at is None

    @property
    def starts_discussion_clock(self) -> bool:
        """The student's own request for help, a guardian's contact, and a referral made
        together with the student start the §15 clock (LAW.md L-15-5); a referral without
        the student starts the §16 notice instead."""
        return self.channel in (self.Channel.SELF, self.Channel.GUARDIAN) or self.with_student

    @property
    def is_students_own(self) -> bool:
        """The student's own request, or a referral made with the student: §15(2)'s "advice
        only" and "obviously unnecessary" do not close it (LAW.md L-15-5)."""
        return self.channel == self.Channel.SELF or self.with_student


class ConsentQuerySet(models.QuerySet):
    def active(self) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """A specified consent (LAW.md L-19-1..3, L-23-1, L-GDPR-8).

    Given by the student, or by the guardian with a recorded assessment that
    the student cannot judge what it means: never decided by a fixed age.
    """

    class Kind(models.TextChoices):
        EXPERT_GROUP = "expert_group", _("handling in an expert group")
        PARTICIPANTS = "participants", _("further participants")
        DISCLOSURE = "disclosure", _("disclosure to a named recipient")
        TRANSFER = "transfer", _("transfer to another provider (§23(3))")

    class GivenBy(models.TextChoices):
        STUDENT = "student", _("the student")
        GUARDIAN = "guardian", _("the guardian")

    class How(models.TextChoices):
        WRITTEN = "written", _("written, signed")
        ELECTRONIC = "electronic", _("electronic, identified")
        ORAL = "oral", _("oral, recorded by the professional")

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="consents"
    )
    case = models.ForeignKey(
        "Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    given_by = models.CharField(_("given by"), max_length=20, choices=GivenBy.choices)
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("guardian who consented"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity_assessment = EncryptedTextField(
        _("assessment of the student's capacity"),
        blank=True,
        help_text=_(
            "Why the student can or cannot judge what the consent means "
            "(age, development, the matter). Required when the guardian consents."
        ),
    )
    capacity_assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("capacity assessed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    how = models.CharField(_("how it was given"), max_length=20, choices=How.choices)
    given_on = models.DateField(_("given on"))
    named_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("named members"),
        blank=True,
        related_name="+",
    )
    named_roles = models.JSONField(
        _("roles written beside the names (a description; grants nothing)"),
        default=list,
        blank=True,
    )
    other_participants = EncryptedTextField(
        _("other participants (close persons, outside experts)"), blank=True
    )
    scope = EncryptedTextField(_("what the consent covers"), blank=True)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    recipient_provider = models.ForeignKey(
        Provider,
        verbose_name=_("receiving provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["given_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(given_by="student") | Q(guardian__isnull=False),
                name="cases_consent_guardian_named",
            ),
            models.CheckConstraint(
                condition=~Q(kind="transfer") | Q(recipient_provider__isnull=False),
                name="cases_consent_transfer_names_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.given_on:%d.%m.%Y}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def is_written(self) -> bool:
        """LAW.md L-19-1, L-22-2: written (signed, or electronic and identified). An oral
        consent is recorded as a note and is no basis for members or disclosure."""
        return self.how in WRITTEN_FORMS

    def covers(self, user) -> bool:
        """Does this written consent name `user` by name (LAW.md L-19-1, L-19-2)? A role
        written beside the names is a description and grants nothing by itself."""
        if not self.is_active or not self.is_written:
            return False
        return self.named_members.filter(pk=user.pk).exists()

    def named_role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels.get(r, r)) for r in self.named_roles]


#: The forms of consent that count as written (LAW.md L-19-1, §19(2) "kirjallinen").
WRITTEN_FORMS = frozenset({Consent.How.WRITTEN, Consent.How.ELECTRONIC})


class CaseQuerySet(models.QuerySet):
    def open(self) -> CaseQuerySet:
        return self.filter(status=Case.Status.OPEN)


class Case(models.Model):
    """A student's matter handled by an expert group (LAW.md L-14-*, L-19-1, L-21-2)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="cases"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    subject = EncryptedTextField(_("subject of the matter"))
    initiator = models.CharField(_("initiated by"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["student", "status"], name="cases_case_student_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_on__isnull=False),
                name="cases_case_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Case')} {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def active_memberships(self, on: date) -> models.QuerySet[ExpertGroupMembership]:
        return self.memberships.active_on(on).select_related("user")

    def responsible(self, on: date):
        m = (
            self.memberships.active_on(on)
            .filter(is_responsible=True)
            .select_related("user")
            .first()
        )
        return m.user if m else None

    def has_active_consent(self) -> bool:
        return self.consents.active().filter(kind=Consent.Kind.EXPERT_GROUP).exists()


class MembershipQuerySet(models.QuerySet):
    def open_on(self, day: date) -> MembershipQuerySet:
        """Memberships begun and not ended on `day`, whether or not they still give access."""
        return self.filter(Q(started_on__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gt=day))

    def active_on(self, day: date) -> MembershipQuerySet:
        """The memberships that make someone a member on `day`: begun, not ended, and the
        person still holds a role at the case's institution (or provider-wide) that day.
        Access ends with the job (LAW.md L-906-4). `CaseRules.member_case_ids` runs
        this query, compiled once per database."""
        roles = (
            RoleAssignment.objects.filter(user_id=OuterRef("user_id"))
            .valid_on(day)
            .filter(
                Q(institution_id=OuterRef("case__institution_id"))
                | Q(
                    institution__isnull=True, provider_id=OuterRef("case__institution__provider_id")
                )
            )
        )
        return self.open_on(day).filter(Exists(roles))

    def without_role_on(self, day: date) -> MembershipQuerySet:
        """Open memberships whose person no longer holds a role there: no access, and the
        responsible person is told (LAW.md L-906-4)."""
        return self.open_on(day).exclude(pk__in=self.active_on(day).values("pk"))


class ExpertGroupMembership(models.Model):
    """A member of a case's expert group, from a consent naming them (LAW.md L-19-2, L-19-4)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="case_memberships",
    )
    consent = models.ForeignKey(
        Consent, verbose_name=_("consent"), on_delete=models.PROTECT, related_name="memberships"
    )
    position = models.CharField(_("profession or position"), max_length=100)
    is_responsible = models.BooleanField(_("responsible person"), default=False)
    started_on = models.DateField(_("member from"))
    # The first day the person is no longer a member: ending today ends access now.
    ended_on = models.DateField(_("membership ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why the membership ended"), max_length=200, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert group membership")
        verbose_name_plural = _("expert group memberships")
        ordering = ["-is_responsible", "started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(ended_on__isnull=True),
                name="cases_membership_one_current_per_user",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ended_on__isnull=True, is_responsible=True),
                name="cases_membership_one_responsible",
            ),
        ]
        indexes = [models.Index(fields=["user", "ended_on"], name="cases_membership_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} ({self.position})"


class ProhibitionQuerySet(models.QuerySet):
    def in_force(self) -> ProhibitionQuerySet:
        return self.filter(lifted_at__isnull=True)


class GuardianProhibition(models.Model):
    """A minor's prohibition of the guardian's participation (LAW.md L-18-1, L-GDPR-5).

    With no case it covers all the student's welfare matters, and suppresses
    the guardian notice of referrals too (L-16-3).
    """

    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="guardian_prohibitions",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="prohibitions",
    )
    reason = EncryptedTextField(_("weighty reason given by the student"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by (social or health professional)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessor_profession = models.CharField(_("profession of the assessor"), max_length=100)
    assessment = EncryptedTextField(
        _("assessment of the minor's interest"),
        help_text=_("Why the prohibition is not clearly against the minor's interest."),
    )
    decided_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ProhibitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("guardian prohibition")
        verbose_name_plural = _("guardian prohibitions")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{_('Guardian prohibition')} {self.decided_on:%d.%m.%Y}"
