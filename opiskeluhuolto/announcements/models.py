"""Announcements and newsletters, their deliveries (one row per recipient) and opt-outs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Campus, Institution, Provider, StudentGroup

LANGUAGES = ("fi", "sv", "en")


class Announcement(models.Model):
    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("announcement")
        NEWSLETTER = "newsletter", _("newsletter")

    class Audience(models.TextChoices):
        STUDENTS = "students", _("students")
        GUARDIANS = "guardians", _("guardians of minor students")
        STAFF = "staff", _("staff")
        WELFARE_GROUP = "welfare_group", _("a welfare group")
        EVERYONE = "everyone", _("students, guardians of minor students and staff")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
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
    campuses = models.ManyToManyField(
        Campus,
        verbose_name=_("campuses"),
        blank=True,
        related_name="+",
        help_text=_("Several campuses; none chosen: as the campus."),
    )
    student_group = models.ForeignKey(
        StudentGroup,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starting_year = models.PositiveSmallIntegerField(
        _("starting year"),
        null=True,
        blank=True,
        help_text=_("Students who started in this year (the year their study right began)."),
    )
    welfare_group = models.ForeignKey(
        "meetings.Group",
        verbose_name=_("welfare group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title_fi = models.CharField(_("title (Finnish)"), max_length=200)
    body_fi = models.TextField(_("text (Finnish)"))
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    body_sv = models.TextField(_("text (Swedish)"), blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Also shown in the archive on the institution's public welfare page."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    #: The clock item ("communication") and the year this draft was created for.
    clock_item = models.ForeignKey(
        "annualclock.ClockItem",
        verbose_name=_("clock item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    clock_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-sent_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["clock_item", "clock_year"], name="announcements_one_draft_per_clock_year"
            ),
        ]

    def __str__(self) -> str:
        return self.title_fi

    def campus_ids(self) -> list[int]:
        """The campuses of the audience: the campus, or the several chosen (none: all)."""
        if self.campus_id:
            return [self.campus_id]
        return [c.pk for c in self.campuses.all()] if self.pk else []

    def title_in(self, language: str) -> str:
        """The reader's language, falling back to Finnish."""
        return getattr(self, f"title_{language}", "") or self.title_fi

    def body_in(self, language: str) -> str:
        if getattr(self, f"title_{language}", ""):
            return getattr(self, f"body_{language}", "") or self.body_fi
        return self.body_fi


class Delivery(models.Model):
    """One recipient of one announcement: the in-app copy and the e-mail state.

    Unique per (announcement, user): queueing twice, or resuming a send that stopped
    midway, never makes a second row, and the sender only picks rows still pending.
    """

    class Email(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        BOUNCED = "bounced", _("bounced")
        NONE = "none", _("no e-mail address")

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="announcement_deliveries"
    )
    language = models.CharField(max_length=2, default="fi")
    email = models.CharField(max_length=254, blank=True)
    email_status = models.CharField(max_length=10, choices=Email.choices, default=Email.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    #: A failed e-mail is tried again from this time on (backoff), until MAX_ATTEMPTS.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "user"], name="announcements_one_delivery_per_user"
            ),
        ]
        indexes = [models.Index(fields=["announcement", "email_status"])]

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.user_id}"


class Preference(models.Model):
    """A reader's language for announcements, and the providers whose newsletters they left."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="announcement_preference"
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        default="fi",
        choices=[("fi", "suomi"), ("sv", "svenska"), ("en", "English")],
    )

    def __str__(self) -> str:
        return self.language


class Unsubscription(models.Model):
    """No more newsletters of this provider (announcements the law requires still come)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="announcements_unsub_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ✕ {self.provider_id}"
