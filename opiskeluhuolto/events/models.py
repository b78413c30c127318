"""Events and campaigns (a theme week of several events), registrations and attendance."""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import (
    Campus,
    Institution,
    Provider,
    Student,
    StudentGroup,
)

AUDIENCE_CHOICES = [
    ("students", _("students")),
    ("guardians", _("guardians of minor students")),
    ("staff", _("staff")),
    ("everyone", _("students, guardians and staff")),
]


class CampusesAndLanguages:
    """What campaigns and events share: their chosen campuses (none: every campus of the
    institution) and their texts in the reader's language, falling back to Finnish.

    `FINNISH` maps a text's base name to its Finnish field (a campaign's `name`, an
    event's `title_fi`); the other languages are `<base>_<language>`.
    """

    FINNISH: ClassVar[dict[str, str]] = {}

    def campus_ids(self) -> list[int]:
        if not self.pk:  # type: ignore[attr-defined]
            return []
        return [c.pk for c in self.campuses.all()]  # type: ignore[attr-defined]

    def text_in(self, base: str, language: str) -> str:
        """The text in the reader's language, falling back to Finnish."""
        return getattr(self, f"{base}_{language}", "") or getattr(self, self.FINNISH[base])

    def description_in(self, language: str) -> str:
        return self.text_in("description", language)


class Campaign(CampusesAndLanguages, models.Model):
    """Several events under one name, e.g. Hyvinvointi virtaa -viikko."""

    FINNISH = {"name": "name", "description": "description"}

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.ForeignKey(
        "meetings.Group",
        verbose_name=_("organiser group"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    campuses = models.ManyToManyField(
        Campus,
        verbose_name=_("campuses"),
        blank=True,
        related_name="+",
        help_text=_("None chosen: every campus of the institution."),
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=AUDIENCE_CHOICES, default="everyone"
    )
    name = models.CharField(_("name (Finnish)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (Finnish)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str) -> str:
        return self.text_in("name", language)


class Event(CampusesAndLanguages, models.Model):
    FINNISH = {"title": "title_fi", "description": "description_fi"}

    class Audience(models.TextChoices):
        STUDENTS = "students", _("students")
        GUARDIANS = "guardians", _("guardians of minor students")
        STAFF = "staff", _("staff")
        EVERYONE = "everyone", _("students, guardians and staff")

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    campuses = models.ManyToManyField(
        Campus,
        verbose_name=_("campuses"),
        blank=True,
        related_name="+",
        help_text=_("None chosen: every campus of the institution."),
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    organiser = models.ForeignKey(
        "meetings.Group",
        verbose_name=_("organiser group"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    student_group = models.ForeignKey(
        StudentGroup,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: every group. Narrows the students and guardians of the audience."),
    )
    starting_year = models.PositiveSmallIntegerField(
        _("starting year"),
        null=True,
        blank=True,
        help_text=_("Students who started in this year, and their guardians."),
    )
    title_fi = models.CharField(_("title (Finnish)"), max_length=200)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fi = models.TextField(_("description (Finnish)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    remote_link = models.URLField(_("remote link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration = models.BooleanField(_("registration"), default=False)
    head_count = models.PositiveIntegerField(
        _("head count"),
        null=True,
        blank=True,
        help_text=_("Attendance counted at the door, when it was not marked from the list."),
    )
    clock_item = models.ForeignKey(
        "annualclock.ClockItem",
        verbose_name=_("fulfils the clock item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True)
    feedback = models.BooleanField(
        _("feedback survey after the event"),
        default=False,
        help_text=_(
            "The participants get a short anonymous feedback survey of the survey tool "
            "when the event has ended (at least five participants)."
        ),
    )
    feedback_survey = models.ForeignKey(
        "surveys.Survey",
        verbose_name=_("feedback survey"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="events_event_starts_before_end",
            ),
        ]

    def __str__(self) -> str:
        return self.title_fi

    def title_in(self, language: str) -> str:
        return self.text_in("title", language)


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    #: The student the registration counts for (the student, or the guardian's child), for
    #: participation by campus and group; None for staff.
    student = models.ForeignKey(
        Student, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    attended = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="events_one_registration_each"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.user_id} ({self.status})"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private iCalendar address of one student's or guardian's communal calendar."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar subscription address")
        verbose_name_plural = _("calendar subscription addresses")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.created_at:%Y-%m-%d}"
