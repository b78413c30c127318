"""Communal spaces (Luksia's yhteisöllinen tila, seed 004): a space of a campus, its
bookings, the partners' regular service hours in it, and the visitors counted."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Campus


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Space(models.Model):
    campus = models.ForeignKey(
        Campus, verbose_name=_("campus"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    #: Bumped by every booking: the UPDATE takes the row's write lock first, so bookings of
    #: one space are serialised on every database (actions.book).
    bookings_version = models.PositiveIntegerField(default=0, editable=False)
    #: The opening hours: bookings fall within them (`actions.book`). The weekdays as
    #: digits, 0 Monday … 6 Sunday; by default Monday to Friday 8–16.
    open_weekdays = models.CharField(_("open on"), max_length=7, default="01234")
    opens_at = models.TimeField(_("opens"), default=time(8))
    closes_at = models.TimeField(_("closes"), default=time(16))

    class Meta:
        verbose_name = _("communal space")
        verbose_name_plural = _("communal spaces")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["campus", "name"], name="spaces_space_unique_name"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="spaces_space_opening_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def weekdays(self) -> list[int]:
        return sorted({int(d) for d in self.open_weekdays if d in "0123456"})

    def opening_days_display(self) -> str:
        """The open weekdays in words, e.g. "Monday, Tuesday"."""
        return ", ".join(str(Weekday(d).label) for d in self.weekdays())


class ServiceHours(models.Model):
    """A partner's regular hours in the space, e.g. youth work on Tuesdays 12–16."""

    Weekday = Weekday

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="service_hours")
    organisation = models.CharField(_("partner organisation"), max_length=200)
    service = models.CharField(_("service"), max_length=200, blank=True)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))
    public = models.BooleanField(
        _("shown to students"), default=True, help_text=_("Otherwise only staff see these hours.")
    )

    class Meta:
        verbose_name = _("service hours")
        verbose_name_plural = _("service hours")
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="spaces_hours_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_weekday_display()} {self.starts_at:%H.%M}"


class Booking(models.Model):
    class Kind(models.TextChoices):
        GROUP = "group", _("group")
        PARTNER = "partner", _("partner")
        STAFF = "staff", _("staff")

    class Status(models.TextChoices):
        ACTIVE = "active", _("booked")
        CANCELLED = "cancelled", _("cancelled")

    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    kind = models.CharField(_("booked by"), max_length=10, choices=Kind.choices)
    group = models.ForeignKey(
        "meetings.Group",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="spaces_booking_order"
            ),
            # Portable: no two active bookings of a space start at the same moment. On
            # PostgreSQL an exclusion constraint refuses any overlap (migration 0002).
            models.UniqueConstraint(
                fields=["space", "starts_at"],
                condition=Q(status="active"),
                name="spaces_booking_unique_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.space} {self.starts_at:%Y-%m-%d %H:%M}"


class Visit(models.Model):
    """Visitors counted at the door on a day (a head count, nobody named)."""

    class Kind(models.TextChoices):
        STUDENTS = "students", _("students")
        PARTNERS = "partners", _("partners")
        STAFF = "staff", _("staff")
        OTHERS = "others", _("others")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="visits")
    day = models.DateField(_("day"))
    kind = models.CharField(_("visitors"), max_length=10, choices=Kind.choices)
    count = models.PositiveIntegerField(_("head count"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("visitors")
        verbose_name_plural = _("visitors")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["space", "day", "kind"], name="spaces_visit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.space} {self.day} {self.kind}: {self.count}"
