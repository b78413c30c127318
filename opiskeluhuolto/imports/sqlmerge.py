"""Laying a file over stored weeks with PostgreSQL: the stored days that stay as they
are never travel to Python (issue 21, item 1: a re-exported term over a stored year).

The file's days go into a temporary table (binary `COPY`, `store.write_day_rows`); one
query joins them to the stored days and sends back, `MAX_LESSON` wide, only the
stored days that differ from the file's (or a flag that there is none). NumPy lays each
file day over its stored day lesson by lesson (the file wins where it marks a lesson,
the stored mark stays where it does not: the rule of `columns.merge`); only the days
that change are upserted (`merging.upsert_days`). Only the weeks holding a changed day
get new summaries (counted by `columns.week_summaries` from the file's days, the few
merged days that differ from them and the stored days of those weeks the file does not
have); only their months new rollups. The result equals `merging`'s NumPy path (a test
compares both).

Hand-written because the packing of a day is the project's own (`AttendanceDay`). The
overlay was once one SQL expression per lesson slot (`MAX_LESSON` × 3 `CASE`s of
`substring`s, 4.5 µs a differing day of server CPU, about 0.5 s of a 10,000-student
term); over padded arrays it is three NumPy operations.
"""

# ruff: noqa: S608  (table names are module constants; no user input)

from __future__ import annotations

from datetime import date

import numpy as np
import psycopg
from django.db import connection

from . import store
from .columns import MAX_LESSON, Days, Marks, encode_days, from_epoch, monday, week_summaries
from .merging import (
    Merged,
    days_to_marks,
    keys,
    padded,
    replace_weeks,
    rows_to_days,
    upsert_days,
    widths,
)

FILE_DAYS = "tmp_oh_file_days"
ZEROS = "'\\x" + "00" * (4 * MAX_LESSON) + "'::bytea"
#: A differing stored day as `DIFFERING_SQL` packs it.
RECORD = np.dtype(
    [
        ("student", ">i8"),
        ("day", ">i4"),
        ("found", "u1"),
        ("codes", "<i2", (MAX_LESSON,)),
        ("courses", "<i4", (MAX_LESSON,)),
    ]
)
#: Every file day whose stored day differs or is missing, packed into one `bytea` (see
#: `fetch_packed`): the file day's key, whether a stored day exists, and the stored day
#: padded with zeros to `MAX_LESSON` lessons.
DIFFERING_SQL = f"""
SELECT string_agg(
    int8send(n.student_id) || int4send(n.day - DATE '1970-01-01')
    || CASE WHEN s.student_id IS NULL THEN '\\x00'::bytea ELSE '\\x01'::bytea END
    || substring(coalesce(s.codes, ''::bytea) || {ZEROS} from 1 for {2 * MAX_LESSON})
    || substring(coalesce(s.courses, ''::bytea) || {ZEROS} from 1 for {4 * MAX_LESSON}),
    ''::bytea)
FROM {FILE_DAYS} n LEFT JOIN imports_attendanceday s
    ON s.student_id = n.student_id AND s.day = n.day
    AND s.student_id BETWEEN {{lo}} AND {{hi}} AND s.day BETWEEN '{{first}}' AND '{{last}}'
WHERE s.codes IS NULL OR s.codes <> n.codes OR s.courses <> n.courses
"""
#: The keys of the stored days of the changed weeks (`store.AFFECTED`), packed (see
#: `fetch_packed`, `KEY_RECORD`). Those the file does not have are looked up
#: by `OTHER_DAYS_SQL`: usually none, as a re-export has the stored days. (An anti-join
#: against the file's days in SQL hashed all of them, and needed an `ANALYZE` of their
#: table not to probe them row by row: 0.8 s of a 10,000-student term.)
STORED_KEYS_SQL = f"""
SELECT string_agg(int8send(s.student_id) || int4send(s.day - DATE '1970-01-01'), ''::bytea)
FROM imports_attendanceday s JOIN {store.AFFECTED} a
    ON a.student_id = s.student_id AND s.day >= a.week_start AND s.day <= a.week_end
"""
KEY_RECORD = np.dtype([("student", ">i8"), ("day", ">i4")])
OTHER_DAYS_SQL = """
SELECT s.student_id, s.day - DATE '1970-01-01', s.codes, s.courses
FROM imports_attendanceday s
    JOIN unnest(%s::bigint[], %s::int[]) AS k(student_id, day)
    ON s.student_id = k.student_id AND s.day = DATE '1970-01-01' + k.day
"""


def fetch_packed(sql: str, record: np.dtype) -> np.ndarray:
    """The fixed-width records a query packs into one `bytea` (`string_agg`), read as
    one array. (A binary `COPY` out costs a Python step per row in psycopg: 0.5 s of a
    10,000-student term's 280,000 rows.)"""
    connection.ensure_connection()
    # Django's cursors bind on the client side, which has no binary results.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, binary=True)
        row = cursor.fetchone()
    packed = row[0] if row else None
    return np.frombuffer(packed or b"", record)


def other_days(file_keys: np.ndarray) -> Days:
    """The stored days of the changed weeks (`store.AFFECTED`) whose keys are not in
    the sorted `file_keys`."""
    stored = fetch_packed(STORED_KEYS_SQL, KEY_RECORD)
    stored_keys = keys(stored["student"], stored["day"])
    missing = np.flatnonzero(~among(stored_keys, file_keys))
    if not len(missing):
        return rows_to_days([])
    with connection.cursor() as c:
        c.execute(
            OTHER_DAYS_SQL,
            [stored["student"][missing].tolist(), stored["day"][missing].tolist()],
        )
        return rows_to_days(c.fetchall())


def differing(days: Days) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For the file's days in `FILE_DAYS` whose stored day differs or is missing: their
    indexes in `days` (sorted), whether a stored day exists, and its codes and courses
    (`MAX_LESSON` wide, zeros when missing)."""
    sql = DIFFERING_SQL.format(
        lo=int(days.student.min()),
        hi=int(days.student.max()),
        first=from_epoch(int(days.day.min())).isoformat(),
        last=from_epoch(int(days.day.max())).isoformat(),
    )
    records = fetch_packed(sql, RECORD)
    at = np.searchsorted(
        keys(days.student, days.day),
        keys(records["student"], records["day"]),
    )
    order = np.argsort(at, kind="stable")
    records = records[order]
    return (
        at[order],
        records["found"].astype(bool),
        records["codes"].astype(np.int16),
        records["courses"].astype(np.int32),
    )


def merge(marks: Marks, code_classes: np.ndarray, absent: np.ndarray, units) -> Merged:
    """Lay sorted marks (course ids) over the stored days, in the caller's transaction
    (the affected weeks already relabelled, see `merging.relabel_weeks`)."""
    days = encode_days(marks)
    store.create_temp(FILE_DAYS, "student_id bigint, day date, codes bytea, courses bytea")
    try:
        store.write_day_rows(days, FILE_DAYS)
        with connection.cursor() as c:
            # The planner's estimates of the temporary tables (never analysed) are large
            # enough for JIT, whose compiling costs more than these statements gain (to
            # the transaction's end).
            c.execute("SET LOCAL jit = off")
        at, found, stored_codes, stored_courses = differing(days)
        wide = padded(days)
        new_codes, new_courses = wide.codes[at], wide.courses[at]
        # The file's lesson where it marks one, else the stored lesson (zeros past it).
        mine = new_codes != 0
        codes = np.where(mine, new_codes, stored_codes)
        courses = np.where(mine, new_courses, stored_courses)
        same = mine & (new_codes == stored_codes) & (new_courses == stored_courses)
        same &= found[:, None]
        counted = np.count_nonzero(new_codes, axis=1)
        written = int(counted.sum() - same.sum())
        changed = ~found | ((codes != stored_codes) | (courses != stored_courses)).any(axis=1)
        if not changed.any():
            return Merged(written, 0, [])
        merged = Days(wide.student[at], wide.day[at], widths(codes), codes, courses)
        upsert_days(_take(merged, changed))
        # The weeks holding a changed day, recounted from their merged days.
        week_keys = np.unique(keys(merged.student[changed], monday(merged.day[changed])))
        in_week = among(keys(wide.student, monday(wide.day)), week_keys)
        # Merged days that are not the file's own (a stored lesson the file leaves
        # out): in a changed week, theirs replace the file's.
        not_file = ((codes != new_codes) | (courses != new_courses)).any(axis=1)
        not_file &= among(keys(merged.student, monday(merged.day)), week_keys)
        in_week[at[not_file]] = False
        store.create_affected(
            (week_keys >> 32).astype(np.int64), (week_keys & 0xFFFFFFFF).astype(np.int32)
        )
        try:
            others = other_days(keys(days.student, days.day))
        finally:
            store.drop_affected()
        merged = _concat([_take(wide, in_week), _take(merged, not_file), others])
        weeks = week_summaries(days_to_marks(merged), code_classes, absent)
        months: list[date] = replace_weeks(weeks, units)
        return Merged(written, int(changed.sum()), months)
    finally:
        store.drop_temp(FILE_DAYS)


def among(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Whether each value is one of the sorted, distinct `sorted_keys`: a binary search
    each, where `np.isin` first makes both sides distinct (a hash or a sort of each)."""
    if not len(sorted_keys):
        return np.zeros(len(values), bool)
    at = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return sorted_keys[at] == values


def _take(days: Days, index) -> Days:
    return Days(
        days.student[index],
        days.day[index],
        days.width[index],
        days.codes[index],
        days.courses[index],
    )


def _concat(parts: list[Days]) -> Days:
    """The parts (each `MAX_LESSON` wide) in one, sorted by (student, day)."""
    days = Days(
        *(np.concatenate(cols) for cols in zip(*(vars(p).values() for p in parts), strict=True))
    )
    return _take(days, np.argsort(keys(days.student, days.day), kind="stable"))
