"""Requests for a discussion with welfare staff, with their legal deadline (LAW.md L-15-1),
and the messages about them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib.fields import EncryptedTextField
from opiskeluhuolto.organisation.models import Institution, Student

from .hours import DEADLINE_SERVICES, Service

if TYPE_CHECKING:
    from ..deadlines import DeadlineState


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
