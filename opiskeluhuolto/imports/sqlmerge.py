"""Laying a file over stored weeks with PostgreSQL (issue 21, item 1: a re-exported term
over a stored year).

For each part of the file (a range of students), one query sends back the stored days
of its students and weeks, packed into three `bytea`s that NumPy reads as arrays
(`stored_range`). NumPy finds the file's days that differ from their stored day (or
have none), and lays each over its stored day lesson by lesson (the file wins where it
marks a lesson, the stored mark stays where it does not: the rule of `columns.merge`);
only the days that change are upserted (`merging.upsert_days`). Only the weeks holding a
changed day get new summaries (counted by `columns.week_summaries` from the file's
days, the few merged days that differ from them and the stored days of those weeks the
file does not have); only their months new rollups. The result equals `merging`'s NumPy
path (a test compares both).

Hand-written because the packing of a day is the project's own (`AttendanceDay`). The
overlay was once one SQL expression per lesson slot (`MAX_LESSON` × 3 `CASE`s of
`substring`s, 4.5 µs a differing day of server CPU, about 0.5 s of a 10,000-student
term); over padded arrays it is three NumPy operations. Finding the differing days was
once a join in SQL with the file's days `COPY`'d into a temporary table, followed by a
second read of the changed weeks' stored days for those the file lacks (branch h21imp6:
the one read instead cut the merge's server CPU by about a fifth).
"""

# ruff: noqa: S608  (table names are module constants; no user input)

from __future__ import annotations

import numpy as np
import psycopg
from django.db import connection

from .columns import MAX_LESSON, Days, Marks, encode_days, from_epoch, monday, week_summaries
from .merging import (
    Merged,
    days_to_marks,
    keys,
    padded,
    replace_weeks,
    upsert_days,
    widths,
)
from .rollup_delta import Delta

#: A stored day's key and lesson count as `STORED_SQL` packs them.
KEY_RECORD = np.dtype([("student", ">i8"), ("day", ">i4"), ("width", ">i2")])
#: The stored days of a range of students and days in three `bytea`s (see `stored_range`):
#: the fixed-width keys and lesson counts, then every day's codes, then every day's
#: courses, each day's in the same order in all three (the aggregates of one group are
#: fed the same rows in the same order; their lengths are checked).
STORED_SQL = """
SELECT string_agg(int8send(student_id) || int4send(day - DATE '1970-01-01')
        || int2send((length(codes) / 2)::int2), ''::bytea),
    string_agg(codes, ''::bytea),
    string_agg(courses, ''::bytea)
FROM imports_attendanceday
WHERE student_id BETWEEN %s AND %s AND day BETWEEN %s AND %s
"""


def stored_range(students: tuple[int, int], days: tuple[int, int]) -> Days:
    """The stored days of the students and days (epoch) between these bounds, sorted,
    `MAX_LESSON` wide: one query read as three arrays. (A binary `COPY` out costs a
    Python step per row in psycopg; a join with the file's days in a temporary table
    cost the `COPY` of them and a second read of the changed weeks' stored days.)"""
    connection.ensure_connection()
    # Django's cursors bind on the client side, which has no binary results.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            STORED_SQL,
            [*students, from_epoch(days[0]), from_epoch(days[1])],
            binary=True,
        )
        row = cursor.fetchone()
    heads = np.frombuffer((row and row[0]) or b"", KEY_RECORD)
    flat_codes = np.frombuffer((row and row[1]) or b"", "<i2")
    flat_courses = np.frombuffer((row and row[2]) or b"", "<i4")
    width = heads["width"].astype(np.intp)
    if not len(flat_codes) == len(flat_courses) == int(width.sum()):
        raise RuntimeError("stored days: codes and courses do not match their lengths")
    # Each day's lessons at the start of its row (a scatter to the flat positions of
    # the filled slots: half the CPU of assigning through the boolean mask).
    filled = np.flatnonzero(np.arange(MAX_LESSON) < width[:, None])
    codes = np.zeros(len(heads) * MAX_LESSON, np.int16)
    courses = np.zeros(len(heads) * MAX_LESSON, np.int32)
    codes[filled] = flat_codes
    courses[filled] = flat_courses
    stored = Days(
        heads["student"].astype(np.int32),
        heads["day"].astype(np.int32),
        width.astype(np.int8),
        codes.reshape(-1, MAX_LESSON),
        courses.reshape(-1, MAX_LESSON),
    )
    # No ORDER BY (a sort on the server): the rows come as the scan finds them, in the
    # order of the key when it is the primary key's index (then nothing is moved).
    day_keys = keys(stored.student, stored.day)
    if len(day_keys) and not (day_keys[1:] > day_keys[:-1]).all():
        stored = _take(stored, np.argsort(day_keys, kind="stable"))
    return stored


def differing(wide: Days, stored: Days) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For the file's days (`MAX_LESSON` wide) whose stored day differs or is missing:
    their indexes (sorted), whether a stored day exists, and its codes and courses
    (zeros when missing)."""
    file_keys, stored_keys = keys(wide.student, wide.day), keys(stored.student, stored.day)
    if not len(stored_keys):
        n = len(file_keys)
        return (
            np.arange(n),
            np.zeros(n, bool),
            np.zeros((n, MAX_LESSON), np.int16),
            np.zeros((n, MAX_LESSON), np.int32),
        )
    at = np.minimum(np.searchsorted(stored_keys, file_keys), len(stored_keys) - 1)
    found = stored_keys[at] == file_keys
    codes, courses = stored.codes[at], stored.courses[at]
    codes[~found] = 0
    courses[~found] = 0
    differs = ~found | (codes != wide.codes).any(axis=1) | (courses != wide.courses).any(axis=1)
    index = np.flatnonzero(differs)
    return index, found[index], codes[index], courses[index]


def merge(
    marks: Marks, code_classes: np.ndarray, absent: np.ndarray, units, delta: Delta
) -> Merged:
    """Lay sorted marks (course ids) over the stored days, in the caller's transaction
    (the affected weeks already relabelled, see `merging.relabel_weeks`)."""
    days = encode_days(marks)
    wide = padded(days)
    stored = stored_range(
        (int(days.student.min()), int(days.student.max())),
        (int(monday(days.day).min()), int(monday(days.day).max()) + 6),
    )
    with connection.cursor() as c:
        # The planner's estimates of the temporary tables (never analysed) are large
        # enough for JIT, whose compiling costs more than these statements gain (to
        # the transaction's end).
        c.execute("SET LOCAL jit = off")
    at, found, stored_codes, stored_courses = differing(wide, stored)
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
    # The stored days of those weeks that the file does not have (usually none: a
    # re-export has the stored days).
    others = among(keys(stored.student, monday(stored.day)), week_keys)
    others &= ~among(keys(stored.student, stored.day), keys(days.student, days.day))
    merged = _concat([_take(wide, in_week), _take(merged, not_file), _take(stored, others)])
    weeks = week_summaries(days_to_marks(merged), code_classes, absent)
    months, added = replace_weeks(weeks, units, delta)
    return Merged(written, int(changed.sum()), months, added)


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
