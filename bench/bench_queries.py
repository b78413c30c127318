"""Early-warning evaluation and dashboard queries over a year vs the best hand-written SQL.

    .venv/bin/python bench/bench_queries.py

Run after bench_import.py (the year 2025–2026 of the generated students). Each line
times our code path (ORM over the weekly summaries, plus the pure rule logic) and a
hand-written SQL query giving the same answer, median of 5 runs, and checks that the
answers agree. The last line shows what the summary table saves: absence hours
straight from the 20 M mark rows.
"""

# ruff: noqa: S608  (fixed benchmark SQL, parameters passed separately)
from __future__ import annotations

import functools
import os
from datetime import date, timedelta

from common import git_commit, machine, setup, timed

START, END, TODAY = date(2025, 8, 1), date(2026, 7, 31), date(2026, 6, 1)
REPEAT = 5

ABSENT = "w.health + w.leave + w.excused + w.unexplained"
HOURS = "w.health + w.excused + w.unexplained"


def sql(query: str, params: list) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(query, params)
        return c.fetchall()


def main() -> None:
    setup()
    from django.db import connection

    from opiskeluhuolto.access.insights import DashboardScope
    from opiskeluhuolto.insights import absences, evaluate, queries, rules, smallcells
    from opiskeluhuolto.insights.models import WarningRule
    from opiskeluhuolto.organisation.models import Institution

    inst = Institution.objects.get(slug="sedu")
    scope = DashboardScope(frozenset({inst.pk}), frozenset())
    evaluate.install_default_rules(inst)
    by_kind = {r.kind: r for r in evaluate.rules_for(inst)}
    with connection.cursor() as c:
        c.execute("ANALYZE")
        c.execute("SELECT count(*) FROM imports_weeklyabsence WHERE institution_id = %s", [inst.pk])
        weeks = c.fetchone()[0]
        c.execute("SELECT count(*), COALESCE(sum(length(codes) / 2), 0) FROM imports_attendanceday")
        days, marks = c.fetchone()
    print(f"machine: {machine()}")
    print("load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"commit: {git_commit()}")
    print(
        f"data: {days:,} day rows holding up to {marks:,} lesson slots, "
        f"{weeks:,} weekly summaries of institution {inst.slug}"
    )
    print(
        f"{'query':<34} {'ours ms':>9} {'hand ms':>9} {'ratio':>6}  same answer"
        f"  {'direct ms':>9}  same as direct"
    )

    def report(name, ours_fn, hand_fn, same, direct_fn=None) -> None:
        ours_s, ours = timed(ours_fn, REPEAT)
        hand_s, hand = timed(hand_fn, REPEAT)
        ok = same(ours, hand)
        line = (
            f"{name:<34} {ours_s * 1000:9.1f} {hand_s * 1000:9.1f} "
            f"{ours_s / hand_s:6.2f}  {'yes' if ok else 'NO':<11}"
        )
        if direct_fn is not None:
            direct_s, direct = timed(direct_fn, REPEAT)
            line += f"  {direct_s * 1000:9.1f}  {'yes' if ours == direct else 'NO'}"
        print(line, flush=True)

    def shaped(rows, labels):
        """Hand-written rows (labels..., students, lessons, absent, unexplained) in the
        shape of the app's rows, small cells hidden the same way."""
        out = []
        for r in rows:
            *label, students, lessons, absent, unexplained = r
            out.append(
                {
                    **dict(zip(labels, label, strict=True)),
                    "students": students,
                    "lessons": lessons,
                    "absent_pct": absences._share(absent, lessons),
                    "unexplained_pct": absences._share(unexplained, lessons),
                }
            )
        return smallcells.suppress(
            out, count_key="students", value_keys=("lessons", "absent_pct", "unexplained_pct")
        )

    def same_trend(ours, hand) -> bool:
        rows = shaped(hand, ("month", "unit"))
        for r in rows:
            r["unit"] = r["unit"] or "–"
        key = ("month", "unit", "students", "lessons", "absent_pct", "unexplained_pct", "hidden")
        return [tuple(r[k] for k in key) for r in ours] == [tuple(r[k] for k in key) for r in rows]

    def same_groups(ours, hand) -> bool:
        rows = shaped(hand, ("group_id", "unit"))
        for r in rows:
            r["unit"] = r["unit"] or "–"
        key = ("group_id", "unit", "students", "lessons", "absent_pct", "unexplained_pct")
        return sorted(tuple(str(r[k]) for k in key) for r in ours) == sorted(
            tuple(str(r[k]) for k in key) for r in rows
        )

    rollup_rows = {}
    with connection.cursor() as c:
        for table in ("monthlyabsence", "monthlycampusabsence", "yearlypresence"):
            c.execute(f"SELECT count(*) FROM imports_{table} WHERE institution_id = %s", [inst.pk])
            rollup_rows[table] = c.fetchone()[0]
    print(
        "rollups: "
        + ", ".join(f"{n:,} rows in imports_{t}" for t, n in rollup_rows.items())
        + f"; whole months cover the period: {absences.rollup_covers(scope, START, END)}"
    )
    trend_sql = (
        "SELECT date_trunc('month', w.week)::date, c.name, count(DISTINCT w.student_id), "
        f"sum(w.lessons), sum({ABSENT}), sum(w.unexplained) FROM imports_weeklyabsence w "
        "LEFT JOIN organisation_campus c ON c.id = w.campus_id "
        "WHERE w.institution_id = %s AND w.week BETWEEN %s AND %s GROUP BY 1, 2 ORDER BY 1, 2"
    )
    report(
        "dashboard: trend by month, campus",
        lambda: queries.trend_by_campus.uncached(scope, START, END),
        lambda: sql(trend_sql, [inst.pk, START, END]),
        same_trend,
        lambda: absences.trend_by_campus_direct(scope, START, END),
    )
    group_sql = (
        "SELECT w.group_id, g.name, count(DISTINCT w.student_id), sum(w.lessons), "
        f"sum({ABSENT}), sum(w.unexplained) FROM imports_weeklyabsence w "
        "LEFT JOIN organisation_studentgroup g ON g.id = w.group_id "
        "WHERE w.institution_id = %s AND w.week BETWEEN %s AND %s GROUP BY w.group_id, g.name"
    )
    report(
        "dashboard: absences by group",
        lambda: queries.by_group.uncached(scope, START, END),
        lambda: sql(group_sql, [inst.pk, START, END]),
        same_groups,
        lambda: absences.by_group_direct(scope, START, END),
    )
    class_sql = (
        "SELECT count(DISTINCT w.student_id), sum(w.lessons), sum(w.health), sum(w.leave), "
        "sum(w.excused), sum(w.unexplained), sum(w.late), sum(w.school_activity) "
        "FROM imports_weeklyabsence w WHERE w.institution_id = %s AND w.week BETWEEN %s AND %s"
    )

    def same_classes(ours, hand) -> bool:
        students, *sums = hand[0]
        if smallcells.hidden(students):
            return ours == {"hidden": True, "students": None}
        keys = ("lessons", "health", "leave", "excused", "unexplained", "late", "school_activity")
        return ours == {
            "hidden": False,
            "students": students,
            **{k: v or 0 for k, v in zip(keys, sums, strict=True)},
        }

    report(
        "dashboard: lessons by absence class",
        lambda: queries.by_class.uncached(scope, START, END),
        lambda: sql(class_sql, [inst.pk, START, END]),
        same_classes,
        lambda: absences.by_class_direct(scope, START, END),
    )
    for name, fn in (
        ("warning steps", queries.warning_steps),
        ("interruptions", queries.interruptions),
        ("compliance", queries.compliance),
    ):
        took, _ = timed(functools.partial(fn.uncached, scope, START, END), REPEAT)
        print(f"dashboard: {name:<24} {took * 1000:9.1f}  (no rollup: not over the summaries)")
    hours = by_kind[WarningRule.Kind.ABSENCE_HOURS]
    lowest = min(s.threshold for s in hours.steps.all())
    hours_sql = (
        f"SELECT w.student_id, sum({HOURS}) FROM imports_weeklyabsence w "
        "JOIN organisation_student s ON s.id = w.student_id "
        "WHERE w.institution_id = %s AND s.status = 'active' AND w.week BETWEEN %s AND %s "
        f"GROUP BY w.student_id HAVING sum({HOURS}) >= %s"
    )
    year = [inst.pk, rules.school_year_start(TODAY), TODAY, lowest]
    report(
        "early warning: absence hours",
        lambda: evaluate.evaluate_rule(hours, inst, TODAY),
        lambda: sql(hours_sql, year),
        lambda a, b: {h.student_id for h in a} == {r[0] for r in b},
    )
    share = by_kind[WarningRule.Kind.UNEXPLAINED_SHARE]
    pct = min(s.threshold for s in share.steps.all())
    share_sql = (
        "SELECT w.student_id, sum(w.unexplained) * 100 / sum(w.lessons) "
        "FROM imports_weeklyabsence w JOIN organisation_student s ON s.id = w.student_id "
        "WHERE w.institution_id = %s AND s.status = 'active' AND w.week BETWEEN %s AND %s "
        "GROUP BY w.student_id HAVING sum(w.unexplained) > 0 "
        "AND sum(w.unexplained) * 100 >= sum(w.lessons) * %s"
    )
    window = [inst.pk, rules.window_start(TODAY, share.window_weeks), TODAY, pct]
    report(
        "early warning: unexplained share",
        lambda: evaluate.evaluate_rule(share, inst, TODAY),
        lambda: sql(share_sql, window),
        lambda a, b: {h.student_id for h in a} == {r[0] for r in b},
    )
    days = by_kind[WarningRule.Kind.CONSECUTIVE_DAYS]
    streak_sql = (
        "SELECT w.student_id, w.week, w.marked_days, w.absent_days "
        "FROM imports_weeklyabsence w JOIN organisation_student s ON s.id = w.student_id "
        "WHERE w.institution_id = %s AND s.status = 'active' AND w.week BETWEEN %s AND %s "
        "AND w.student_id IN (SELECT student_id FROM imports_weeklyabsence "
        "WHERE institution_id = %s AND week BETWEEN %s AND %s AND absent_days > 0)"
    )

    start_days = rules.window_start(TODAY, days.window_weeks)

    def hand_streaks():
        from collections import defaultdict

        weeks_of = defaultdict(list)
        for sid, week, marked, absent in sql(
            streak_sql,
            [inst.pk, start_days, TODAY, inst.pk, start_days, TODAY],
        ):
            weeks_of[sid].append(rules.Week(week, marked, absent))
        limit = min(s.threshold for s in days.steps.all())
        return {s for s, w in weeks_of.items() if rules.longest_absent_streak(w) >= limit}

    report(
        "early warning: consecutive days",
        lambda: evaluate.evaluate_rule(days, inst, TODAY),
        hand_streaks,
        lambda a, b: {h.student_id for h in a} == b,
    )
    # The packed day rows unpacked in SQL: the code id of slot i is a little-endian
    # 16-bit number at byte 2i (see AttendanceDay).
    raw_sql = (
        "SELECT m.student_id, count(*) FROM imports_attendanceday m "
        "CROSS JOIN LATERAL generate_series(0, length(m.codes) / 2 - 1) i "
        "JOIN imports_markcode c "
        "ON c.id = get_byte(m.codes, 2 * i) + 256 * get_byte(m.codes, 2 * i + 1) "
        "JOIN organisation_student s ON s.id = m.student_id "
        "WHERE s.institution_id = %s AND s.status = 'active' AND m.day BETWEEN %s AND %s "
        "AND c.absence_class IN ('health', 'excused', 'unexplained') "
        "GROUP BY m.student_id HAVING count(*) >= %s"
    )
    # The summaries count whole weeks: the raw query must end where this week ends.
    week_end = TODAY + timedelta(days=6 - TODAY.weekday())
    report(
        "context: hours from the day rows",
        lambda: evaluate.evaluate_rule(hours, inst, TODAY),
        lambda: sql(raw_sql, [*year[:2], week_end, lowest]),
        lambda a, b: {h.student_id for h in a} == {r[0] for r in b},
    )
    cached_s, _ = timed(lambda: queries.trend_by_campus(scope, START, END), REPEAT)
    print(f"dashboard trend again from the cache (same data version): {cached_s * 1000:.1f} ms")
    total, _ = timed(lambda: evaluate.evaluate_institution(inst, TODAY), REPEAT)
    print(f"whole early-warning evaluation of {inst.slug}: {total * 1000:.0f} ms")
    # What keeping the rollups costs the import (it rewrites the same rows here).
    from django.db import transaction

    from opiskeluhuolto.imports import store

    months = [
        date(START.year + (START.month + k - 1) // 12, (START.month + k - 1) % 12 + 1, 1)
        for k in range(12)
    ]
    for label, chosen in (("the whole year", months), ("one month (May)", [date(2026, 5, 1)])):

        def refresh(chosen=chosen):
            with transaction.atomic():
                store.refresh_rollups(inst.pk, chosen)

        took, _ = timed(refresh, 1)
        print(f"rollup refresh inside an import, {label}: {took * 1000:.0f} ms")
    print("load average (1, 5, 15 min) at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
