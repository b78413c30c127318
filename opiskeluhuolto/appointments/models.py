"""Appointments with welfare staff within the legal time limits (LAW.md §1.1–1.3).

Availability (weekly hours + exceptions), requests with their legal deadline,
bookings, the per-professional calendar feed and the event trail. State
changes go through `actions.py`; double booking is refused by the database.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib.fields import EncryptedTextField
from opiskeluhuolto.organisation.models import Campus, Institution, Role, Student

if TYPE_CHECKING:
    from .deadlines import DeadlineState

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


class AppointmentRequestQuerySet(models.QuerySet):
    def open(self) -> AppointmentRequestQuerySet:
        """Requests still waiting for a first time (no booking, not closed)."""
        return self.filter(status=AppointmentRequest.Status.OPEN)

    def unresolved(self) -> AppointmentRequestQuerySet:
        return self.filter(
            status__in=[AppointmentRequest.Status.OPEN, AppointmentRequest.Status.BOOKED]
        )

    def due_on_or_before(self, day: date) -> AppointmentRequestQuerySet:
        return self.filter(deadline__lte=day)

    def by_deadline(self) -> AppointmentRequestQuerySet:
        return self.order_by(models.F("deadline").asc(nulls_first=True), "requested_at", "pk")


class AppointmentRequest(models.Model):
    """A request for a discussion with welfare staff (LAW.md L-15-1).

    The deadline is computed from the institution's calendar when the request
    is made (L-15-2) and recomputed when a professional sets the urgency
    (L-15-3). The first offered time is kept for the compliance report (L-15-4).
    A request leaves the open list only with a recorded outcome (L-15-5).
    """

    if TYPE_CHECKING:
        # Attached by `display.with_states` for the pages and the API.
        state: DeadlineState
        deadline_html: str

    class RequestedBy(models.TextChoices):
        STUDENT = "student", _("the student")
        GUARDIAN = "guardian", _("a guardian")
        OTHER = "other", _("another person")
        STAFF = "staff", _("staff (referral)")

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PHONE = "phone", _("phone")
        IN_PERSON = "in_person", _("in person")
        EMAIL = "email", _("e-mail or message")

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for a time")
        BOOKED = "booked", _("time given")
        HELD = "held", _("discussion held")
        CLOSED = "closed", _("closed without a discussion")

    class Topic(models.TextChoices):
        STUDIES = "studies", _("studies and coping")
        MOOD = "mood", _("mood and feelings")
        RELATIONSHIPS = "relationships", _("friends and relationships")
        HOME = "home", _("home and family")
        HEALTH = "health", _("health")
        SUBSTANCES = "substances", _("alcohol, drugs or gaming")
        OTHER = "other", _("something else")

    class CloseReason(models.TextChoices):
        ADVICE_ONLY = "advice_only", _("advice and guidance to the contacting person only")
        UNNECESSARY = "unnecessary", _("a discussion is obviously unnecessary")
        WITHDRAWN = "withdrawn", _("the student withdrew the request")

    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="appointment_requests",
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.CharField(_("service"), max_length=30, choices=Service.choices)
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_appointment_requests",
    )
    requested_by = models.CharField(_("requested by"), max_length=10, choices=RequestedBy.choices)
    requested_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester's account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requester_description = models.CharField(
        _("who contacted"),
        max_length=200,
        blank=True,
        help_text=_("For another person: e.g. 'a youth worker'. No identity codes."),
    )
    made_with_student = models.BooleanField(
        _("made together with the student"),
        default=False,
        help_text=_("A staff referral made with the student counts as the student's own."),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, blank=True)
    # Confidential: encrypted like the register's texts, removed with the request.
    topic_text = EncryptedTextField(_("what it is about, in the student's words"), blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    request_day = models.DateField(_("request day"))
    urgent = models.BooleanField(_("urgent"), default=False)
    urgency_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("urgency assessed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    urgency_set_at = models.DateTimeField(_("urgency assessed at"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    first_offer_start = models.DateTimeField(_("first offered time"), null=True, blank=True)
    first_offer_made_at = models.DateTimeField(_("first time offered at"), null=True, blank=True)
    first_offer_working_days = models.PositiveSmallIntegerField(
        _("working days to the first offered time"), null=True, blank=True
    )
    deadline_met = models.BooleanField(_("deadline met"), null=True, blank=True)
    close_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    warned_at = models.DateTimeField(_("deadline warning sent at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = AppointmentRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment request")
        verbose_name_plural = _("appointment requests")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(close_reason=""),
                name="appointments_request_closed_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(urgent=False) | Q(urgency_set_by__isnull=False),
                name="appointments_request_urgency_by_professional",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="appt_req_status_deadline_idx"),
            models.Index(fields=["institution", "request_day"], name="appt_req_inst_day_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_service_display()}"

    @property
    def has_legal_deadline(self) -> bool:
        return self.service in DEADLINE_SERVICES

    @property
    def is_students_own(self) -> bool:
        """The student's own request, or a staff referral made with the student (LAW.md
        L-15-5): it cannot be closed as advice only or as obviously unnecessary."""
        return self.requested_by == self.RequestedBy.STUDENT or self.made_with_student


class RequestMessage(models.Model):
    """A short message about a request between the student (or guardian) and the staff.

    Confidential like the request's own words: encrypted, shown only to those who see
    the request, every showing read-logged as the request's read, removed with the
    request under the retention rules (`retention.py`).
    """

    request = models.ForeignKey(
        AppointmentRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="messages",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_staff = models.BooleanField(_("from the welfare staff"), default=False)
    body = EncryptedTextField(_("message"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("message about a request")
        verbose_name_plural = _("messages about requests")
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["request", "sent_at"], name="appt_msg_request_idx")]

    def __str__(self) -> str:
        return f"{self.sent_at:%d.%m.%Y %H:%M}"


class BookingQuerySet(models.QuerySet):
    def active(self) -> BookingQuerySet:
        return self.filter(status=Booking.Status.ACTIVE)

    def between(self, start: datetime, end: datetime) -> BookingQuerySet:
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def upcoming(self) -> BookingQuerySet:
        return self.active().filter(ends_at__gte=timezone.now())


class Booking(models.Model):
    """A booked time with a professional. Only one active booking per professional and time.

    The database refuses a double booking: a unique active slot start on every
    database, and on PostgreSQL an exclusion constraint over the time range
    (see the migration `0002_booking_no_overlap`).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("booked")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.PROTECT,
        related_name="appointment_bookings",
    )
    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="bookings"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    request = models.ForeignKey(
        AppointmentRequest,
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    service = models.CharField(_("service"), max_length=30, choices=Service.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(_("where"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    place = models.CharField(_("place"), max_length=200, blank=True)
    meeting_link = models.URLField(
        _("meeting link"),
        max_length=500,
        blank=True,
        help_text=_("For a remote meeting: the address of the video meeting (e.g. Teams)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="appointments_booking_starts_before_end",
            ),
            # Portable fallback of the PostgreSQL exclusion constraint: two active
            # bookings of one professional never start at the same moment.
            models.UniqueConstraint(
                fields=["professional", "starts_at"],
                condition=Q(status="active"),
                name="appointments_booking_unique_active_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["professional", "starts_at"], name="appt_booking_prof_start_idx"),
            models.Index(fields=["student", "starts_at"], name="appt_booking_student_idx"),
            # The work list: an institution's active bookings in the coming two weeks,
            # found without reading the bookings of past years (issue 21, item 3).
            models.Index(
                fields=["institution", "starts_at"],
                condition=Q(status="active"),
                name="appt_booking_inst_active_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%d.%m.%Y %H:%M}"


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


class AppointmentEvent(models.Model):
    """The trail of every change to a request or a booking (who, what, when). No free text."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("request received")
        URGENCY = "urgency", _("urgency assessed")
        BOOKED = "booked", _("time booked")
        CANCELLED = "cancelled", _("booking cancelled")
        REBOOKED = "rebooked", _("booking moved")
        HELD = "held", _("discussion held")
        CLOSED = "closed", _("closed without a discussion")
        WARNED = "warned", _("deadline warning sent")
        MEETING = "meeting", _("how to meet changed")

    request = models.ForeignKey(
        AppointmentRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("appointment event")
        verbose_name_plural = _("appointment events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["request", "at"], name="appt_event_request_idx")]

    def __str__(self) -> str:
        return self.get_kind_display()


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
