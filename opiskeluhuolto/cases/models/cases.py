"""A student's case and its expert group: the members, each on a consent, for a time."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib.choices import ChoiceLabels
from opiskeluhuolto.lib.fields import EncryptedTextField
from opiskeluhuolto.organisation.models import (
    Institution,
    RoleAssignment,
    Student,
)

from .consents import Consent
from .referrals import Referral


class CaseQuerySet(models.QuerySet):
    def open(self) -> CaseQuerySet:
        return self.filter(status=Case.Status.OPEN)


class Case(ChoiceLabels):
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
    # LAW.md L-20-1 (377/2022): what has led to the matter. Blank only on cases opened
    # before the field existed; `expert_groups.open_case` requires it.
    background = EncryptedTextField(_("background of the matter"), blank=True)
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
