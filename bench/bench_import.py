"""Import of a provider-scale year of attendance vs a raw COPY of the same file.

    .venv/bin/python bench/bench_import.py --students 20000 --dir /tmp/ohbench

Needs a migrated database with the demo seeded (`seed_demo`), for the institution
`sedu`. Generates roster.csv and attendance.csv (unless present), imports the roster,
then, `--repeat` times in turn (the machine's noise hits both alike): (1) a raw COPY
of the file into an unindexed table with typed columns (the floor), and (2) our
import of it into an empty period: hash, parse and validate every row as columns,
pack the marks per student and day, binary COPY into the indexed day table and
write the weekly summaries, all in one transaction. Between runs the imported year
is deleted (not timed). Checks that the summaries hold the same lessons per absence
class as the raw copy, and prints the median ratio.
"""

# ruff: noqa: S108  (a scratch directory for generated files)
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from common import git_commit, machine, setup, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/ohbench"))
    parser.add_argument("--start", default="2025-08-11")
    parser.add_argument("--repeat", type=int, default=3, help="alternating raw/ours pairs")
    parser.add_argument(
        "--daily-export",
        action="store_true",
        help="generate as a daily export is (guardians, by day then student, CRLF; "
        "only when --dir has no attendance.csv yet)",
    )
    args = parser.parse_args()
    setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum

    from opiskeluhuolto.imports import actions
    from opiskeluhuolto.imports.models import AttendanceDay, WeeklyAbsence
    from opiskeluhuolto.organisation.models import Campus, Institution

    inst = Institution.objects.get(slug="sedu")
    campus = Campus.objects.get(institution=inst, name__contains="Koulutie")
    attendance = args.dir / "attendance.csv"
    if not attendance.exists():
        print(f"Generating {args.students} students …", flush=True)
        call_command(
            "generate_attendance_csv",
            students=args.students,
            out=args.dir,
            start=date.fromisoformat(args.start),
            campus=campus.name,
            guardians=args.daily_export,
            unsorted=args.daily_export,
            crlf=args.daily_export,
        )
    with open(attendance, "rb") as f:
        rows = sum(1 for _ in f) - 1
    size = attendance.stat().st_size
    print(f"machine: {machine()}")
    print(f"commit: {git_commit()}")
    print(f"file: {rows:,} marks, {size / 1e6:.0f} MB, {args.students:,} students")

    roster_run = actions.create_run(
        inst, kind="roster", path=args.dir / "roster.csv", file_name="roster.csv"
    )
    seconds, roster_run = timed(lambda: actions.run_import(roster_run))
    print(f"roster import: {roster_run.status}, {roster_run.rows_read:,} rows, {seconds:.1f} s")

    def raw_copy() -> int:
        with connection.cursor() as c:
            c.execute("DROP TABLE IF EXISTS bench_raw_marks")
            c.execute(
                "CREATE TABLE bench_raw_marks (oppijanumero text, pvm date, tunti smallint, "
                "kurssi text, merkinta text)"
            )
            c.execute("SET datestyle = 'ISO, DMY'")
            with (
                open(attendance, "rb") as f,
                c.cursor.copy(
                    "COPY bench_raw_marks FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)"
                ) as copy,
            ):
                while block := f.read(1 << 20):
                    copy.write(block)
        connection.commit() if not connection.get_autocommit() else None
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM bench_raw_marks")
            return c.fetchone()[0]

    def forget_year() -> None:
        """Remove the imported year (not timed), so every run imports into an empty period."""
        from opiskeluhuolto.imports.models import ImportRun

        with connection.cursor() as c:
            c.execute(
                "DELETE FROM imports_attendanceday WHERE student_id IN "
                "(SELECT id FROM organisation_student WHERE oppijanumero LIKE %s)",
                ["1.2.246.562.24.9%"],
            )
            c.execute(
                "DELETE FROM imports_weeklyabsence WHERE student_id IN "
                "(SELECT id FROM organisation_student WHERE oppijanumero LIKE %s)",
                ["1.2.246.562.24.9%"],
            )
        ImportRun.objects.filter(kind="attendance", file_name="attendance.csv").delete()
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE imports_attendanceday")
            c.execute("VACUUM ANALYZE imports_weeklyabsence")
            c.execute("CHECKPOINT")

    def same_answer() -> str:
        """Lessons per mark code: from the raw copy vs from our weekly summaries."""
        with connection.cursor() as c:
            c.execute(
                "SELECT k.absence_class, count(*) FROM bench_raw_marks r "
                "JOIN imports_markcode k ON k.code = r.merkinta AND k.institution_id = %s "
                "GROUP BY 1",
                [inst.pk],
            )
            raw_counts = dict(c.fetchall())
        sums = WeeklyAbsence.objects.filter(student__oppijanumero__startswith="1.2.246.562.24.9")
        ours = sums.aggregate(**{k: Sum(k) for k in raw_counts})
        return "yes" if ours == raw_counts else f"NO: {ours} vs {raw_counts}"

    ratios, ours_times, raw_times = [], [], []
    for i in range(args.repeat):
        forget_year()
        raw, copied = timed(raw_copy)
        phases: dict[str, float] = {}
        last = {"phase": "scan and read", "t": time.perf_counter()}

        def progress(run, phases=phases, last=last) -> None:
            if run.phase != last["phase"]:
                now = time.perf_counter()
                phases[last["phase"]] = phases.get(last["phase"], 0) + now - last["t"]
                last.update(phase=run.phase, t=now)

        run = actions.create_run(
            inst, kind="attendance", path=attendance, file_name="attendance.csv"
        )
        ours, run = timed(
            lambda run=run, progress=progress: actions.run_import(run, progress=progress)
        )
        if run.status != "succeeded":
            print("import failed:", run.errors[:5], file=sys.stderr)
            sys.exit(1)
        days = AttendanceDay.objects.filter(student__oppijanumero__startswith="1.2.246.562.24.9")
        print(
            f"run {i + 1}: raw COPY {raw:.1f} s ({copied:,} rows); our import {ours:.1f} s "
            f"({rows / ours:,.0f} rows/s, {run.rows_written:,} marks in {days.count():,} day "
            f"rows); ratio {ours / raw:.2f}; phases: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items())
        )
        ratios.append(ours / raw)
        ours_times.append(ours)
        raw_times.append(raw)
    print(f"same answer (lessons per absence class, raw copy vs summaries): {same_answer()}")
    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS bench_raw_marks")
    again = actions.create_run(inst, kind="attendance", path=attendance, file_name="again.csv")
    dup_s, again = timed(lambda: actions.run_import(again))
    print(f"same file again: {again.status}, {dup_s:.1f} s, nothing added")
    print(
        f"median of {args.repeat}: raw COPY {statistics.median(raw_times):.1f} s, "
        f"our import {statistics.median(ours_times):.1f} s"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process (the import's arrays included): {peak:,.0f} MB")
    print(f"RATIO import / raw COPY = {statistics.median(ratios):.2f} (median; target ≤ 1.3)")


if __name__ == "__main__":
    main()
