"""Import of a provider-scale year of attendance vs the real floor of its work (issue 21, 1).

    .venv/bin/python bench/bench_import.py --students 20000 --dir /tmp/ohbench

Needs a migrated database with the demo seeded (`seed_demo`), for the institution
`sedu`. Generates roster.csv and attendance.csv (unless present) as a daily export is:
guardians in the roster, marks by day then student, CRLF (`generate_attendance_csv
--guardians --unsorted --crlf`), imports the roster, then `--repeat` times in turn:

1. **the floor of a year**: parse the file (Polars, every column typed, the dates read)
   plus a binary `COPY` of the import's own final rows — its day rows, weekly summaries
   and the five dashboard rollups, dumped after the first import — into empty copies of
   those tables *with their indexes*, committed;
2. **our import** of the year into an empty period, in a process of its own, so that its
   peak memory (its `VmHWM`) is the importing process's alone;
3. **the floor of the merge**: parse the re-exported term plus a binary `COPY` of the rows
   the merge rewrites (the term's day rows and summaries, the rollups);
4. **our merge**: the re-exported autumn term (every 50th mark changed) imported over the
   stored year — the normal case of a school exporting again.

Between rounds the imported year is deleted (not timed). Checks that the summaries hold
the same lessons per absence class as the file, prints min and median of each side and
ratio, the CPU seconds of each side (the process and its database session's server
process: a measure a loaded machine does not inflate as it does wall time) and their
ratio, and the machine's load before and after.
"""

# ruff: noqa: S108, S608  (a scratch directory; SQL built from this file's constant table names)
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from common import git_commit, machine, setup

PREFIX = "1.2.246.562.24.9"  # the generator's learner ids
#: The import's own final rows: table → the rows of the benchmark's students.
FINAL = {
    "imports_attendanceday": "student_id IN (SELECT id FROM organisation_student "
    f"WHERE oppijanumero LIKE '{PREFIX}%%')",
    "imports_weeklyabsence": "student_id IN (SELECT id FROM organisation_student "
    f"WHERE oppijanumero LIKE '{PREFIX}%%')",
    "imports_monthlyabsence": "institution_id = %(inst)s",
    "imports_monthlycampusabsence": "institution_id = %(inst)s",
    "imports_yearlypresence": "institution_id = %(inst)s",
    # The yearly sums and presence counts the dashboards read (branch h21imp3: small,
    # 521 rows each at 10,000 students, but the import writes them too).
    "imports_presencecount": "institution_id = %(inst)s",
    "imports_yearlyabsence": "institution_id = %(inst)s",
}
#: What the merge rewrites: the term's days and weeks; the rollups of its months.
TERM_ONLY = {
    "imports_attendanceday": "day BETWEEN '%(first)s' AND '%(last)s'",
    "imports_weeklyabsence": "week BETWEEN '%(first)s' AND '%(last)s'",
}


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far by this process (all its threads) and by its database
    session's server process (same machine): the work of either side, which a loaded
    machine does not inflate as it does wall time."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        backend = c.fetchone()[0]
    fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    server = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return time.process_time(), server


def child(path: str, file_name: str) -> None:
    """Run one import in this process and print what it measured (`--child`)."""
    setup()
    from opiskeluhuolto.imports import actions
    from opiskeluhuolto.organisation.models import Institution

    inst = Institution.objects.get(slug="sedu")
    phases: dict[str, float] = {}
    phase, since = "reading", time.perf_counter()

    def progress(run) -> None:
        nonlocal phase, since
        if run.phase != phase:
            now = time.perf_counter()
            phases[phase] = phases.get(phase, 0) + now - since
            phase, since = run.phase, now

    run = actions.create_run(inst, kind="attendance", path=Path(path), file_name=file_name)
    # Polars is imported before the clock starts, as the floor's parse runs in a process
    # that has it and a worker imports it once: 0.2 s of CPU, 0.5 s when its bytecode is
    # not cached (PYTHONDONTWRITEBYTECODE, set on this machine), counted as ours before.
    import polars  # noqa: F401

    cpu0 = cpu_seconds()
    started = time.perf_counter()
    run = actions.run_import(run, progress=progress)
    seconds = time.perf_counter() - started
    cpu1 = cpu_seconds()
    print(
        "CHILD "
        + json.dumps(
            {
                "seconds": seconds,
                "status": run.status,
                "written": run.rows_written,
                "errors": run.errors[:3],
                "phases": phases,
                "cpu": cpu1[0] - cpu0[0],
                "cpu_db": cpu1[1] - cpu0[1],
                # This process's own peak resident memory. Not `wait4`'s ru_maxrss: Linux
                # keeps in it the parent's peak from before the exec (subprocess spawns
                # with vfork), so a parent that has read a file would show through.
                "peak_kb": int(
                    next(
                        x.split()[1]
                        for x in Path("/proc/self/status").read_text().splitlines()
                        if x.startswith("VmHWM:")
                    )
                ),
            }
        ),
        flush=True,
    )


def run_child(path: Path, file_name: str) -> dict:
    """Our import in a process of its own; its peak resident memory (VmHWM) as it ends."""
    proc = subprocess.Popen(  # noqa: S603 -- this script, our own arguments
        [sys.executable, __file__, "--child", str(path), "--file-name", file_name],
        stdout=subprocess.PIPE,
        text=True,
    )
    out = proc.stdout.read() if proc.stdout else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    line = next((x for x in out.splitlines() if x.startswith("CHILD ")), None)
    if proc.returncode or line is None:
        raise SystemExit(f"the import process failed ({proc.returncode}): {out}")
    result = json.loads(line.removeprefix("CHILD "))
    if result["status"] != "succeeded":
        raise SystemExit(f"import {result['status']}: {result['errors']}")
    result["peak_mb"] = result["peak_kb"] / 1024  # VmHWM (see `child`); ru_maxrss is not it
    del usage
    return result


def parse_file(path: Path) -> int:
    """The floor's parse: every column of the file typed, the dates read."""
    import polars as pl

    df = pl.read_csv(
        path,
        separator=";",
        schema={
            "oppijanumero": pl.String,
            "pvm": pl.String,
            "tunti": pl.Int8,
            "kurssi": pl.String,
            "merkinta": pl.String,
        },
        quote_char=None,
    ).with_columns(pl.col("pvm").str.strptime(pl.Date, "%d.%m.%Y"))
    return df.height


def dump_final(
    directory: Path, inst_id: int, tag: str, term: tuple[date, date] | None = None
) -> dict[str, int]:
    """The import's own final rows, as PostgreSQL's binary COPY format, one file a table."""
    from django.db import connection

    sizes = {}
    params: dict[str, int | str] = {"inst": inst_id}
    if term:
        params |= {"first": term[0].isoformat(), "last": term[1].isoformat()}
    with connection.cursor() as c:
        for table, where in FINAL.items():
            if term and table in TERM_ONLY:
                where = f"{where} AND {TERM_ONLY[table]}"
            sql = f"COPY (SELECT * FROM {table} WHERE {where % params}) TO STDOUT (FORMAT binary)"
            target = directory / f"floor-{tag}-{table}.bin"
            with open(target, "wb") as f, c.cursor.copy(sql) as copy:
                for data in copy:
                    f.write(data)
            sizes[table] = target.stat().st_size
    return sizes


def floor(directory: Path, csv: Path, tag: str) -> dict:
    """Parse `csv`, then COPY the dumped final rows into empty indexed copies of their
    tables in one transaction, committed. The empty tables are made before the clock
    starts and dropped after it stops."""
    from django.db import connection, transaction

    tables = list(FINAL)
    with connection.cursor() as c:
        for table in tables:
            c.execute(f"DROP TABLE IF EXISTS bench_floor_{table}")
            c.execute(
                f"CREATE TABLE bench_floor_{table} (LIKE {table} INCLUDING DEFAULTS "
                "INCLUDING CONSTRAINTS INCLUDING INDEXES)"
            )
    cpu0 = cpu_seconds()
    started = time.perf_counter()
    rows = parse_file(csv)
    parsed = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        for table in tables:
            source = directory / f"floor-{tag}-{table}.bin"
            with (
                open(source, "rb") as f,
                c.cursor.copy(f"COPY bench_floor_{table} FROM STDIN (FORMAT binary)") as copy,
            ):
                while block := f.read(1 << 20):
                    copy.write(block)
    done = time.perf_counter()
    cpu1 = cpu_seconds()
    with connection.cursor() as c:
        for table in tables:
            c.execute(f"DROP TABLE bench_floor_{table}")
    return {
        "seconds": done - started,
        "parse": parsed - started,
        "copy": done - parsed,
        "rows": rows,
        "cpu": cpu1[0] - cpu0[0],
        "cpu_db": cpu1[1] - cpu0[1],
    }


def term_file(attendance: Path, target: Path, last: date) -> tuple[int, tuple[date, date]]:
    """The autumn term re-exported: the year's marks up to `last`, every 50th changed to
    another code of the file's (as corrections arrive), CRLF kept."""
    if target.exists():
        return -1, (date(2025, 8, 11), last)
    codes: list[str] = []
    kept = changed = 0
    first_day, last_day = date.max, date.min
    with open(attendance, "rb") as src, open(target, "wb") as out:
        out.write(src.readline())
        for line in src:
            fields = line.rstrip(b"\r\n").split(b";")
            d, m, y = (int(x) for x in fields[1].split(b"."))
            day = date(y, m, d)
            if day > last:
                continue
            code = fields[4].decode()
            if code not in codes:
                codes.append(code)
            kept += 1
            if kept % 50 == 0 and len(codes) > 1:
                fields[4] = codes[(codes.index(code) + 1) % len(codes)].encode()
                changed += 1
                line = b";".join(fields) + b"\r\n"
            first_day, last_day = min(first_day, day), max(last_day, day)
            out.write(line)
    print(f"term file: {kept:,} marks {first_day}–{last_day}, {changed:,} changed")
    return kept, (first_day, last_day)


def forget_year(inst_id: int) -> None:
    """Remove the imported year (not timed), so every round imports into an empty period."""
    from django.db import connection

    from opiskeluhuolto.imports.models import ImportRun

    with connection.cursor() as c:
        for table in ("imports_attendanceday", "imports_weeklyabsence"):
            c.execute(f"DELETE FROM {table} WHERE {FINAL[table] % {'inst': inst_id}}")
        for table in (
            "imports_monthlyabsence",
            "imports_monthlycampusabsence",
            "imports_yearlypresence",
        ):
            c.execute(f"DELETE FROM {table} WHERE institution_id = %s", [inst_id])
    ImportRun.objects.filter(kind="attendance", file_name__startswith="bench-").delete()
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE imports_attendanceday")
        c.execute("VACUUM ANALYZE imports_weeklyabsence")
        c.execute("CHECKPOINT")


def same_answer(csv: Path, inst_id: int) -> str:
    """Lessons per absence class: counted from the file vs summed over our summaries."""
    import polars as pl
    from django.db.models import Sum

    from opiskeluhuolto.imports.models import MarkCode, WeeklyAbsence

    classes = dict(
        MarkCode.objects.filter(institution_id=inst_id).values_list("code", "absence_class")
    )
    counts = (
        pl.read_csv(
            csv, separator=";", columns=["merkinta"], schema_overrides={"merkinta": pl.String}
        )
        .group_by("merkinta")
        .len()
    )
    from_file: dict[str, int] = {}
    for code, n in counts.iter_rows():
        from_file[classes[code]] = from_file.get(classes[code], 0) + n
    sums = WeeklyAbsence.objects.filter(student__oppijanumero__startswith=PREFIX)
    ours = sums.aggregate(**{k: Sum(k) for k in from_file})
    return "yes" if ours == from_file else f"NO: {ours} vs {from_file}"


def report(i, label, f, ours, results, peaks, keys) -> None:
    floor_key, ours_key = keys
    results[floor_key].append(f["seconds"])
    results[ours_key].append(ours["seconds"])
    peaks[ours_key].append(ours["peak_mb"])
    results.setdefault(f"cpu {label}", []).append(
        (ours["cpu"] + ours["cpu_db"]) / (f["cpu"] + f["cpu_db"])
    )
    print(
        f"round {i + 1} {label}: floor {f['seconds']:.1f} s (parse {f['parse']:.1f} + COPY "
        f"{f['copy']:.1f}); ours {ours['seconds']:.1f} s, {ours['written']:,} marks, peak "
        f"{ours['peak_mb']:,.0f} MB; ratio {ours['seconds'] / f['seconds']:.2f}; phases: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in ours["phases"].items())
        + f"; CPU (process + its database session): floor {f['cpu']:.1f} + {f['cpu_db']:.1f} s, "
        f"ours {ours['cpu']:.1f} + {ours['cpu_db']:.1f} s, ratio "
        f"{(ours['cpu'] + ours['cpu_db']) / (f['cpu'] + f['cpu_db']):.2f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/ohbench"))
    parser.add_argument("--start", default="2025-08-11")
    parser.add_argument("--term-ends", default="2025-12-19", help="last day of the re-export")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of floor/ours, alternated")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file-name", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file_name)
        return
    setup()
    from django.core.management import call_command

    from opiskeluhuolto.imports import actions
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
            guardians=True,
            unsorted=True,
            crlf=True,
        )
    term = args.dir / "term.csv"
    _n, term_days = term_file(attendance, term, date.fromisoformat(args.term_ends))
    with open(attendance, "rb") as f:
        rows = sum(1 for _ in f) - 1
    print(f"machine: {machine()}")
    print(f"commit: {git_commit()}")
    print(f"load average before: {load()}")
    print(
        f"file: {rows:,} marks, {attendance.stat().st_size / 1e6:.0f} MB, {args.students:,} "
        f"students (guardians, by day then student, CRLF); term {term.stat().st_size / 1e6:.0f} MB"
    )
    roster_run = actions.create_run(
        inst, kind="roster", path=args.dir / "roster.csv", file_name="roster.csv"
    )
    started = time.perf_counter()
    roster_run = actions.run_import(roster_run)
    print(
        f"roster import: {roster_run.status}, {roster_run.rows_read:,} rows, "
        f"{time.perf_counter() - started:.1f} s"
    )

    results: dict[str, list[float]] = {k: [] for k in ("floor", "ours", "mfloor", "merge")}
    peaks: dict[str, list[float]] = {"ours": [], "merge": []}
    for i in range(args.repeat):
        forget_year(inst.pk)
        # The first round dumps the import's own final rows after it; later rounds time
        # the floor first, so the two sides alternate.
        if i:
            year_floor = floor(args.dir, attendance, "year")
        ours = run_child(attendance, f"bench-year-{i}")
        if not i:
            sizes = dump_final(args.dir, inst.pk, "year")
            print(
                "final rows (binary COPY): "
                + ", ".join(f"{k} {v / 1e6:.0f} MB" for k, v in sizes.items())
            )
            year_floor = floor(args.dir, attendance, "year")
            print(
                f"same answer (lessons per class, file vs summaries): {same_answer(attendance, inst.pk)}"
            )
        report(i, "year", year_floor, ours, results, peaks, ("floor", "ours"))
        if i:
            mf = floor(args.dir, term, "term")
        merge = run_child(term, f"bench-term-{i}")
        if not i:
            dump_final(args.dir, inst.pk, "term", term_days)
            mf = floor(args.dir, term, "term")
        report(i, "merge", mf, merge, results, peaks, ("mfloor", "merge"))
    print(f"load average after: {load()}")
    for label, a, b, target in (("year", "ours", "floor", 1.3), ("merge", "merge", "mfloor", 2.0)):
        ratios = [x / y for x, y in zip(results[a], results[b], strict=True)]
        print(
            f"RATIO {label}: ours min {min(results[a]):.1f} / median {statistics.median(results[a]):.1f} s, "
            f"floor min {min(results[b]):.1f} / median {statistics.median(results[b]):.1f} s, "
            f"ratio min {min(ratios):.2f} / median {statistics.median(ratios):.2f} (target ≤ {target})"
        )
    for label in ("year", "merge"):
        cpu = results[f"cpu {label}"]
        print(
            f"CPU RATIO {label} (process + its database session, ours / floor): "
            f"min {min(cpu):.2f} / median {statistics.median(cpu):.2f}"
        )
    print(
        "peak memory of the importing process: year "
        + " / ".join(f"{p:,.0f}" for p in peaks["ours"])
        + " MB; merge "
        + " / ".join(f"{p:,.0f}" for p in peaks["merge"])
        + " MB (target ≤ 1,024 MB)"
    )


if __name__ == "__main__":
    main()
