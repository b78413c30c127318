"""Deadline compliance of discussion requests, by month (LAW.md L-15-4, L-25-1).

Aggregates only: counts, shares and medians per unit and month, urgent and
normal apart. No row ever carries a student. `compliance_summary` is the
plain function other apps (the insights dashboards) call.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import DEADLINE_SERVICES, AppointmentRequest

#: Cells counting fewer requests than this are hidden from viewers without
#: individual access, so a single student's case cannot be inferred (L-25-1).
SMALL_CELL = 5


@dataclass(frozen=True)
class Cell:
    month: date
    urgent: bool
    unit_id: int | None
    total: int
    met: int
    median_days: float | None

    @property
    def share_met(self) -> float | None:
        return self.met / self.total if self.total else None


def _month(day: date) -> date:
    return day.replace(day=1)


def assessable(qs: QuerySet[AppointmentRequest], today: date) -> QuerySet[AppointmentRequest]:
    """Requests whose compliance is decided: a first time was offered, the request was
    closed (by its deadline: met; after it: missed), or the deadline has passed without
    either. Every request, however closed, stays in the figures (L-15-5); only requests
    still within their time limit are left out."""
    decided = (
        Q(deadline_met__isnull=False)
        | Q(deadline__lt=today)
        | Q(status=AppointmentRequest.Status.CLOSED, deadline__isnull=False)
    )
    return qs.filter(decided, service__in=DEADLINE_SERVICES)


UNIT_FIELDS = {
    "provider": "institution__provider_id",
    "institution": "institution_id",
    "campus": "student__campus_id",
    "professional": "professional_id",
}


def cells(qs: QuerySet[AppointmentRequest], *, today: date, unit: str | None = None) -> list[Cell]:
    """One cell per (unit, month, urgent), sorted by unit, month and urgency."""
    unit_field = UNIT_FIELDS[unit] if unit else None
    fields = ["request_day", "urgent", "deadline_met", "first_offer_working_days"]
    if unit_field:
        fields.append(unit_field)
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    for row in assessable(qs, today).values_list(*fields):
        key = (row[4] if unit_field else None, _month(row[0]), row[1])
        groups[key].append(row)
    result = []
    for (unit_id, month, urgent), rows in sorted(
        groups.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1], kv[0][2])
    ):
        days = [r[3] for r in rows if r[3] is not None]
        result.append(
            Cell(
                month=month,
                urgent=urgent,
                unit_id=unit_id,
                total=len(rows),
                met=sum(1 for r in rows if r[2] is True),
                median_days=float(statistics.median(days)) if days else None,
            )
        )
    return result


def compliance_summary(*, institution_ids: list[int], start: date, end: date) -> list[dict]:
    """Monthly deadline compliance of the given institutions, requests made in [start, end].

    Returns a list of dicts with the keys `month` (the first day of the month),
    `urgent` (bool), `total`, `met`, `share_met` (float or None) and
    `median_working_days_to_first_offer` (float or None), sorted by month and
    urgency. Aggregates only; the caller decides who may see them and hides
    small cells (see SMALL_CELL) where needed.
    """
    qs = AppointmentRequest.objects.filter(
        institution_id__in=list(institution_ids), request_day__gte=start, request_day__lte=end
    )
    return [
        {
            "month": c.month,
            "urgent": c.urgent,
            "total": c.total,
            "met": c.met,
            "share_met": c.share_met,
            "median_working_days_to_first_offer": c.median_days,
        }
        for c in cells(qs, today=timezone.localdate())
    ]


def hide_small(rows: Iterable[Cell], *, individual_access: bool) -> list[dict]:
    """Rows for display: counts under SMALL_CELL become None unless the viewer may see individuals."""
    out = []
    for c in rows:
        hidden = not individual_access and c.total < SMALL_CELL
        out.append(
            {
                "month": c.month,
                "urgent": c.urgent,
                "unit_id": c.unit_id,
                "hidden": hidden,
                "total": None if hidden else c.total,
                "met": None if hidden else c.met,
                "share_met": None if hidden else c.share_met,
                "median_days": None if hidden else c.median_days,
            }
        )
    return out
