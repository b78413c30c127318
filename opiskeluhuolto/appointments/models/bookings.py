"""Booked times and the trail of every change to a request or a booking."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Institution, Student

from .hours import Mode, Service
from .requests import AppointmentRequest


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
