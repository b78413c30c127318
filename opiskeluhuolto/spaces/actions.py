"""State changes of communal spaces, one transaction each (ARCHITECTURE.md §5)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Booking, ServiceHours, Space, Visit

#: The longest booking: a working day.
MAX_LENGTH = timedelta(hours=12)
#: The code of the error for a time already booked (the API answers it with 409).
TAKEN = "taken"


def is_taken(error: ValidationError) -> bool:
    """Whether the error of `book` says the time is taken (not that the input is bad)."""
    found = getattr(error, "error_dict", {}).values()
    return any(getattr(e, "code", None) == TAKEN for errors in found for e in errors)


def overlapping(space: Space, starts_at: datetime, ends_at: datetime):
    """Active bookings of the space that overlap [starts_at, ends_at)."""
    return Booking.objects.filter(
        space=space,
        status=Booking.Status.ACTIVE,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )


def outside_opening_hours(space: Space, starts_at: datetime, ends_at: datetime) -> str | None:
    """Why the time is outside the space's opening hours (local time), or None if within."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    hours = _("The space is open %(days)s %(opens)s–%(closes)s.") % {
        "days": space.opening_days_display(),
        "opens": space.opens_at.strftime("%H.%M"),
        "closes": space.closes_at.strftime("%H.%M"),
    }
    if start.weekday() not in space.weekdays() or end.date() != start.date():
        return _("The space is closed on that day. %(hours)s") % {"hours": hours}
    if start.time() < space.opens_at or end.time() > space.closes_at:
        return _("The booking is outside the opening hours. %(hours)s") % {"hours": hours}
    return None


@transaction.atomic
def set_opening_hours(space: Space, *, weekdays, opens_at: time, closes_at: time, by) -> Space:
    """The space's opening hours (its managers set them); bookings made earlier stay."""
    days = sorted({int(d) for d in weekdays})
    if not days or any(d not in range(7) for d in days):
        raise ValidationError({"open_weekdays": _("Choose at least one weekday.")})
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The space must close after it opens.")})
    space.open_weekdays = "".join(str(d) for d in days)
    space.opens_at, space.closes_at = opens_at, closes_at
    space.save(update_fields=["open_weekdays", "opens_at", "closes_at"])
    return space


def _taken() -> ValidationError:
    message = _("The space is already booked at this time. Choose another time.")
    return ValidationError({"starts_at": ValidationError(message, code=TAKEN)})


@transaction.atomic
def book(
    space: Space,
    *,
    by,
    starts_at: datetime,
    ends_at: datetime,
    kind: str,
    group=None,
    purpose: str = "",
) -> Booking:
    """Book the space. No double booking: the space's row is written first (its write lock
    serialises the bookings of one space on PostgreSQL and SQLite alike), then the overlap
    is checked in the same transaction; the database's constraints refuse what slips past
    (the unique start everywhere, the exclusion constraint on PostgreSQL)."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The booking must end after it starts.")})
    if ends_at - starts_at > MAX_LENGTH:
        raise ValidationError({"ends_at": _("A booking can last at most 12 hours.")})
    if starts_at < timezone.now().replace(second=0, microsecond=0):
        raise ValidationError(
            {"starts_at": _("The booking would start in the past. Choose a time from now on.")}
        )
    outside = outside_opening_hours(space, starts_at, ends_at)
    if outside:
        raise ValidationError({"starts_at": outside})
    if "\x00" in purpose:
        raise ValidationError({"purpose": _("The purpose contains a character not allowed.")})
    if kind not in Booking.Kind.values:
        raise ValidationError({"kind": _("Choose whom the booking is for.")})
    if (kind == Booking.Kind.GROUP) != (group is not None):
        raise ValidationError({"group": _("A group booking names the group.")})
    Space.objects.filter(pk=space.pk).update(bookings_version=F("bookings_version") + 1)
    if overlapping(space, starts_at, ends_at).exists():
        raise _taken()
    booking = Booking(
        space=space,
        starts_at=starts_at,
        ends_at=ends_at,
        kind=kind,
        group=group,
        purpose=purpose.strip(),
        booked_by=by,
    )
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        raise _taken() from None
    return booking


def can_cancel(booking: Booking, now: datetime | None = None) -> bool:
    """Only a booking that has not started yet can be cancelled: one under way or past
    stays as it was (the use of the space is counted from the bookings)."""
    return booking.status == Booking.Status.ACTIVE and booking.starts_at > (now or timezone.now())


@transaction.atomic
def cancel(booking: Booking, *, by) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status == Booking.Status.CANCELLED:
        return booking
    if not can_cancel(booking):
        raise ValidationError(
            _("A booking that has already started or is past cannot be cancelled.")
        )
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
    booking.status = Booking.Status.CANCELLED
    return booking


@transaction.atomic
def record_visits(space: Space, *, day: date, kind: str, count: int, by) -> Visit:
    """The head count of a day's visitors of one kind (a second count replaces the first)."""
    if kind not in Visit.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of visitors.")})
    if count < 0:
        raise ValidationError({"count": _("The head count cannot be negative.")})
    visit, _created = Visit.objects.update_or_create(
        space=space, day=day, kind=kind, defaults={"count": count, "recorded_by": by}
    )
    return visit


@transaction.atomic
def add_service_hours(
    space: Space,
    *,
    organisation: str,
    service: str,
    weekday: int,
    starts_at: time,
    ends_at: time,
    public: bool = True,
) -> ServiceHours:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The hours must end after they start.")})
    return ServiceHours.objects.create(
        space=space,
        organisation=organisation.strip(),
        service=service.strip(),
        weekday=weekday,
        starts_at=starts_at,
        ends_at=ends_at,
        public=public,
    )
