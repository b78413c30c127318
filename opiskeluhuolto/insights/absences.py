"""The absence aggregates of the dashboards, each computed two ways
(docs/knowledge-management.md, "Rollups for the dashboards").

The `*_direct` functions are the straightforward grouped queries over the weekly summaries:
they define the right answer (the tests and bench/bench_queries.py compare the two value
for value) and answer when the period cuts a month that has weeks outside it. The
`*_rollup` functions read the monthly rollups the import maintains
(`imports.models.MonthlyAbsence`, `MonthlyCampusAbsence`, `YearlyPresence`,
`YearlyAbsence`, `PresenceCount`). `queries` picks one (`rollup_covers`) and caches it.

Small cells are hidden here (PRODUCT.md §5). The month of a week is the month of its Monday."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import TruncMonth

from opiskeluhuolto.access.insights import DashboardScope
from opiskeluhuolto.imports.models import (
    MonthlyAbsence,
    MonthlyCampusAbsence,
    PresenceCount,
    WeeklyAbsence,
    YearlyAbsence,
    YearlyPresence,
)
from opiskeluhuolto.organisation.models import StudentGroup

from . import smallcells

ABSENT = F("health") + F("leave") + F("excused") + F("unexplained")


def _share(part: int | None, whole: int | None) -> float | None:
    if not whole or part is None:
        return None
    return round(100.0 * part / whole, 1)


def _weekly(scope: DashboardScope, start: date, end: date, institution_id: int | None):
    qs = WeeklyAbsence.objects.for_units(scope.institution_ids, scope.campus_ids).between(
        start, end
    )
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    return qs


def _rows(qs, *label_fields: str) -> list[dict]:
    rows = []
    for r in qs:
        rows.append(
            {
                **{k: r[k] for k in label_fields},
                "students": r["students"],
                "lessons": r["lessons"],
                "absent_pct": _share(r["absent"], r["lessons"]),
                "unexplained_pct": _share(r["unexplained"], r["lessons"]),
            }
        )
    return smallcells.suppress(
        rows, count_key="students", value_keys=("lessons", "absent_pct", "unexplained_pct")
    )


def _sums(qs):
    return qs.annotate(
        students=Count("student_id", distinct=True),
        lessons=Sum("lessons"),
        absent=Sum(ABSENT),
        unexplained=Sum("unexplained"),
    )


def trend_by_campus_direct(
    scope: DashboardScope, start: date, end: date, institution_id: int | None = None
) -> list[dict]:
    """Absence share per month and campus, straight from the weekly summaries."""
    qs = (
        _weekly(scope, start, end, institution_id)
        .annotate(month=TruncMonth("week"))
        .values("month", "campus__name")
    )
    return _trend_rows(_sums(qs).order_by("month", "campus__name"))


def _trend_rows(qs) -> list[dict]:
    rows = _rows(qs, "month", "campus__name")
    for r in rows:
        r["unit"] = r.pop("campus__name") or "–"
    return rows


def by_group_direct(
    scope: DashboardScope, start: date, end: date, institution_id: int | None = None
) -> list[dict]:
    """Absence share per group over the period, highest first, from the weekly summaries."""
    qs = _weekly(scope, start, end, institution_id).values("group_id", "group__name")
    return _group_rows(_sums(qs).order_by("group__name", "group_id"))


def _group_rows(qs) -> list[dict]:
    """Highest absence share first; ties by name and id (the same order from either source)."""
    rows = _rows(qs, "group_id", "group__name")
    for r in rows:
        r["unit"] = r.pop("group__name") or "–"
    return sorted(
        rows,
        key=lambda r: (
            r["absent_pct"] is None,
            -(r["absent_pct"] or 0),
            r["unit"],
            r["group_id"] or 0,
        ),
    )


CLASS_SUMS = ("lessons", "health", "leave", "excused", "unexplained", "late", "school_activity")


def by_class_direct(
    scope: DashboardScope, start: date, end: date, institution_id: int | None = None
) -> dict:
    """Lessons per absence class over the whole scope, from the weekly summaries."""
    agg = _weekly(scope, start, end, institution_id).aggregate(
        students=Count("student_id", distinct=True), **{k: Sum(k) for k in CLASS_SUMS}
    )
    return _class_row(agg)


def _class_row(agg: dict) -> dict:
    if smallcells.hidden(agg["students"]):
        return {"hidden": True, "students": None}
    return {"hidden": False, **{k: v or 0 for k, v in agg.items()}}


# --- The same three from the rollups -------------------------------------------------


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def rollup_covers(
    scope: DashboardScope, start: date, end: date, institution_id: int | None = None
) -> bool:
    """Whether whole months answer for the period exactly: no weekly summary in scope
    lies in the period's first or last month but outside the period (the usual
    periods start on 1 August and end today, with no marks after today)."""
    if start > end:
        return False
    last_day = _next_month(end.replace(day=1)) - timedelta(days=1)
    # One range per statement, so that each is a range scan of the (unit, week) indexes.
    edges = [(end + timedelta(days=1), last_day)]
    if start.day != 1:
        edges.append((start.replace(day=1), start - timedelta(days=1)))
    for first, last in edges:  # (an empty range too: the same queries every day)
        qs = WeeklyAbsence.objects.for_units(scope.institution_ids, scope.campus_ids).between(
            first, last
        )
        if institution_id:
            qs = qs.filter(institution_id=institution_id)
        if qs.exists():
            return False
    return True


def _monthly(model, scope: DashboardScope, start: date, end: date, institution_id: int | None):
    qs = model.objects.for_units(scope.institution_ids, scope.campus_ids).filter(
        month__gte=start.replace(day=1), month__lte=end
    )
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    return qs


def _year_masks(start: date, end: date) -> dict[int, int]:
    """{school year: bit mask of the period's months in it} (bit 0 = August)."""
    masks: dict[int, int] = {}
    month = start.replace(day=1)
    while month <= end:
        year = month.year if month.month >= 8 else month.year - 1
        masks[year] = masks.get(year, 0) | 1 << ((month.month + 4) % 12)
        month = _next_month(month)
    return masks


def _absence_sums(scope: DashboardScope, start: date, end: date, institution_id: int | None):
    """The rows to sum for the period's lessons: `YearlyAbsence` of its school year when
    the year has no monthly rows in scope outside the period's months (the dashboards'
    periods), else `MonthlyAbsence` of the period's months."""
    monthly = _monthly(MonthlyAbsence, scope, start, end, institution_id)
    years = list(_year_masks(start, end))
    if len(years) != 1:
        return monthly
    year = years[0]
    outside = MonthlyAbsence.objects.for_units(scope.institution_ids, scope.campus_ids).filter(
        Q(month__gte=date(year, 8, 1), month__lt=start.replace(day=1))
        | Q(month__gt=end, month__lt=date(year + 1, 8, 1))
    )
    if institution_id:
        outside = outside.filter(institution_id=institution_id)
    if outside.exists():
        return monthly
    qs = YearlyAbsence.objects.for_units(scope.institution_ids, scope.campus_ids).filter(year=year)
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    return qs


def _presence(
    scope: DashboardScope, start: date, end: date, institution_id: int | None, model=YearlyPresence
):
    """Rows of `YearlyPresence` (or `PresenceCount`) with a weekly summary in some month
    of the period."""
    masks = _year_masks(start, end)
    hit = Case(
        *(When(year=y, then=F("months").bitand(m)) for y, m in masks.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    qs = (
        model.objects.for_units(scope.institution_ids, scope.campus_ids)
        .filter(year__in=list(masks))
        .alias(hit=hit)
        .filter(hit__gt=0)
    )
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    return qs


def _rollup_sums(qs):
    return qs.annotate(lessons=Sum("lessons"), absent=Sum(ABSENT), unexplained=Sum("unexplained"))


def trend_by_campus_rollup(
    scope: DashboardScope, start: date, end: date, institution_id: int | None = None
) -> list[dict]:
    """`trend_by_campus_direct` from `MonthlyCampusAbsence` (whole months only).

    Distinct students add up over institutions: a student's summaries are all of
    the student's one institution, and campus names are unique in an institution.
    """
    qs = _monthly(MonthlyCampusAbsence, scope, start, end, institution_id).values(
        "month", "campus__name"
    )
    return _trend_rows(
        _rollup_sums(qs.annotate(students=Sum("students"))).order_by("month", "campus__name")
    )


def by_group_rollup(
    scope: DashboardScope, start: date, end: date, institution_id: int | None = None
) -> list[dict]:
    """`by_group_direct` from `MonthlyAbsence` (sums) and `YearlyPresence` (students)."""
    students = dict(_distinct_students(scope, start, end, institution_id, "group_id"))
    sums = list(
        _rollup_sums(_absence_sums(scope, start, end, institution_id).values("group_id")).order_by()
    )
    # Names after grouping (grouping by the joined name sorts every monthly row): the
    # groups of the scope's units by their indexes, then any other group by id (a list
    # of thousands of ids, or a semi-join over the monthly rows, measured slower).
    units = StudentGroup.objects.filter(
        Q(institution_id__in=scope.institution_ids) | Q(campus_id__in=scope.campus_ids)
    )
    names = dict(units.values_list("pk", "name"))
    missing = {r["group_id"] for r in sums if r["group_id"]} - names.keys()
    if missing:
        names.update(StudentGroup.objects.filter(pk__in=missing).values_list("pk", "name"))
    rows = [
        {
            **r,
            "group__name": names.get(r["group_id"]),
            "students": students.get(r["group_id"], 0),
        }
        for r in sums
    ]
    return _group_rows(rows)


def _distinct_students(scope, start, end, institution_id, by: str | None) -> list[tuple]:
    """(value of `by`, distinct students) over the period, or [(students,)] without `by`.

    Within one school year a student who stayed in one unit has one presence row, so
    those add up: `PresenceCount` sums them per month mask (a few rows per group
    instead of one per student), and only the students who changed campus or group
    (`moved`) are counted distinct, from their own rows. Across school years the same
    student has a row in each, so the presence rows are counted distinct.
    """
    if len(_year_masks(start, end)) == 1:
        counted = _presence(scope, start, end, institution_id, PresenceCount)
        movers = _presence(scope, start, end, institution_id).filter(moved=True)
        if not by:
            return [
                (
                    (counted.aggregate(n=Sum("students"))["n"] or 0)
                    + movers.aggregate(n=Count("student_id", distinct=True))["n"],
                )
            ]
        totals: dict = dict(
            counted.values(by).annotate(n=Sum("students")).order_by().values_list(by, "n")
        )
        for key, n in (
            movers.values(by)
            .annotate(n=Count("student_id", distinct=True))
            .order_by()
            .values_list(by, "n")
        ):
            totals[key] = totals.get(key, 0) + n
        return list(totals.items())
    qs = _presence(scope, start, end, institution_id)
    if by:
        return list(
            qs.values(by).annotate(n=Count("student_id", distinct=True)).values_list(by, "n")
        )
    return [(qs.aggregate(n=Count("student_id", distinct=True))["n"],)]


def by_class_rollup(
    scope: DashboardScope, start: date, end: date, institution_id: int | None = None
) -> dict:
    """`by_class_direct` from `MonthlyAbsence` (sums) and `YearlyPresence` (students)."""
    agg = _absence_sums(scope, start, end, institution_id).aggregate(
        **{k: Sum(k) for k in CLASS_SUMS}
    )
    students = _distinct_students(scope, start, end, institution_id, None)[0][0]
    return _class_row({"students": students, **agg})


def group_students(group, start: date, end: date) -> list[dict]:
    """The individuals of one group (for its supervisor only): hours per class and open tasks."""
    rows = (
        WeeklyAbsence.objects.filter(group=group, week__gte=start, week__lte=end)
        .values("student_id", "student__first_name", "student__last_name")
        .annotate(
            lessons=Sum("lessons"),
            health=Sum("health"),
            leave=Sum("leave"),
            excused=Sum("excused"),
            unexplained=Sum("unexplained"),
            late=Sum("late"),
        )
        .order_by("student__last_name", "student__first_name")
    )
    out = []
    for r in rows:
        hours = r["health"] + r["excused"] + r["unexplained"]
        out.append({**r, "hours": hours, "absent_pct": _share(hours + r["leave"], r["lessons"])})
    return out
