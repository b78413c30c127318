"""The week view of a space: seven days, the active bookings of each (pure helpers)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .models import Booking, ServiceHours, Space


def monday_of(value: str | None, today: date) -> date:
    """The Monday of the week of an ISO date; this week for anything unreadable."""
    try:
        day = date.fromisoformat(value) if value else today
    except (TypeError, ValueError):
        day = today
    return day - timedelta(days=day.weekday())


def bounds(monday: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(monday, time.min), tz)
    end = timezone.make_aware(datetime.combine(monday + timedelta(days=7), time.min), tz)
    return start, end


def bookings_of_week(space: Space, monday: date):
    start, end = bounds(monday)
    return (
        Booking.objects.filter(
            space=space, status=Booking.Status.ACTIVE, starts_at__lt=end, ends_at__gt=start
        )
        .select_related("group", "booked_by")
        .order_by("starts_at")
    )


def days(space: Space, monday: date, *, with_hidden_hours: bool) -> list[dict]:
    """Each day of the week with its bookings and the partners' service hours."""
    hours = list(ServiceHours.objects.filter(space=space))
    if not with_hidden_hours:
        hours = [h for h in hours if h.public]
    by_day: dict[date, list[Booking]] = {monday + timedelta(d): [] for d in range(7)}
    for b in bookings_of_week(space, monday):
        day = timezone.localtime(b.starts_at).date()
        by_day.setdefault(day, []).append(b)
    return [
        {
            "day": day,
            "bookings": rows,
            "hours": [h for h in hours if h.weekday == day.weekday()],
        }
        for day, rows in sorted(by_day.items())
        if monday <= day < monday + timedelta(7)
    ]
