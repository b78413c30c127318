"""Knowledge-based management: early-warning rules, the care-conversation tasks they open,
and the notices sent to guardians of minors.

Thresholds are local policy, not law (LAW.md L-ABS-4): every rule and step is
configurable per institution and education level. Absence data stays apart from
the welfare register (L-ABS-6): a task records that a care conversation
happened, never welfare-register content.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Institution, Provider, Student


class WarningRule(models.Model):
    """One early-warning rule. Applies to one institution, or to every institution of the
    provider at one education level (or every level when `level` is blank)."""

    class Kind(models.TextChoices):
        ABSENCE_HOURS = "absence_hours", _("absence hours this school year")
        UNEXPLAINED_SHARE = "unexplained_share", _("share of unexplained absences")
        CONSECUTIVE_DAYS = "consecutive_days", _("consecutive absent days")
        PROGRESS_BEHIND = "progress_behind", _("study progress behind plan")

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="+"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    level = models.CharField(
        _("education level"), max_length=20, choices=Institution.Level.choices, blank=True
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    window_weeks = models.PositiveSmallIntegerField(
        _("weeks looked back"),
        default=4,
        help_text=_("For the share of unexplained absences and consecutive absent days."),
    )
    minors_only = models.BooleanField(
        _("only students under 18"),
        default=False,
        help_text=_("Progress behind plan is followed for those in compulsory education."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("early-warning rule")
        verbose_name_plural = _("early-warning rules")
        ordering = ["provider", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class WarningStep(models.Model):
    """A threshold of a rule and the action it requires (e.g. 30 h → contact home)."""

    class Action(models.TextChoices):
        CONTACT_HOME = "contact_home", _("contact home")
        INVOLVE_KURAATTORI = "involve_kuraattori", _("involve the kuraattori")
        CONVENE_GROUP = "convene_group", _("convene the expert group")
        CLARIFY_DROPOUT = "clarify_dropout", _("clarify the situation with the student")

    rule = models.ForeignKey(
        WarningRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="steps"
    )
    threshold = models.PositiveIntegerField(
        _("threshold"), help_text=_("Hours, per cent, or days, by the kind of the rule.")
    )
    action = models.CharField(_("required action"), max_length=30, choices=Action.choices)

    class Meta:
        verbose_name = _("early-warning step")
        verbose_name_plural = _("early-warning steps")
        ordering = ["rule", "threshold"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "threshold"], name="insights_warningstep_unique_threshold"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule.name} ≥ {self.threshold}"


class CareTaskQuerySet(models.QuerySet):
    def open(self) -> CareTaskQuerySet:
        return self.exclude(status=CareTask.Status.RESOLVED)

    def for_supervisor(self, user) -> CareTaskQuerySet:
        return self.filter(Q(assignee=user) | Q(student__group__supervisor=user))


class CareTask(models.Model):
    """A care conversation (huolenpitokeskustelu) the group supervisor has to hold.

    Opened once per student × step × school year (a database constraint), so a
    nightly evaluation never opens the same task twice.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("new")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        RESOLVED = "resolved", _("conversation held")

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="+"
    )
    step = models.ForeignKey(
        WarningStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="tasks"
    )
    year_start = models.DateField(_("school year start"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("group supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    value = models.PositiveIntegerField(_("measured value"))
    triggered_on = models.DateField(_("triggered on"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    conversation_on = models.DateField(_("conversation held on"), null=True, blank=True)
    agreed = models.TextField(_("what was agreed"), blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = CareTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("care-conversation task")
        verbose_name_plural = _("care-conversation tasks")
        ordering = ["status", "-triggered_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "step", "year_start"], name="insights_caretask_once_per_step"
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "status"], name="insights_task_assignee_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.step} – {self.triggered_on}"


class TaskEvent(models.Model):
    """The audit trail of a care-conversation task, written by each action."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("opened")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        RESOLVED = "resolved", _("conversation recorded")

    task = models.ForeignKey(CareTask, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at}"


class GuardianNotice(models.Model):
    """A notice to a minor's guardian of unexplained absences in one week (LAW.md L-ABS-1, L-ABS-2)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    week = models.DateField()
    hours = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["student", "guardian", "week"], name="insights_guardiannotice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week}: {self.hours}"
