"""Early warning and guardian notices after an import, at two sizes (issue 21, item 1:
linear in the number of students).

    BENCH_DATABASE=oh_notices_bench .venv/bin/python bench/bench_notices.py \\
        --sizes 5000 10000 --dir /tmp/ohbench_notices

Needs a migrated database with the demo seeded (`seed_demo`), for the institution
`sedu`. For each size, smallest first: generates a roster with guardians and `--weeks`
weeks of attendance (`generate_attendance_csv --guardians`), imports both (not timed),
then times what runs after an attendance import (`insights.receivers`), each on its
own: the evaluation of the early-warning rules (`evaluate.evaluate_institution`),
opening the care tasks (`actions.open_care_tasks`, which evaluates again) and the
guardian notices (`actions.notify_guardians`, including the e-mail tasks it enqueues on
commit). Prints wall and CPU seconds (this process's `process_time`; PostgreSQL's
own work shows only in the wall time), queries, and microseconds per student; between
sizes the period's marks, summaries, tasks and notices are removed (not timed).
"""

# ruff: noqa: S108, S608  (a scratch directory; SQL built from this file's constant table names)
from __future__ import annotations

import argparse
import time
from datetime import date, timedelta
from pathlib import Path

from common import git_commit, machine, setup

PREFIX = "1.2.246.562.24.9"  # the generator's learner ids


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def measure(fn) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"wall": wall, "cpu": cpu, "queries": len(queries), "result": result}


def forget(inst_id: int) -> None:
    """Remove the period's marks, summaries, rollups, tasks and notices (not timed)."""
    from django.db import connection

    students = f"SELECT id FROM organisation_student WHERE oppijanumero LIKE '{PREFIX}%%'"
    with connection.cursor() as c:
        for table in ("imports_attendanceday", "imports_weeklyabsence"):
            c.execute(f"DELETE FROM {table} WHERE student_id IN ({students})")
        for table in (
            "imports_monthlyabsence",
            "imports_monthlycampusabsence",
            "imports_yearlypresence",
            "imports_yearlyabsence",
            "imports_presencecount",
        ):
            c.execute(f"DELETE FROM {table} WHERE institution_id = %s", [inst_id])
        c.execute(
            "DELETE FROM insights_taskevent WHERE task_id IN (SELECT id FROM insights_caretask "
            f"WHERE student_id IN ({students}))"
        )
        c.execute(f"DELETE FROM insights_caretask WHERE student_id IN ({students})")
        c.execute(f"DELETE FROM insights_guardiannotice WHERE student_id IN ({students})")
        c.execute("DELETE FROM django_tasks_database_dbtaskresult")
    from opiskeluhuolto.imports.models import ImportRun

    ImportRun.objects.filter(file_name__startswith="notices-").delete()
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE imports_weeklyabsence")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/ohbench_notices"))
    parser.add_argument("--start", default="2025-08-11")
    parser.add_argument("--weeks", type=int, default=8)
    args = parser.parse_args()
    setup()
    from django.core.management import call_command

    from opiskeluhuolto.imports import actions as imports
    from opiskeluhuolto.insights import actions, evaluate
    from opiskeluhuolto.organisation.models import Campus, Institution

    inst = Institution.objects.get(slug="sedu")
    campus = Campus.objects.get(institution=inst, name__contains="Koulutie")
    start = date.fromisoformat(args.start)
    today = start + timedelta(weeks=args.weeks) - timedelta(days=3)  # the last Friday
    print(f"machine: {machine()}")
    print(f"commit: {git_commit()}")
    print(f"load average before: {load()}; today {today}, {args.weeks} weeks of marks")
    per_student: dict[str, list[float]] = {}
    for size in sorted(args.sizes):
        forget(inst.pk)
        folder = args.dir / str(size)
        if not (folder / "attendance.csv").exists():
            call_command(
                "generate_attendance_csv",
                students=size,
                out=folder,
                start=start,
                weeks=args.weeks,
                campus=campus.name,
                guardians=True,
            )
        for kind, name in (("roster", "roster.csv"), ("attendance", "attendance.csv")):
            run = imports.create_run(
                inst, kind=kind, path=folder / name, file_name=f"notices-{size}-{name}"
            )
            run = imports.run_import(run, today=today)
            if run.status not in ("succeeded", "duplicate"):
                raise SystemExit(f"{kind} import {run.status}: {run.errors[:3]}")
        steps = {
            "evaluate": lambda: len(evaluate.evaluate_institution(inst, today)),
            "open_care_tasks": lambda: len(actions.open_care_tasks(inst, today=today)),
            "notify_guardians": lambda: actions.notify_guardians(inst, today=today),
        }
        for label, fn in steps.items():
            m = measure(fn)
            us = 1e6 * m["wall"] / size
            per_student.setdefault(label, []).append(us)
            print(
                f"{size:,} students, {label}: wall {m['wall']:.2f} s, CPU {m['cpu']:.2f} s, "
                f"{m['queries']} queries, result {m['result']:,}; {us:.0f} µs wall and "
                f"{1e6 * m['cpu'] / size:.0f} µs CPU a student (load {load()})",
                flush=True,
            )
    forget(inst.pk)
    print(f"load average after: {load()}")
    for label, values in per_student.items():
        print(
            f"LINEAR {label}: µs a student "
            + " / ".join(f"{v:.0f}" for v in values)
            + f" (sizes {' / '.join(map(str, sorted(args.sizes)))}); "
            f"largest / smallest {values[-1] / values[0]:.2f} (1.0 = linear)"
        )


if __name__ == "__main__":
    main()
