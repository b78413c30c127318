"""Visit statistics of the kuraattori and the psychologist (LAW.md L-25-1): the yearly
figures they report, computed from what the system already holds.

- **Visits** are held bookings (the discussion was marked held), by service and campus,
  with the number of different students.
- **First visits**: a held visit of a student with no earlier held visit of the same
  service in the 365 days before it (a new client of the service).
- **Group and communal work**: the sessions the professionals recorded (`GroupWork`).
- **Waiting times**: requests of the period whose first time was offered, against the
  legal limits of §15 (the 7th working day; urgent the same or next working day).

Aggregates only. Every count of students carries the number of students it is based
on, and `suppress` hides cells of 1–4 students from a viewer without access to the
individuals (PRODUCT.md §5, the project's small-cell rule `reports.SMALL_CELL`).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Sum

from .models import DEADLINE_SERVICES, AppointmentRequest, Booking, GroupWork, Service
from .reports import SMALL_CELL

#: The legal limit in working days, by urgency (L-15-2, L-15-3).
LEGAL_LIMIT = {False: 7, True: 1}
FIRST_VISIT_WINDOW = timedelta(days=365)


@dataclass
class VisitCell:
    service: str
    campus_id: int | None = None
    visits: int = 0
    students: int = 0
    first_visits: int = 0
    hidden: bool = False
    service_label: str = ""
    campus_label: str = ""


@dataclass
class WaitCell:
    service: str
    urgent: bool
    requests: int = 0
    met: int = 0
    median_days: float | None = None
    days: list[int] = field(default_factory=list)
    hidden: bool = False
    service_label: str = ""

    @property
    def limit(self) -> int:
        return LEGAL_LIMIT[self.urgent]

    @property
    def share_met(self) -> float | None:
        return self.met / self.requests if self.requests else None


@dataclass
class GroupCell:
    service: str
    kind: str
    sessions: int
    participants: int
    hours: float
    service_label: str = ""
    kind_label: str = ""


@dataclass
class VisitStatistics:
    by_service: list[VisitCell]
    by_campus: list[VisitCell]
    waiting: list[WaitCell]
    group_work: list[GroupCell]


def _held(institution_ids: list[int], start: date, end: date):
    return Booking.objects.filter(
        institution_id__in=institution_ids,
        status=Booking.Status.HELD,
        service__in=DEADLINE_SERVICES,
        starts_at__date__gte=start,
        starts_at__date__lte=end,
    )


def _first_visit_ids(institution_ids: list[int], start: date, end: date) -> set[int]:
    """Held visits in [start, end] with no held visit of the same student and service in
    the 365 days before: one query of the (student, service) visit days, walked in order."""
    rows = (
        _held(institution_ids, start - FIRST_VISIT_WINDOW, end)
        .order_by("student_id", "service", "starts_at", "pk")
        .values_list("pk", "student_id", "service", "starts_at")
    )
    first: set[int] = set()
    last: dict[tuple[int, str], datetime] = {}
    for pk, student_id, service, starts_at in rows:
        previous = last.get((student_id, service))
        if starts_at.date() >= start and (
            previous is None or starts_at - previous > FIRST_VISIT_WINDOW
        ):
            first.add(pk)
        last[(student_id, service)] = starts_at
    return first


def _of(queryset, professional_ids: set[int] | None):
    """Only the work of these professionals (one employer's), or everyone's (None)."""
    if professional_ids is None:
        return queryset
    return queryset.filter(professional_id__in=professional_ids)


def _visit_cells(
    institution_ids, start, end, first: set[int], *, by_campus: bool, professional_ids=None
):
    cells: dict[tuple, VisitCell] = {}
    students: dict[tuple, set[int]] = defaultdict(set)
    rows = _of(_held(institution_ids, start, end), professional_ids).values_list(
        "pk", "service", "student__campus_id", "student_id"
    )
    for pk, service, campus_id, student_id in rows:
        key = (service, campus_id if by_campus else None)
        cell = cells.setdefault(key, VisitCell(service=service, campus_id=key[1]))
        cell.visits += 1
        cell.first_visits += pk in first
        students[key].add(student_id)
    for key, cell in cells.items():
        cell.students = len(students[key])
    return sorted(cells.values(), key=lambda c: (c.service, c.campus_id or 0))


def _waiting(
    institution_ids: list[int], start: date, end: date, professional_ids=None
) -> list[WaitCell]:
    requests = AppointmentRequest.objects.filter(
        institution_id__in=institution_ids,
        service__in=DEADLINE_SERVICES,
        request_day__gte=start,
        request_day__lte=end,
        first_offer_working_days__isnull=False,
    )
    rows = _of(requests, professional_ids).values_list(
        "service", "urgent", "first_offer_working_days", "deadline_met"
    )
    cells: dict[tuple, WaitCell] = {}
    for service, urgent, days, met in rows:
        cell = cells.setdefault((service, urgent), WaitCell(service=service, urgent=urgent))
        cell.requests += 1
        cell.met += met is True
        if days is not None:  # the query asks for offered requests only
            cell.days.append(days)
    for cell in cells.values():
        cell.median_days = float(statistics.median(cell.days)) if cell.days else None
    return sorted(cells.values(), key=lambda c: (c.service, c.urgent))


def _group_work(
    institution_ids: list[int], start: date, end: date, professional_ids=None
) -> list[GroupCell]:
    work = GroupWork.objects.filter(
        institution_id__in=institution_ids, day__gte=start, day__lte=end
    )
    rows = (
        _of(work, professional_ids)
        .values("service", "kind")
        .annotate(n=Count("pk"), people=Sum("participants"), minutes=Sum("minutes"))
        .order_by("service", "kind")
    )
    return [
        GroupCell(
            service=r["service"],
            kind=r["kind"],
            sessions=r["n"],
            participants=r["people"] or 0,
            hours=round((r["minutes"] or 0) / 60, 1),
        )
        for r in rows
    ]


def compute(
    institution_ids: list[int], start: date, end: date, professional_ids: set[int] | None = None
) -> VisitStatistics:
    """The statistics of the institutions for the days [start, end], not yet suppressed.

    `professional_ids` limits them to the work of those professionals (one employer's
    staff, issue 20); a first visit is still first for the service, whoever held the
    earlier one."""
    first = _first_visit_ids(institution_ids, start, end)
    ids = professional_ids
    return VisitStatistics(
        by_service=_visit_cells(
            institution_ids, start, end, first, by_campus=False, professional_ids=ids
        ),
        by_campus=_visit_cells(
            institution_ids, start, end, first, by_campus=True, professional_ids=ids
        ),
        waiting=_waiting(institution_ids, start, end, ids),
        group_work=_group_work(institution_ids, start, end, ids),
    )


def label(stats: VisitStatistics, *, campuses: dict) -> VisitStatistics:
    """Names of the services, campuses and kinds in the active language."""
    services = dict(Service.choices)
    kinds = dict(GroupWork.Kind.choices)
    for c in (*stats.by_service, *stats.by_campus):
        c.service_label = str(services.get(c.service, c.service))
        c.campus_label = str(campuses.get(c.campus_id, ""))
    for w in stats.waiting:
        w.service_label = str(services.get(w.service, w.service))
    for g in stats.group_work:
        g.service_label = str(services.get(g.service, g.service))
        g.kind_label = str(kinds.get(g.kind, g.kind))
    return stats


def small(n: int) -> bool:
    """A cell of 1–4 students or requests could point at one student; 0 points at nobody."""
    return 0 < n < SMALL_CELL


def suppress(stats: VisitStatistics, *, exact_services: frozenset[str]) -> VisitStatistics:
    """Hide small cells of the services whose individuals the viewer does not see: the
    visit counts of fewer than SMALL_CELL students, the waiting times of fewer than
    SMALL_CELL requests. Group work counts sessions, not students, and is never hidden."""
    for cell in (*stats.by_service, *stats.by_campus):
        if cell.service not in exact_services and small(cell.students):
            cell.hidden = True
            cell.visits = cell.students = cell.first_visits = 0
    for w in stats.waiting:
        if w.service not in exact_services and small(w.requests):
            w.hidden = True
            w.requests = w.met = 0
            w.median_days = None
            w.days = []
    return stats
