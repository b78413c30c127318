"""A professional's time: the services, weekly hours and their exceptions, the contact
channel, the version of the free times, the calendar feed and group work."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Campus, Institution, Role

#: The services a request or a booking can be for (the professional's role).
SERVICE_ROLES = (Role.SOCIAL_WORKER, Role.PSYCHOLOGIST, Role.NURSE, Role.DOCTOR)


#: The §15 time limits apply to the kuraattori and the psychologist (LAW.md L-15-2).
DEADLINE_SERVICES = frozenset({Role.SOCIAL_WORKER, Role.PSYCHOLOGIST})


class Service(models.TextChoices):
    SOCIAL_WORKER = Role.SOCIAL_WORKER.value, _("kuraattori (school social worker)")
    PSYCHOLOGIST = Role.PSYCHOLOGIST.value, _("psychologist")
    NURSE = Role.NURSE.value, _("school nurse")
    DOCTOR = Role.DOCTOR.value, _("doctor")


class Mode(models.TextChoices):
    """How the meeting is held; a booking with a remote meeting carries its link."""

    ON_SITE = "on_site", _("in person at the institution")
    PHONE = "phone", _("by phone")
    REMOTE = "remote", _("remote (video)")


class Availability(models.Model):
    """Recurring weekly hours of one professional at one institution."""

    class Kind(models.TextChoices):
        BOOKABLE = "bookable", _("bookable appointments")
        WALK_IN = "walk_in", _("walk-in hours (no appointment needed)")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")

    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.CASCADE,
        related_name="appointment_hours",
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+"
    )
    campus = models.ForeignKey(
        Campus,
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BOOKABLE)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("length of one appointment (min)"), default=45
    )
    mode = models.CharField(_("where"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    place = models.CharField(_("place"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly hours")
        verbose_name_plural = _("weekly hours")
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="appointments_availability_starts_before_end",
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=10) & Q(slot_minutes__lte=240),
                name="appointments_availability_slot_length",
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "weekday"], name="appt_avail_inst_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class AvailabilityException(models.Model):
    """A day (or part of it) the professional is away, or extra hours on one date."""

    class Kind(models.TextChoices):
        AWAY = "away", _("away (no appointments)")
        EXTRA = "extra", _("extra bookable hours")

    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.CASCADE,
        related_name="appointment_exceptions",
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AWAY)
    day = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(
        _("length of one appointment (min)"), default=45
    )
    mode = models.CharField(_("where"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("exception to weekly hours")
        verbose_name_plural = _("exceptions to weekly hours")
        ordering = ["day", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(starts_at__lt=models.F("ends_at")),
                name="appointments_exception_time_range",
            ),
            models.CheckConstraint(
                condition=Q(kind="away") | Q(starts_at__isnull=False),
                name="appointments_exception_extra_needs_times",
            ),
        ]
        indexes = [
            models.Index(fields=["professional", "day"], name="appt_exc_prof_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day:%d.%m.%Y}"


class ContactChannel(models.Model):
    """How to reach a professional at once, e.g. the nurse's phone hours (LAW.md L-17-2)."""

    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.CASCADE,
        related_name="contact_channels",
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+"
    )
    phone = models.CharField(_("phone"), max_length=40)
    hours = models.CharField(
        _("phone hours"), max_length=200, help_text=_("For example: Mon–Fri 8.00–9.00 and 12–13.")
    )

    class Meta:
        verbose_name = _("contact channel")
        verbose_name_plural = _("contact channels")
        constraints = [
            models.UniqueConstraint(
                fields=["professional", "institution"], name="appointments_contact_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.phone


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private iCalendar feed of one professional's bookings; the token is the key.

    The feed carries no student names (only "Varattu aika" and initials), so a
    leaked address shows busy times, not who comes. Revoking sets revoked_at.
    """

    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["professional"],
                condition=Q(revoked_at__isnull=True),
                name="appointments_feed_one_active",
            ),
        ]

    def __str__(self) -> str:
        return str(_("calendar feed"))


class FreeTimesVersion(models.Model):
    """The version of one professional's free times, the key of their cached free times.

    A random token that database triggers change in the same transaction as every write
    to the professional's weekly hours, exceptions or bookings (`slots.FREE_TIMES_TABLES`,
    migration 0004), so a page that reads the new version after the commit computes the
    free times again from the new rows. Kept in the database, not the cache, so every
    server process sees the same version.
    """

    # No foreign-key constraint in the database: the triggers write a version for the
    # professional of every deleted row, also while the person themselves is being deleted
    # (or the tables flushed); a version left behind for a deleted person is harmless.
    professional = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.version)


class GroupWork(models.Model):
    """A session of group or communal work by a kuraattori or a psychologist (a class
    visit, a group of students, the welfare group's work): counted in the visit
    statistics. No names: the number of participants only."""

    class Kind(models.TextChoices):
        GROUP = "group", _("group work with students")
        COMMUNAL = "communal", _("communal welfare work (class visits, theme days, groups)")

    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.PROTECT,
        related_name="group_work",
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    campus = models.ForeignKey(
        Campus,
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    service = models.CharField(_("service"), max_length=30, choices=Service.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    day = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(_("duration (min)"), default=45)
    participants = models.PositiveSmallIntegerField(_("participants"), default=0)

    class Meta:
        verbose_name = _("group or communal work")
        verbose_name_plural = _("group and communal work")
        ordering = ["-day", "-pk"]
        indexes = [models.Index(fields=["institution", "day"], name="appt_groupwork_inst_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day:%d.%m.%Y}"
