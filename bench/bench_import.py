"""Import of a provider-scale year of attendance vs a raw COPY of the same file.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oh_bench \
        .venv/bin/python bench/bench_import.py --students 20000 --dir /tmp/ohbench

Needs a migrated database with the demo seeded (`seed_demo`), for the institution
`sedu`. Generates roster.csv and attendance.csv (unless present), imports the roster,
then times (1) our import of the attendance file: hash, parse and validate every
row as columns, pack the marks per student and day, binary COPY into the indexed
day table and write the weekly summaries, all in one transaction; and (2) a raw COPY of the
same file into an unindexed table with typed columns (the floor). Prints the ratio.
"""

# ruff: noqa: S108  (a scratch directory for generated files)
from __future__ import annotations

import argparse
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
    args = parser.parse_args()
    setup()
    from django.core.management import call_command
    from django.db import connection

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

    phases: dict[str, float] = {}
    last = {"phase": "hash", "t": time.perf_counter()}

    def progress(run) -> None:
        if run.phase != last["phase"]:
            now = time.perf_counter()
            phases[last["phase"]] = phases.get(last["phase"], 0) + now - last["t"]
            last.update(phase=run.phase, t=now)

    days_before = AttendanceDay.objects.count()
    run = actions.create_run(inst, kind="attendance", path=attendance, file_name="attendance.csv")
    ours, run = timed(lambda: actions.run_import(run, progress=progress))
    if run.status != "succeeded":
        print("import failed:", run.errors[:5], file=sys.stderr)
        sys.exit(1)
    days = AttendanceDay.objects.count() - days_before
    print(
        f"our import: {ours:.1f} s ({rows / ours:,.0f} rows/s), {run.rows_written:,} marks "
        f"added in {days:,} day rows, {WeeklyAbsence.objects.count():,} weekly summaries"
    )
    print("  phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items()))

    again = actions.create_run(inst, kind="attendance", path=attendance, file_name="again.csv")
    dup_s, again = timed(lambda: actions.run_import(again))
    print(f"same file again: {again.status}, {dup_s:.1f} s, nothing added")

    def raw_copy() -> None:
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

    raw, _ = timed(raw_copy)
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM bench_raw_marks")
        copied = c.fetchone()[0]
        c.execute("DROP TABLE bench_raw_marks")
    print(f"raw COPY into an unindexed table: {raw:.1f} s ({copied:,} rows)")
    print(f"RATIO import / raw COPY = {ours / raw:.2f} (target ≤ 1.3)")


if __name__ == "__main__":
    main()
