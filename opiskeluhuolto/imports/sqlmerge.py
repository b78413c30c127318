"""Laying a file over stored weeks inside PostgreSQL: the stored days never travel to
Python (issue 21, item 1: a re-exported term over a stored year).

The file's days go into a temporary table (binary `COPY`, `store.write_day_rows`); one
statement joins them to the stored days, lays each file day over its stored day lesson
by lesson (the file wins where it marks a lesson, the stored mark stays where it does
not: the rule of `columns.merge`), upserts only the days that change and returns, for
every file day that differs from its stored day, how many of its marks were already
stored as they are and, when the merged day is not the file's own, the merged day.
Only the weeks holding a changed day get new summaries (counted by
`columns.week_summaries` from the file's days, the few merged days that differ from
them and the stored days of those weeks the file does not have); only their months
new rollups. The result equals `merging`'s NumPy path (a test compares both).

Hand-written because the packing of a day is the project's own (`AttendanceDay`): the
lesson-by-lesson overlay of two packed `bytea` values is generated below, one
expression per lesson slot (`MAX_LESSON` of them).
"""

# ruff: noqa: S608  (table names are module constants; slot offsets are int(); no user input)

from __future__ import annotations

from datetime import date

import numpy as np
from django.db import connection

from . import store
from .columns import MAX_LESSON, Days, Marks, encode_days, from_epoch, monday, week_summaries
from .merging import Merged, days_to_marks, keys, padded, replace_weeks, rows_to_days

FILE_DAYS = "tmp_oh_file_days"
EMPTY = "''::bytea"


def _slot(column: str, size: int, i: int) -> str:
    return f"substring({column} from {size * i + 1} for {size})"


def _overlay_sql() -> tuple[str, str, str]:
    """SQL for the merged codes, the merged courses and the number of the file's marks
    already stored as they are, of a file day `nc`/`nk` over its stored day `sc`/`sk`.

    A slot is the file's when the file marks it; otherwise the stored slot, or the file's
    zero padding past the stored day's end. Both days end at their last marked lesson,
    so the merged day does too."""
    codes, courses, same = [], [], []
    for i in range(MAX_LESSON):
        nc, sc = _slot("nc", 2, i), _slot("sc", 2, i)
        nk, sk = _slot("nk", 4, i), _slot("sk", 4, i)
        mine = f"{nc} NOT IN ({EMPTY}, '\\x0000'::bytea)"
        codes.append(f"CASE WHEN {mine} THEN {nc} WHEN {sc} <> {EMPTY} THEN {sc} ELSE {nc} END")
        courses.append(f"CASE WHEN {mine} THEN {nk} WHEN {sk} <> {EMPTY} THEN {sk} ELSE {nk} END")
        same.append(f"CASE WHEN {mine} AND {nc} = {sc} AND {nk} = {sk} THEN 1 ELSE 0 END")
    return " || ".join(codes), " || ".join(courses), " + ".join(same)


CODES_SQL, COURSES_SQL, SAME_SQL = _overlay_sql()
#: Upserts the changed days; returns one row per file day that differs from its stored
#: day (or has none): student, day (epoch), marks already stored, whether the day
#: changes, and the merged day when it is not the file's.
MERGE_SQL = f"""
WITH j AS (
    SELECT n.student_id, n.day, n.codes AS nc, n.courses AS nk, s.codes AS sc, s.courses AS sk
    FROM {FILE_DAYS} n LEFT JOIN imports_attendanceday s
        ON s.student_id = n.student_id AND s.day = n.day
        AND s.student_id BETWEEN %(lo)s AND %(hi)s AND s.day BETWEEN %(first)s AND %(last)s
    WHERE s.codes IS NULL OR s.codes <> n.codes OR s.courses <> n.courses
), m AS (
    SELECT student_id, day, nc, nk, sc, sk,
        CASE WHEN sc IS NULL THEN nc ELSE {CODES_SQL} END AS codes,
        CASE WHEN sc IS NULL THEN nk ELSE {COURSES_SQL} END AS courses,
        CASE WHEN sc IS NULL THEN 0 ELSE {SAME_SQL} END AS same
    FROM j
), upserted AS (
    INSERT INTO imports_attendanceday (student_id, day, codes, courses)
    SELECT student_id, day, codes, courses FROM m
    WHERE sc IS NULL OR codes IS DISTINCT FROM sc OR courses IS DISTINCT FROM sk
    ON CONFLICT (student_id, day) DO UPDATE SET codes = excluded.codes, courses = excluded.courses
)
SELECT student_id, day - DATE '1970-01-01', same,
    sc IS NULL OR codes IS DISTINCT FROM sc OR courses IS DISTINCT FROM sk,
    CASE WHEN codes <> nc OR courses <> nk THEN codes END,
    CASE WHEN codes <> nc OR courses <> nk THEN courses END
FROM m
"""
#: The stored days of the changed weeks (`store.AFFECTED`) that the file does not have.
OTHER_DAYS_SQL = f"""
SELECT s.student_id, s.day - DATE '1970-01-01', s.codes, s.courses
FROM imports_attendanceday s JOIN {store.AFFECTED} a
    ON a.student_id = s.student_id AND s.day >= a.week_start AND s.day <= a.week_end
WHERE NOT EXISTS (
    SELECT 1 FROM {FILE_DAYS} n WHERE n.student_id = s.student_id AND n.day = s.day
)
"""


def merge(marks: Marks, code_classes: np.ndarray, absent: np.ndarray, units) -> Merged:
    """Lay sorted marks (course ids) over the stored days, in the caller's transaction
    (the affected weeks already relabelled, see `merging.relabel_weeks`)."""
    days = encode_days(marks)
    store.create_temp(FILE_DAYS, "student_id bigint, day date, codes bytea, courses bytea")
    try:
        store.write_day_rows(days, FILE_DAYS)
        with connection.cursor() as c:
            # Statistics, or the anti-join of `OTHER_DAYS_SQL` probes the file's days
            # row by row.
            c.execute(f"ANALYZE {FILE_DAYS}")
            # The slot expressions make the planner's estimate large enough for JIT,
            # whose compiling costs more than the statement gains (to the transaction's end).
            c.execute("SET LOCAL jit = off")
            # The stored side bounded to the part's students and days: a range of the
            # primary key, not the whole table, for each part.
            c.execute(
                MERGE_SQL,
                {
                    "lo": int(days.student.min()),
                    "hi": int(days.student.max()),
                    "first": from_epoch(days.day.min()),
                    "last": from_epoch(days.day.max()),
                },
            )
            rows = c.fetchall()
        student = np.array([r[0] for r in rows], np.int32)
        day = np.array([r[1] for r in rows], np.int32)
        same = np.array([r[2] for r in rows], np.int64)
        changed = np.array([r[3] for r in rows], bool)
        file_keys = keys(days.student, days.day)
        at = np.searchsorted(file_keys, keys(student, day))
        counted = np.count_nonzero(days.codes, axis=1)
        written = int(counted[at].sum() - same.sum())
        if not changed.any():
            return Merged(written, 0, [])
        # The weeks holding a changed day, recounted from their merged days.
        week_keys = np.unique(keys(student[changed], monday(day[changed])))
        wide = padded(days)
        in_week = np.isin(keys(wide.student, monday(wide.day)), week_keys)
        # Merged days that are not the file's own (a stored lesson the file leaves
        # out): in a changed week, theirs replace the file's.
        mine = rows_to_days([(r[0], r[1], r[4], r[5]) for r in rows if r[4] is not None])
        mine = _take(mine, np.isin(keys(mine.student, monday(mine.day)), week_keys))
        in_week &= ~np.isin(keys(wide.student, wide.day), keys(mine.student, mine.day))
        store.create_affected(
            (week_keys >> 32).astype(np.int64), (week_keys & 0xFFFFFFFF).astype(np.int32)
        )
        try:
            with connection.cursor() as c:
                c.execute(OTHER_DAYS_SQL)
                others = rows_to_days(c.fetchall())
        finally:
            store.drop_affected()
        merged = _concat([_take(wide, in_week), mine, others])
        weeks = week_summaries(days_to_marks(merged), code_classes, absent)
        months: list[date] = replace_weeks(weeks, units)
        return Merged(written, int(changed.sum()), months)
    finally:
        store.drop_temp(FILE_DAYS)


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
