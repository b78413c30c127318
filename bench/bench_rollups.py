"""The dashboards' rollup-backed aggregates at a synthetic 100,000-student year.

    .venv/bin/python bench/bench_rollups.py --students 100000

Only the read side: importing a 100,000-student year takes far longer than this
check, so the script writes the five rollup tables directly for a new institution
of its own (10 campuses, one group per 25 students, 12 months, every student every
month, one in a hundred moving to another group and campus in February), times the
three aggregates as the app runs them uncached (median of 5), times and compares value
for value the two that count distinct students with the straightforward way (distinct
students over the presence rows, lessons summed over the monthly rows), and deletes
everything it created. bench_queries.py checks the same aggregates value for value
against hand-written SQL over imported data.
"""

# ruff: noqa: S608  (fixed benchmark SQL, parameters passed separately)
from __future__ import annotations

import argparse
import functools
import os
from datetime import date

from common import git_commit, machine, setup, timed

START, END = date(2025, 8, 1), date(2026, 7, 31)
REPEAT = 5


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=100_000)
    args = parser.parse_args()
    setup()
    from django.db import connection, transaction

    from opiskeluhuolto.access.insights import DashboardScope
    from opiskeluhuolto.imports.models import MonthlyAbsence
    from opiskeluhuolto.insights import absences, queries
    from opiskeluhuolto.organisation.models import Campus, Institution, Provider, StudentGroup

    print(f"machine: {machine()}")
    print("load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"commit: {git_commit()}")
    n = args.students
    provider = Provider.objects.create(name="bench_rollups synthetic provider")
    inst = Institution.objects.create(provider=provider, name="bench_rollups", slug="bench-rollups")
    try:
        campuses = Campus.objects.bulk_create(
            [Campus(institution=inst, name=f"Kampus {i}") for i in range(10)]
        )
        groups = StudentGroup.objects.bulk_create(
            [
                StudentGroup(institution=inst, campus=campuses[g % 10], name=f"R{g:05d}")
                for g in range((n + 24) // 25)
            ]
        )
        c0, g0 = campuses[0].pk, groups[0].pk
        counts = "lessons, present, health, leave, excused, unexplained, late, school_activity"
        with transaction.atomic(), connection.cursor() as c:
            # Group g is on campus g % 10; student s is in group s / 25. One student in
            # a hundred moves in February to the next group, on the next campus.
            c.execute(
                "INSERT INTO imports_yearlypresence "
                "(student_id, year, institution_id, campus_id, group_id, months, moved) "
                "SELECT 900000000 + s, 2025, %s, %s + (s / 25) %% 10, %s + s / 25, "
                "CASE WHEN s %% 100 = 7 THEN 63 ELSE 4095 END, s %% 100 = 7 "
                "FROM generate_series(0, %s - 1) s",
                [inst.pk, c0, g0, n],
            )
            c.execute(
                "INSERT INTO imports_yearlypresence "
                "(student_id, year, institution_id, campus_id, group_id, months, moved) "
                "SELECT 900000000 + s, 2025, %s, %s + (s / 25 + 1) %% 10, "
                "%s + (s / 25 + 1) %% %s, 4032, true "
                "FROM generate_series(0, %s - 1) s WHERE s %% 100 = 7",
                [inst.pk, c0, g0, len(groups), n],
            )
            c.execute(
                "INSERT INTO imports_presencecount (year, institution_id, campus_id, group_id, "
                "months, students) SELECT year, institution_id, campus_id, group_id, months, "
                "count(*) FROM imports_yearlypresence WHERE institution_id = %s AND NOT moved "
                "GROUP BY 1, 2, 3, 4, 5",
                [inst.pk],
            )
            c.execute(
                f"INSERT INTO imports_monthlyabsence (month, institution_id, campus_id, "
                f"group_id, students, {counts}) "
                "SELECT (date '2025-08-01' + make_interval(months => k))::date, %s, "
                "%s + (s / 25) %% 10, %s + s / 25, count(*), "
                "sum(100 + s %% 7), sum(80), sum(s %% 5), sum(2), sum(s %% 3), sum(s %% 4), "
                "sum(1), sum(1) FROM generate_series(0, %s - 1) s, generate_series(0, 11) k "
                "GROUP BY 1, 2, 3, 4",
                [inst.pk, c0, g0, n],
            )
            c.execute(
                f"INSERT INTO imports_monthlycampusabsence (month, institution_id, campus_id, "
                f"students, {counts}) SELECT month, institution_id, campus_id, sum(students), "
                "sum(lessons), sum(present), sum(health), sum(leave), sum(excused), "
                "sum(unexplained), sum(late), sum(school_activity) FROM imports_monthlyabsence "
                "WHERE institution_id = %s GROUP BY 1, 2, 3",
                [inst.pk],
            )
            c.execute(
                f"INSERT INTO imports_yearlyabsence (year, institution_id, campus_id, group_id, "
                f"{counts}) SELECT 2025, institution_id, campus_id, group_id, sum(lessons), "
                "sum(present), sum(health), sum(leave), sum(excused), sum(unexplained), "
                "sum(late), sum(school_activity) FROM imports_monthlyabsence "
                "WHERE institution_id = %s GROUP BY 1, 2, 3, 4",
                [inst.pk],
            )
            c.execute("ANALYZE imports_yearlypresence")
            c.execute("ANALYZE imports_yearlyabsence")
            c.execute("ANALYZE imports_presencecount")
            c.execute("ANALYZE imports_monthlyabsence")
            c.execute("ANALYZE imports_monthlycampusabsence")
            c.execute(
                "SELECT (SELECT count(*) FROM imports_yearlypresence WHERE institution_id = %s), "
                "(SELECT count(*) FROM imports_monthlyabsence WHERE institution_id = %s)",
                [inst.pk, inst.pk],
            )
            presence, monthly = c.fetchone()
        print(
            f"synthetic year: {n:,} students, {len(groups):,} groups, 10 campuses; "
            f"{presence:,} presence rows, {monthly:,} monthly rows"
        )
        failures = 0
        for scope_name, scope in (
            ("institution", DashboardScope(frozenset({inst.pk}), frozenset())),
            ("one campus", DashboardScope(frozenset(), frozenset({c0}))),
        ):
            for name, fn in (
                ("trend by month, campus", queries.trend_by_campus),
                ("absences by group", queries.by_group),
                ("lessons by absence class", queries.by_class),
            ):
                took, rows = timed(functools.partial(fn.uncached, scope, START, END), REPEAT)
                size = len(rows) if isinstance(rows, list) else 1
                line = f"{scope_name:<12} {name:<26} {took * 1000:8.1f} ms  ({size:,} rows)"
                if fn is not queries.trend_by_campus:
                    # The straightforward way: distinct students over the presence rows,
                    # lessons summed over the monthly rows.
                    fast = absences._distinct_students, absences._absence_sums
                    absences._distinct_students = distinct_over_presence
                    absences._absence_sums = functools.partial(absences._monthly, MonthlyAbsence)
                    try:
                        ref_took, ref = timed(
                            functools.partial(fn.uncached, scope, START, END), REPEAT
                        )
                    finally:
                        absences._distinct_students, absences._absence_sums = fast
                    same = "same values" if ref == rows else "DIFFERENT VALUES"
                    line += f"; straightforward {ref_took * 1000:8.1f} ms, {same}"
                    failures += ref != rows
                print(line)
        if os.environ.get("BENCH_EXPLAIN"):
            import time

            scope = DashboardScope(frozenset({inst.pk}), frozenset())
            for label, part in (
                (
                    "distinct",
                    lambda: absences._distinct_students(scope, START, END, None, "group_id"),
                ),
                (
                    "distinct all",
                    lambda: absences._distinct_students(scope, START, END, None, None),
                ),
                (
                    "sums",
                    lambda: list(
                        absences._rollup_sums(
                            absences._monthly(MonthlyAbsence, scope, START, END, None).values(
                                "group_id"
                            )
                        ).order_by()
                    ),
                ),
                ("all", lambda: absences.by_group_rollup(scope, START, END, None)),
            ):
                t = time.perf_counter()
                part()
                print(label, f"{(time.perf_counter() - t) * 1000:.1f} ms")
            inner = absences._presence(scope, START, END, None).values("group_id", "student_id")
            print(inner.distinct().order_by().explain(analyze=True))
    finally:
        with transaction.atomic(), connection.cursor() as c:
            for table in (
                "yearlypresence",
                "presencecount",
                "yearlyabsence",
                "monthlyabsence",
                "monthlycampusabsence",
            ):
                c.execute(f"DELETE FROM imports_{table} WHERE institution_id = %s", [inst.pk])
        StudentGroup.objects.filter(institution=inst).delete()
        Campus.objects.filter(institution=inst).delete()
        inst.delete()
        provider.delete()
    print("load average (1, 5, 15 min) at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if failures:
        raise SystemExit(f"{failures} aggregates differ from the straightforward count")


def distinct_over_presence(scope, start, end, institution_id, by):
    """What `absences._distinct_students` computed before the presence counts: distinct
    students over the presence rows (equal to the weekly summaries: test_rollups.py)."""
    from django.db.models import Count

    from opiskeluhuolto.insights import absences

    qs = absences._presence(scope, start, end, institution_id)
    if by:
        return list(
            qs.values(by).annotate(n=Count("student_id", distinct=True)).values_list(by, "n")
        )
    return [(qs.aggregate(n=Count("student_id", distinct=True))["n"],)]


if __name__ == "__main__":
    main()
