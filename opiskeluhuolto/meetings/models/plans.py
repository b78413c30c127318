"""The welfare plan (opiskeluhuoltosuunnitelma), its versions, comments and publication.

LAW.md L-13-1: per institution or shared; the statutory sections, version
history, approval date and who took part. L-13-2: review reminders and
self-monitoring. L-13-3 / L-11-1: the approved version is public.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Institution, Provider

#: The statutory content of §13 (Act 377/2022, LAW.md §0.1), in order.
STATUTORY_SECTIONS = [
    ("goals", _("Goals and key principles of student welfare")),
    ("need", _("Overall need for welfare and the available welfare services")),
    ("communal", _("Measures to promote communal welfare and to arrange support")),
    ("cooperation", _("Cooperation with students, families, staff and partners")),
    ("protection", _("Protecting students from violence, bullying and harassment")),
    ("self_monitoring", _("Carrying out and following up the plan (self-monitoring)")),
]
#: The statutory content of the wellbeing county's regional plan, §13a (LAW.md §0.1), in order.
REGIONAL_SECTIONS = [
    ("goals", _("Goals and key principles of student welfare in the region")),
    ("cooperation", _("Cooperation of the wellbeing county and the education providers")),
    ("need", _("Assessed overall need for welfare in the region")),
    ("resources", _("Allocation of the welfare services' resources")),
    ("follow_up", _("Following up and evaluating the plan")),
    ("languages", _("Services in Finnish and Swedish (language rights)")),
]
STATUTORY_KEYS = {key for key, _label in STATUTORY_SECTIONS}


def statutory_sections(kind: str) -> list:
    """The sections the law requires of a plan of this kind (§13 or §13a)."""
    return REGIONAL_SECTIONS if kind == WelfarePlan.Kind.REGIONAL else STATUTORY_SECTIONS


class WelfarePlan(models.Model):
    class Kind(models.TextChoices):
        INSTITUTION = "institution", _("welfare plan of the provider (§13)")
        REGIONAL = "regional", _("regional welfare plan of the wellbeing county (§13a)")

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.INSTITUTION
    )
    # A regional plan is prepared and followed by the county's regional cooperation group
    # (§14a); `provider` is then the provider that keeps the group's record.
    group = models.ForeignKey(
        "meetings.Group",
        verbose_name=_("regional cooperation group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="regional_plans",
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    institutions = models.ManyToManyField(
        Institution,
        verbose_name=_("institutions"),
        related_name="welfare_plans",
        help_text=_("One institution, or several that share the plan."),
    )
    title = models.CharField(_("title"), max_length=200)
    review_interval_months = models.PositiveIntegerField(
        _("review interval (months)"),
        default=48,
        help_text=_("The law sets no interval; seed practice is once per council term."),
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    review_reminded_on = models.DateField(null=True, blank=True, editable=False)
    extra_sections = models.TextField(
        _("extra sections"),
        blank=True,
        help_text=_("One title per line, e.g. crisis plan, absence follow-up (core curricula)."),
    )

    class Meta:
        verbose_name = _("welfare plan")
        verbose_name_plural = _("welfare plans")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="regional") | Q(group__isnull=False),
                name="meetings_welfareplan_regional_has_group",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_regional(self) -> bool:
        return self.kind == self.Kind.REGIONAL

    def review_due(self, today: date) -> bool:
        return bool(self.next_review_on and self.next_review_on <= today)


class PlanVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        COMMENTS = "comments", _("open for comments")
        PUBLISHED = "published", _("approved and published")
        SUPERSEDED = "superseded", _("superseded")

    plan = models.ForeignKey(
        WelfarePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by_body = models.CharField(
        _("approved by"), max_length=200, blank=True, help_text=_("E.g. the board of the provider.")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    lock = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="meetings_planversion_unique_number"
            ),
            # At most one version under work and one published at a time.
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status__in=["draft", "comments"]),
                name="meetings_planversion_one_draft",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status="published"),
                name="meetings_planversion_one_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.COMMENTS)


class PlanSection(models.Model):
    version = models.ForeignKey(
        PlanVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="sections"
    )
    key = models.CharField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_statutory = models.BooleanField(_("required by law"), default=False)

    class Meta:
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="meetings_plansection_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanReference(models.Model):
    """What a regional plan is built on (§13a): a member provider's welfare plan, or a
    municipal wellbeing plan (a link), with the goals the regional plan shares with it.

    Part of a version's content like its sections: copied into a new draft, frozen once
    the version is published. Communal content only.
    """

    class Kind(models.TextChoices):
        PROVIDER_PLAN = "provider_plan", _("welfare plan of a member provider")
        MUNICIPAL = "municipal", _("municipal wellbeing plan")

    version = models.ForeignKey(
        PlanVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="references"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    plan = models.ForeignKey(
        WelfarePlan,
        verbose_name=_("welfare plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referenced_by",
    )
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), blank=True)
    shared_goals = models.TextField(
        _("shared goals"), blank=True, help_text=_("One goal per line.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("plan reference")
        verbose_name_plural = _("plan references")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="provider_plan") | Q(plan__isnull=False),
                name="meetings_planreference_provider_plan_has_plan",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def goals(self) -> list[str]:
        return [line.strip() for line in self.shared_goals.splitlines() if line.strip()]


class Participant(models.TextChoices):
    STAFF = "staff", _("staff")
    WELFARE_SERVICES = "welfare", _("welfare services")
    STUDENTS = "students", _("students")
    GUARDIANS = "guardians", _("guardians")
    PARTNERS = "partners", _("partners")


class PlanComment(models.Model):
    version = models.ForeignKey(
        PlanVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="comments"
    )
    section = models.ForeignKey(
        PlanSection,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    participant = models.CharField(_("as"), max_length=20, choices=Participant.choices)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan comment")
        verbose_name_plural = _("plan comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_participant_display()} {self.created_at:%Y-%m-%d}"


class ParticipationRecord(models.Model):
    """Who took part in drafting (LAW.md L-13-1): e.g. “student union Fokus heard 3.3.”."""

    version = models.ForeignKey(
        PlanVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="participation",
    )
    participant = models.CharField(_("who"), max_length=20, choices=Participant.choices)
    description = models.CharField(_("how they took part"), max_length=300)
    on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participation")
        ordering = ["on"]

    def __str__(self) -> str:
        return self.description


class PlanEvaluation(models.Model):
    """A self-monitoring (omavalvonta) note on how the plan is carried out (LAW.md L-13-2)."""

    plan = models.ForeignKey(
        WelfarePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="evaluations"
    )
    written_on = models.DateField(_("date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("evaluation"))

    class Meta:
        verbose_name = _("evaluation note")
        verbose_name_plural = _("evaluation notes")
        ordering = ["-written_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan} {self.written_on}"


class ServiceAnnouncement(models.Model):
    """The yearly announcement of welfare services to students and guardians (§11, L-11-1)."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+"
    )
    school_year = models.CharField(_("school year"), max_length=20)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("service announcement")
        verbose_name_plural = _("service announcements")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "school_year"], name="meetings_announcement_once_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.school_year}"
