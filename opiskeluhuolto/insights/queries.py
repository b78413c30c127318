"""The dashboards' figures: cached per scope, period and data version.

Every function takes the person's `DashboardScope` and a period and returns
plain dicts; small cells are hidden here (PRODUCT.md §5), because nobody who
reads the dashboards has access to the individuals of all those units.

The absence figures come from `absences`: from the monthly rollups the import maintains
where they cover the period, otherwise from the weekly summaries
(docs/knowledge-management.md, "Rollups for the dashboards").
"""

from __future__ import annotations

import functools
import hashlib
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from opiskeluhuolto.access.insights import DashboardScope
from opiskeluhuolto.imports.models import (
    StudyRightEvent,
)
from opiskeluhuolto.lib.replica import connection_for_read
from opiskeluhuolto.organisation.models import Institution

from . import absences, rules, smallcells
from .models import CareTask

CACHE_SECONDS = 300


def data_version() -> str:
    """Changes whenever an import succeeds or a care-conversation task changes."""
    from opiskeluhuolto.imports.models import ImportRun

    from .models import TaskEvent

    # Asked on every dashboard view: one plain statement instead of two ORM aggregates.
    sql = (
        f"SELECT (SELECT MAX(finished_at) FROM {ImportRun._meta.db_table} WHERE status = %s),"  # noqa: S608 -- table names only
        f" (SELECT MAX(at) FROM {TaskEvent._meta.db_table})"
    )
    # The connection the router picks: the replica while a dashboard is served from it.
    with connection_for_read(ImportRun).cursor() as cursor:
        cursor.execute(sql, [ImportRun.Status.SUCCEEDED.value])
        run, event = cursor.fetchone()
    return f"{run}|{event}"


def cache_key(
    kind: str,
    scope: DashboardScope,
    start: date,
    end: date,
    institution_id: int | None,
    version: str,
    *extra,
) -> str:
    """The cache key of one kind of figure for a scope, period, unit and data version."""
    raw = repr(
        (sorted(scope.institution_ids), sorted(scope.campus_ids), start, end, institution_id)
        + (version, *extra)
    )
    return f"insights:{kind}:" + hashlib.sha256(raw.encode()).hexdigest()


def cached(fn):
    """Cache an aggregate for its scope and period until the data changes (or 5 minutes).

    A year of a 20,000-student provider is about 850,000 weekly rows; the
    dashboards read the same aggregates many times between two imports.
    """

    @functools.wraps(fn)
    def wrapper(scope, start, end, institution_id=None, *, version: str | None = None):
        version = version if version is not None else data_version()
        key = cache_key(fn.__name__, scope, start, end, institution_id, version)
        result = cache.get(key)
        if result is None:
            result = fn(scope, start, end, institution_id)
            cache.set(key, result, CACHE_SECONDS)
        return result

    wrapper.uncached = fn
    return wrapper


def period(today: date, which: str = "current") -> tuple[date, date]:
    start = rules.school_year_start(today)
    if which == "previous":
        return start.replace(year=start.year - 1), start.replace(month=7, day=31)
    return start, today


@cached
def trend_by_campus(
    scope: DashboardScope, start: date, end: date, institution_id: int | None = None
) -> list[dict]:
    """Absence share per month and campus."""
    if absences.rollup_covers(scope, start, end, institution_id):
        return absences.trend_by_campus_rollup(scope, start, end, institution_id)
    return absences.trend_by_campus_direct(scope, start, end, institution_id)


@cached
def by_group(
    scope: DashboardScope, start: date, end: date, institution_id: int | None = None
) -> list[dict]:
    """Absence share per group over the period, highest first."""
    if absences.rollup_covers(scope, start, end, institution_id):
        return absences.by_group_rollup(scope, start, end, institution_id)
    return absences.by_group_direct(scope, start, end, institution_id)


@cached
def by_class(
    scope: DashboardScope, start: date, end: date, institution_id: int | None = None
) -> dict:
    """Lessons per absence class over the whole scope (one row, never a small cell alone)."""
    if absences.rollup_covers(scope, start, end, institution_id):
        return absences.by_class_rollup(scope, start, end, institution_id)
    return absences.by_class_direct(scope, start, end, institution_id)


@cached
def warning_steps(
    scope: DashboardScope, start: date, end: date, institution_id: int | None = None
) -> list[dict]:
    """Students who reached each early-warning step, and how many conversations were held."""
    qs = CareTask.objects.filter(triggered_on__gte=start, triggered_on__lte=end).filter(
        Q(student__institution_id__in=scope.institution_ids)
        | Q(student__campus_id__in=scope.campus_ids)
    )
    if institution_id:
        qs = qs.filter(student__institution_id=institution_id)
    rows = (
        qs.values("step__rule__name", "step__threshold", "step__action", "step__rule__kind")
        .annotate(
            students=Count("student_id", distinct=True),
            resolved=Count("pk", filter=Q(status=CareTask.Status.RESOLVED)),
        )
        .order_by("step__rule__kind", "step__rule__name", "step__threshold")
    )
    out = [
        {
            "rule": r["step__rule__name"],
            "kind": r["step__rule__kind"],
            "threshold": r["step__threshold"],
            "action": r["step__action"],
            "students": r["students"],
            "resolved": r["resolved"],
        }
        for r in rows
    ]
    return smallcells.suppress(out, count_key="students", value_keys=("resolved",))


@cached
def interruptions(
    scope: DashboardScope, start: date, end: date, institution_id: int | None = None
) -> list[dict]:
    """Interruptions and resignations per month (a study-right status, LAW.md L-ABS-5)."""
    qs = StudyRightEvent.objects.filter(starts_on__gte=start, starts_on__lte=end).filter(
        Q(institution_id__in=scope.institution_ids) | Q(campus_id__in=scope.campus_ids)
    )
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    rows = (
        qs.annotate(month=TruncMonth("starts_on"))
        .values("month", "kind")
        .annotate(students=Count("student_id", distinct=True))
        .order_by("month", "kind")
    )
    return smallcells.suppress(list(rows), count_key="students", value_keys=())  # type: ignore[arg-type]  # values() rows are dicts


@cached
def compliance(
    scope: DashboardScope, start: date, end: date, institution_id: int | None = None
) -> list[dict]:
    """Appointment-deadline compliance from the appointments app, small cells hidden.

    Compliance is counted per institution, so a campus-level grant sees its
    institution's figures (requests, not students, are counted).
    """
    from opiskeluhuolto.appointments.reports import compliance_summary

    ids = set(scope.institution_ids)
    if scope.campus_ids:
        ids |= set(
            Institution.objects.filter(campuses__in=scope.campus_ids).values_list("pk", flat=True)
        )
    if institution_id:
        ids &= {institution_id}
    if not ids:
        return []
    rows = compliance_summary(institution_ids=sorted(ids), start=start, end=end)
    out = []
    for r in rows:
        r = dict(r)
        r["share_pct"] = None if r.get("share_met") is None else round(100 * r["share_met"], 1)
        out.append(r)
    return smallcells.suppress(
        out,
        count_key="total",
        value_keys=("met", "share_met", "share_pct", "median_working_days_to_first_offer"),
    )
