"""Reading and writing the attendance store: packed day rows and weekly summaries.

PostgreSQL receives both tables through binary `COPY` built from NumPy arrays
(psycopg 3 `cursor.copy`), so a year of a large provider loads at close to the
speed of a raw copy; SQLite inserts the same rows in batches. Callers hold one
transaction around everything here, so a failure or a killed process leaves
nothing.
"""

# ruff: noqa: S608  (table names are module constants and numbers are int(); no user input)

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import numpy as np
from django.db import connection
from psycopg.copy import QueuedLibpqWriter

from . import columns
from .columns import (
    Days,
    Marks,
    Weeks,
    day_slices,
    encode_days,
    epoch_day,
    from_epoch,
)
from .models import ABSENT_CLASSES, AbsenceClass

AFFECTED = "tmp_oh_affected"
#: The absence classes in the order of the summary's count columns (named like the classes).
CLASSES = tuple(AbsenceClass.values)
ABSENT = tuple(k.value for k in ABSENT_CLASSES)
PG_EPOCH = epoch_day(date(2000, 1, 1))  # binary COPY counts days from 1.1.2000
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
COPY_TRAILER = b"\xff\xff"
NULL = object()


def _pg() -> bool:
    return connection.vendor == "postgresql"


def raw_cursor(cursor):
    """psycopg's own cursor under Django's wrapper (for COPY)."""
    return cursor.cursor if hasattr(cursor, "cursor") else cursor


def binary_records(fields: list[tuple[np.ndarray | object, str]], n: int) -> bytes:
    """`n` tuples in PostgreSQL's binary COPY format; each field is (values, NumPy dtype)
    or (NULL, "") for a column that is null in every tuple."""
    layout: list[tuple[str, str | tuple]] = [("count", ">i2")]
    for i, (values, dtype) in enumerate(fields):
        layout.append((f"len{i}", ">i4"))
        if values is not NULL:
            shape = values.shape[1:] if isinstance(values, np.ndarray) else ()
            layout.append((f"f{i}", (dtype, shape) if shape else dtype))
    records = np.empty(n, np.dtype(layout))
    records["count"] = len(fields)
    for i, (values, _dtype) in enumerate(fields):
        if values is NULL:
            records[f"len{i}"] = -1
            continue
        records[f"len{i}"] = records.dtype[f"f{i}"].itemsize
        records[f"f{i}"] = values
    return records.tobytes()


def copy_binary(table: str, columns: str, chunks: Iterable[bytes]) -> None:
    """Stream the chunks; a writer thread sends them, so the next chunk is built meanwhile."""
    with (
        connection.cursor() as c,
        raw_cursor(c).copy(
            f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT binary)",
            writer=QueuedLibpqWriter(raw_cursor(c)),
        ) as copy,
    ):
        copy.write(COPY_HEADER)
        for chunk in chunks:
            view = memoryview(chunk)
            for start in range(0, len(view), 1 << 22):
                copy.write(view[start : start + (1 << 22)])
        copy.write(COPY_TRAILER)


def load_rows(table: str, columns: str, rows: Iterable[tuple]) -> None:
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as c:
        if _pg():
            with raw_cursor(c).copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns.split(",")))
            c.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def create_affected(students: np.ndarray, weeks: np.ndarray) -> None:
    """A temporary table of the (student, week) pairs an import touches."""
    create_temp(AFFECTED, "student_id bigint, week_start date, week_end date")
    if _pg():
        copy_binary(
            AFFECTED,
            "student_id, week_start, week_end",
            [
                binary_records(
                    [
                        (students, ">i8"),
                        (weeks - PG_EPOCH, ">i4"),
                        (weeks + 6 - PG_EPOCH, ">i4"),
                    ],
                    len(students),
                )
            ],
        )
        with connection.cursor() as c:
            c.execute(f"ANALYZE {AFFECTED}")
    else:
        load_rows(
            AFFECTED,
            "student_id, week_start, week_end",
            (
                (int(s), from_epoch(w), from_epoch(w) + timedelta(days=6))
                for s, w in zip(students.tolist(), weeks.tolist(), strict=True)
            ),
        )


def create_temp(name: str, columns: str) -> None:
    """A new, empty temporary table of the import (one left by an earlier step dropped);
    on PostgreSQL it goes with the transaction."""
    on_commit = " ON COMMIT DROP" if _pg() else ""
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {'pg_temp' if _pg() else 'temp'}.{name}")
        c.execute(f"CREATE TEMP TABLE {name} ({columns}){on_commit}")


def drop_temp(name: str) -> None:
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {'pg_temp' if _pg() else 'temp'}.{name}")


def drop_affected() -> None:
    if not _pg():
        drop_temp(AFFECTED)


def days_exist(student_ids: list[int], first: date, last: date) -> bool:
    """Whether any of these students may have marks between the two days.

    SQLite answers for the range of student ids: a false yes only costs the careful
    merge, never a wrong result.
    """
    with connection.cursor() as c:
        if _pg():
            c.execute(
                "SELECT EXISTS (SELECT 1 FROM imports_attendanceday "
                "WHERE student_id = ANY(%s) AND day BETWEEN %s AND %s)",
                [student_ids, first, last],
            )
        else:
            c.execute(
                "SELECT EXISTS (SELECT 1 FROM imports_attendanceday WHERE student_id "
                "BETWEEN %s AND %s AND day BETWEEN %s AND %s)",
                [min(student_ids), max(student_ids), first, last],
            )
        return bool(c.fetchone()[0])


def write_days(marks: Marks) -> None:
    """Store sorted marks as day rows (see `AttendanceDay`)."""
    if not _pg():
        write_day_rows(encode_days(marks))
        return
    # Packed in parts, so PostgreSQL stores one part while the next is packed.
    copy_binary(
        "imports_attendanceday",
        DAY_COLUMNS,
        (
            chunk
            for part in day_slices(marks, 2_000_000)
            for chunk in _day_records(encode_days(part))
        ),
    )


DAY_COLUMNS = "student_id, day, codes, courses"


def _day_records(days: Days):
    # One fixed-width record type per day length (the last lesson marked).
    for width in columns.distinct_small(days.width).tolist():
        rows = np.flatnonzero(days.width == width)
        yield binary_records(
            [
                (days.student[rows], ">i8"),
                (days.day[rows] - PG_EPOCH, ">i4"),
                (days.codes[rows, :width], "<i2"),
                (days.courses[rows, :width], "<i4"),
            ],
            len(rows),
        )


def write_day_rows(days: Days, table: str = "imports_attendanceday") -> None:
    """Store packed days in `table` (the day table or a temporary one of its columns)."""
    if _pg():
        copy_binary(table, DAY_COLUMNS, _day_records(days))
    else:
        load_rows(table, DAY_COLUMNS, days.rows())


def unit_columns(
    students: np.ndarray, units: Mapping[int, tuple[int, int | None, int | None]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each student's institution, campus and group (-1 for none), as int64 arrays: the
    institution's students made arrays once, then looked up (a Python step per summary
    was 0.05–0.1 s a part of a 10,000-student file)."""
    n = len(units)
    ids = np.fromiter(units, np.int64, n)
    order = np.argsort(ids)
    ids = ids[order]
    rows = list(units.values())
    columns = [
        np.fromiter((-1 if r[k] is None else r[k] for r in rows), np.int64, n)[order]
        for k in range(3)
    ]
    at = np.minimum(np.searchsorted(ids, students), max(n - 1, 0))
    if len(students) and (not n or (ids[at] != students).any()):
        raise KeyError("a summary's student is not the institution's")
    return columns[0][at], columns[1][at], columns[2][at]


def write_weeks(
    weeks: Weeks,
    units: Mapping[int, tuple[int, int | None, int | None]],
    unit: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> int:
    """Insert the summaries; `units` gives each student's (institution, campus, group),
    `unit` those columns when the caller has them already (`unit_columns`)."""
    if not len(weeks):
        return 0
    institution, campus, group = unit or unit_columns(weeks.student, units)
    lessons = weeks.counts.sum(axis=1)
    columns = (
        "student_id, week, institution_id, campus_id, group_id, lessons, "
        + ", ".join(CLASSES)
        + ", marked_days, absent_days"
    )
    if not _pg():
        load_rows(
            "imports_weeklyabsence",
            columns,
            (
                (
                    int(weeks.student[i]),
                    from_epoch(weeks.week[i]),
                    int(institution[i]),
                    None if campus[i] < 0 else int(campus[i]),
                    None if group[i] < 0 else int(group[i]),
                    int(lessons[i]),
                    *(int(v) for v in weeks.counts[i]),
                    int(weeks.marked_days[i]),
                    int(weeks.absent_days[i]),
                )
                for i in range(len(weeks))
            ),
        )
        return len(weeks)

    def chunks():
        # Nullable campus and group: one record type per pattern of nulls.
        for has_campus in (True, False):
            for has_group in (True, False):
                rows = np.flatnonzero(((campus >= 0) == has_campus) & ((group >= 0) == has_group))
                if not len(rows):
                    continue
                yield binary_records(
                    [
                        (weeks.student[rows], ">i8"),
                        (weeks.week[rows] - PG_EPOCH, ">i4"),
                        (institution[rows], ">i8"),
                        (campus[rows], ">i8") if has_campus else (NULL, ""),
                        (group[rows], ">i8") if has_group else (NULL, ""),
                        (lessons[rows], ">i4"),
                        *((weeks.counts[rows, k], ">i4") for k in range(len(CLASSES))),
                        (weeks.marked_days[rows], ">i2"),
                        (weeks.absent_days[rows], ">i2"),
                    ],
                    len(rows),
                )

    copy_binary("imports_weeklyabsence", columns, chunks())
    return len(weeks)


def analyze_if_grown(table: str, added: int) -> None:
    """Refresh the planner's statistics of `table` after `added` rows, when they are many
    against what the statistics knew (PostgreSQL).

    Autovacuum analyses a table only after the import's transaction has committed; the
    rollups are computed before that, in the same transaction. Planned on the
    statistics of before a year's import (an empty table: estimates of one row) they
    read the summaries through an index row by row and sort on disk: 4.8 s against
    1.5 s for 10,000 students (issue 21, item 1). The early warning that follows the
    import's commit reads them too (its database CPU 0.9–1.1 s unanalysed, 0.4 s
    analysed). ANALYZE reads a fixed sample (0.1–0.3 s), so a small daily import skips it.
    """
    if not _pg() or added <= 0:
        return
    with connection.cursor() as c:
        c.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        known = c.fetchone()[0]
        if known < 0 or added > 0.2 * known:
            c.execute(f"ANALYZE {table}")


def lock_institution(institution_id: int) -> None:
    """Imports of one institution write one at a time (released at commit or rollback)."""
    if _pg():
        with connection.cursor() as c:
            c.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x0A77, institution_id])


# --- Rollups for the dashboards (see models.MonthlyAbsence and docs/) -----------------

SUMS = "sum(w.lessons), " + ", ".join(f"sum(w.{k})" for k in CLASSES)
ROLLUP_COUNTS = "lessons, " + ", ".join(CLASSES)


def month_sql(column: str) -> str:
    """The first day of the month of a date column, as a date."""
    if _pg():
        return f"date_trunc('month', {column})::date"
    return f"date({column}, 'start of month')"


def _month_bit_sql(column: str) -> str:
    """1 << the month's number within its school year (August = 0), for a statement
    with parameters (a literal percent sign doubled)."""
    if _pg():
        return f"(1 << ((EXTRACT(MONTH FROM {column})::int + 4) %% 12))"
    return f"(1 << ((CAST(strftime('%%m', {column}) AS INTEGER) + 4) %% 12))"


def _months_bits_sql(column: str) -> str:
    """The bits of the months of a group's rows (`_month_bit_sql`) or'ed together:
    PostgreSQL's `bit_or` aggregates by hashing; `sum(DISTINCT …)` (SQLite, which has no
    `bit_or`) sorts every row of the year first."""
    if _pg():
        return f"bit_or({_month_bit_sql(column)})"
    return f"sum(DISTINCT {_month_bit_sql(column)})"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def school_year(day: date) -> int:
    return day.year if day.month >= 8 else day.year - 1


def months_of_weeks(weeks: np.ndarray) -> list[date]:
    """The months (first days) of the Mondays in an array of epoch days."""
    return sorted({month_start(from_epoch(w)) for w in columns.distinct_small(weeks).tolist()})


#: The rollups kept per school year (`refresh_rollups` rewrites a year's rows whole).
YEARLY_ROLLUPS = ("imports_yearlypresence", "imports_presencecount", "imports_yearlyabsence")


def refresh_rollups(
    institution_id: int,
    months: Iterable[date],
    presence: bool = True,
    monthly: bool = True,
    presence_written: bool = False,
) -> None:
    """Rewrite the rollups of one institution for these months from the weekly summaries.

    Called by the import in its own transaction after the summaries are written, so
    the rollups change together with the summaries or not at all. The yearly
    presence rows, their counts and the yearly sums are rewritten for every school year
    the months fall in; the presence rows and their counts only with `presence`: a
    caller that rewrote summaries without adding, removing or relabelling any (a
    re-export whose marks changed) leaves them as they are, since they depend only on
    which (student, unit, month) have a summary (reading the year's summaries for them
    was 0.1–0.2 s of a 10,000-student term). Without `monthly` the monthly rollups are
    taken as they are (a merge moved them by its changes: `rollup_delta`) and only the
    yearly sums are rewritten from them. With `presence_written` the caller has
    replaced the yearly presence rows of these school years (`rollup_fresh`): only their
    counts are rewritten from them.

    Each rollup is one statement over all the months (issue 21, item 1): a statement per
    month read the summaries of the institution's weeks once per month (an index range
    whose rows lie all over the table, as the summaries are stored by student), 5 s of
    a 10,000-student year. A month's students are counted by first grouping its rows by
    student (a hashed aggregate) rather than by `count(DISTINCT …)`, which sorts.
    """
    months = sorted({month_start(m) for m in months})
    if not months:
        return
    month = month_sql("w.week")
    listed = ", ".join(["%s"] * len(months))
    where = f"w.institution_id = %s AND w.week >= %s AND w.week < %s AND {month} IN ({listed})"
    params: list[int | date] = [institution_id, months[0], next_month(months[-1]), *months]
    per_student = ", ".join(f"sum(w.{k}) AS {k}" for k in ROLLUP_COUNTS.split(", "))
    totals = ", ".join(f"sum({k})" for k in ROLLUP_COUNTS.split(", "))
    with connection.cursor() as c:
        for table, unit in (
            ("imports_monthlyabsence", "campus_id, group_id"),
            ("imports_monthlycampusabsence", "campus_id"),
        ):
            if not monthly:
                continue
            c.execute(
                f"DELETE FROM {table} WHERE institution_id = %s AND month IN ({listed})",
                [institution_id, *months],
            )
            w_unit = ", ".join(f"w.{u}" for u in unit.split(", "))
            c.execute(
                f"INSERT INTO {table} (month, institution_id, {unit}, students, {ROLLUP_COUNTS}) "
                f"SELECT month, institution_id, {unit}, count(*), {totals} FROM ("
                f"SELECT {month} AS month, w.institution_id, {w_unit}, w.student_id, "
                f"{per_student} FROM imports_weeklyabsence w WHERE {where} "
                f"GROUP BY {month}, w.institution_id, {w_unit}, w.student_id) s "
                f"GROUP BY month, institution_id, {unit}",
                params,
            )
        for year in sorted({school_year(m) for m in months}):
            tables: tuple[str, ...] = ("imports_yearlyabsence",)
            if presence:
                tables = YEARLY_ROLLUPS[1:] if presence_written else YEARLY_ROLLUPS
            for table in tables:
                c.execute(
                    f"DELETE FROM {table} WHERE institution_id = %s AND year = %s",
                    [institution_id, year],
                )
            c.execute(
                "INSERT INTO imports_yearlyabsence (year, institution_id, campus_id, group_id, "
                f"{ROLLUP_COUNTS}) SELECT %s, institution_id, campus_id, group_id, "
                f"{', '.join(f'sum({k})' for k in ROLLUP_COUNTS.split(', '))} "
                "FROM imports_monthlyabsence WHERE institution_id = %s "
                "AND month >= %s AND month < %s GROUP BY institution_id, campus_id, group_id",
                [year, institution_id, date(year, 8, 1), date(year + 1, 8, 1)],
            )
            if not presence:
                continue
            if not presence_written:
                # A student with more than one row (campus or group changed) is `moved`.
                c.execute(
                    "INSERT INTO imports_yearlypresence (student_id, year, institution_id, "
                    "campus_id, group_id, months, moved) SELECT w.student_id, %s, "
                    f"w.institution_id, w.campus_id, w.group_id, {_months_bits_sql('w.week')}, "
                    "count(*) OVER (PARTITION BY w.student_id) > 1 "
                    "FROM imports_weeklyabsence w WHERE w.institution_id = %s "
                    "AND w.week >= %s AND w.week < %s "
                    "GROUP BY w.student_id, w.institution_id, w.campus_id, w.group_id",
                    [year, institution_id, date(year, 8, 1), date(year + 1, 8, 1)],
                )
            c.execute(
                "INSERT INTO imports_presencecount (year, institution_id, campus_id, group_id, "
                "months, students) SELECT year, institution_id, campus_id, group_id, months, "
                "count(*) FROM imports_yearlypresence WHERE institution_id = %s AND year = %s "
                "AND NOT moved GROUP BY year, institution_id, campus_id, group_id, months",
                [institution_id, year],
            )


def rebuild_rollups(institution_id: int | None = None) -> int:
    """Rewrite the rollups of one institution (or all) from the weekly summaries.

    For data imported before the rollups existed, or after a student or campus was
    deleted (the summaries lose their rows; the rollups keep their counts until
    rebuilt). Returns the number of months rewritten.
    """
    where, params = ("WHERE institution_id = %s", [institution_id]) if institution_id else ("", [])
    with connection.cursor() as c:
        for table in ("imports_monthlyabsence", "imports_monthlycampusabsence"):
            c.execute(f"DELETE FROM {table} {where}", params)
        for table in YEARLY_ROLLUPS:
            c.execute(f"DELETE FROM {table} {where}", params)
        c.execute(
            f"SELECT DISTINCT institution_id, {month_sql('week')} "
            f"FROM imports_weeklyabsence {where}",
            params,
        )
        cells = c.fetchall()
    by_institution: dict[int, set[date]] = {}
    for inst, month in cells:
        if isinstance(month, str):
            month = date.fromisoformat(month)
        by_institution.setdefault(inst, set()).add(month)
    for inst, months in by_institution.items():
        refresh_rollups(inst, months)
    return len(cells)
