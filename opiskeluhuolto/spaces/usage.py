"""The use of a space by month: bookings by who booked, visitors (head counts) by kind.

Visitor counts are about people: a cell of fewer than `MIN_CELL` (but more than none) is
shown as "fewer than five" (None), as everywhere else (PRODUCT.md §5). Bookings are
counted as they are (a booking is not a person).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from .models import Booking, Space, Visit

MIN_CELL = 5


def suppressed(n: int) -> int | None:
    return None if 0 < n < MIN_CELL else n


def monthly(space: Space, since: date, until: date) -> list[dict]:
    """One row per month with use, newest first: {"month", "bookings": {kind: n},
    "visitors": {kind: n or None}, "bookings_total", "visitors_total"}."""
    bookings: dict[date, dict[str, int]] = defaultdict(dict)
    rows = (
        Booking.objects.filter(
            space=space,
            status=Booking.Status.ACTIVE,
            starts_at__date__gte=since,
            starts_at__date__lte=until,
        )
        .annotate(month=TruncMonth("starts_at"))
        .values("month", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in rows:
        month = r["month"].date() if hasattr(r["month"], "date") else r["month"]
        bookings[month.replace(day=1)][r["kind"]] = r["n"]
    visitors: dict[date, dict[str, int]] = defaultdict(dict)
    visit_rows = (
        Visit.objects.filter(space=space, day__gte=since, day__lte=until)
        .annotate(month=TruncMonth("day"))
        .values("month", "kind")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for r in visit_rows:
        visitors[r["month"].replace(day=1)][r["kind"]] = r["n"] or 0
    out = []
    for month in sorted(set(bookings) | set(visitors), reverse=True):
        b, v = bookings.get(month, {}), visitors.get(month, {})
        cells = {k: suppressed(v.get(k, 0)) for k in Visit.Kind.values}
        hidden = [k for k, n in cells.items() if n is None]
        if len(hidden) == 1:
            # The total would give the one hidden cell away: hide the next smallest too.
            shown = sorted((n, k) for k, n in cells.items() if n)
            if shown:
                cells[shown[0][1]] = None
        out.append(
            {
                "month": month,
                "bookings": {k: b.get(k, 0) for k in Booking.Kind.values},
                "bookings_total": sum(b.values()),
                "visitors": cells,
                "visitors_total": suppressed(sum(v.values())),
            }
        )
    return out
