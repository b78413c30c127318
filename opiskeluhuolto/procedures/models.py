"""Procedures (toimintaohjeet) with versions, read confirmations, and safety records.

A procedure belongs to an owner group (a welfare group of `meetings`), has a scope
(the provider, an institution or a campus; a campus procedure may adapt the provider's
or institution's one) and an audience. Its text lives in versions: structured steps,
each with the responsible role, attachments, a change note, who approved it and when,
and a review date. Old versions stay readable; the newest published one is current.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.annualclock.models import ClockItem
from opiskeluhuolto.meetings.models import Group
from opiskeluhuolto.organisation.models import Campus, Institution, Provider


class Kind(models.TextChoices):
    BULLYING = "bullying", _("bullying, violence and harassment")
    CRISIS = "crisis", _("crisis plan")
    SUBSTANCE = "substance", _("substance use")
    ABSENCES = "absences", _("absences")
    SAFETY = "safety", _("campus safety and crisis plan")
    OTHER = "other", _("other")


class Audience(models.TextChoices):
    STAFF = "staff", _("staff")
    STUDENTS = "students", _("students")
    GUARDIANS = "guardians", _("guardians")
    PUBLIC = "public", _("public")


class Procedure(models.Model):
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    campus = models.ForeignKey(
        Campus,
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    adapts = models.ForeignKey(
        "self",
        verbose_name=_("adapts the procedure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adaptations",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    owner_group = models.ForeignKey(
        Group, verbose_name=_("owner group"), on_delete=models.PROTECT, related_name="+"
    )
    followers = models.ManyToManyField(
        Group, verbose_name=_("groups that follow it"), blank=True, related_name="+"
    )
    audience = models.JSONField(_("audience"), default=list)
    must_know_roles = models.JSONField(
        _("staff roles who must confirm reading it"), default=list, blank=True
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person for incidents"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    follow_up_days = models.PositiveSmallIntegerField(
        _("days to follow an incident up"), default=14
    )
    review_remind_days = models.PositiveSmallIntegerField(
        _("days before the review date the owner is reminded"), default=30
    )
    #: Bumped on every save of the settings page: concurrent edits never overwrite silently.
    settings_lock = models.PositiveIntegerField(default=0, editable=False)
    #: Keys of the welfare plan's statutory sections (`meetings.PlanSection.key`) that rely
    #: on this procedure: the link is held here so that `meetings` never imports this app.
    plan_section_keys = models.JSONField(_("welfare plan sections"), default=list, blank=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["provider", "kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(campus__isnull=True) | Q(institution__isnull=False),
                name="procedures_campus_needs_institution",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def unit(self):
        return self.campus or self.institution or self.provider

    def current(self) -> ProcedureVersion | None:
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    summary = models.TextField(_("summary"), blank=True)
    #: [{"text": "...", "role": "<Role value or free text>"}], in Finnish.
    steps = models.JSONField(_("steps"), default=list)
    #: {"sv": {"title", "summary", "steps"}, "en": {...}}: the same text in other languages.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    change_note = models.TextField(_("what changed"), blank=True)
    review_on = models.DateField(_("review by"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    review_reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"], name="procedures_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(approved_at__isnull=False),
                name="procedures_published_needs_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure} v{self.number}"

    def localized(self, language: str | None = None) -> dict:
        """Title, summary and steps in the reader's language, Finnish when not translated."""
        language = (language or get_language() or "fi")[:2]
        base = {"title": self.procedure.title, "summary": self.summary, "steps": self.steps}
        other = self.translations.get(language) or {}
        return {key: other.get(key) or value for key, value in base.items()}

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


def attachment_path(attachment: Attachment, filename: str) -> str:
    """Stored under a random name (the original name is kept in `filename`): a path under
    MEDIA_ROOT tells nothing, and two versions' files never collide."""
    return f"procedures/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Attachment(models.Model):
    """A file of a version (read with the version: same audience, `access.procedures`), or
    a link. Added and removed while the version is a draft; a new draft starts with the
    current version's attachments (the same stored files)."""

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path, blank=True)
    url = models.URLField(_("address"), blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class ReadConfirmation(models.Model):
    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="confirmations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("read by"), on_delete=models.CASCADE
    )
    at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    class Meta:
        verbose_name = _("read confirmation")
        verbose_name_plural = _("read confirmations")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="procedures_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.user_id}"


class SafetyRecord(models.Model):
    """A held drill (lockdown, evacuation) or a safety walk on a campus."""

    class Kind(models.TextChoices):
        LOCKDOWN = "lockdown", _("lockdown drill")
        EVACUATION = "evacuation", _("evacuation drill")
        SAFETY_WALK = "safety_walk", _("safety walk")

    campus = models.ForeignKey(
        Campus, verbose_name=_("campus"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=0)
    groups = models.CharField(_("groups that took part"), max_length=300, blank=True)
    findings = models.TextField(_("what was found"), blank=True)
    clock_item = models.ForeignKey(
        ClockItem,
        verbose_name=_("annual clock item it fulfils"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("drill or safety walk")
        verbose_name_plural = _("drills and safety walks")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class CorrectiveAction(models.Model):
    record = models.ForeignKey(
        SafetyRecord,
        verbose_name=pgettext_lazy("safety walk or drill", "record"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    description = models.CharField(_("what is to be done"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT
    )
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up notes"), blank=True)

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    def is_overdue(self, today=None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())
