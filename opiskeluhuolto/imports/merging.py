"""Laying a file over stored weeks: only the days that change, and the summaries of the
weeks they are in, are written (issue 21: a re-exported term over a stored year).

A school exports its term again and again; most of the marks are the same. On
PostgreSQL the merge runs in the database (`sqlmerge`); this module holds the NumPy
path (SQLite, the embedded database) and what both share. The NumPy path reads back the stored days of the weeks the file touches, lays the file over them
lesson by lesson (`columns.merge`), and compares the merged days with the stored ones.
Only the changed or new days are written (an upsert on the key (student, day)); only
the weeks holding such a day get new summaries; only their months new rollups. The
result is the same as rewriting every touched week (tests compare them), at a cost in
proportion to what changed.

Hand-written because the packing is the project's own (`AttendanceDay`): no library
knows it. The stored days come back through a binary `COPY` of rows padded to a fixed
width, so NumPy reads them as one array instead of a Python tuple per day.
"""

# ruff: noqa: S608  (table names are module constants; no user input)

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection

from . import store
from .columns import MAX_LESSON, Days, Marks, Weeks, encode_days, from_epoch, monday, week_summaries
from .rollup_delta import Delta

CHANGED = "tmp_oh_changed_days"
PAIRS = "tmp_oh_changed_weeks"
#: A stored day as the padded binary COPY sends it (see `stored_days`).
RECORD = np.dtype(
    [
        ("count", ">i2"),
        ("len0", ">i4"),
        ("student", ">i8"),
        ("len1", ">i4"),
        ("day", ">i4"),
        ("len2", ">i4"),
        ("codes", "<i2", (MAX_LESSON,)),
        ("len3", ">i4"),
        ("courses", "<i4", (MAX_LESSON,)),
    ]
)


def padded(days: Days) -> Days:
    """The same days with codes and courses `MAX_LESSON` wide."""
    width = days.codes.shape[1]
    if width == MAX_LESSON:
        return days
    pad = ((0, 0), (0, MAX_LESSON - width))
    return Days(
        days.student, days.day, days.width, np.pad(days.codes, pad), np.pad(days.courses, pad)
    )


def stored_days() -> Days:
    """The stored days of the affected (student, week) pairs (`store.AFFECTED`), sorted,
    `MAX_LESSON` wide."""
    sql = (
        "SELECT d.student_id, d.day, d.codes, d.courses FROM imports_attendanceday d "
        f"JOIN {store.AFFECTED} a ON a.student_id = d.student_id "
        "AND d.day >= a.week_start AND d.day <= a.week_end ORDER BY d.student_id, d.day"
    )
    if connection.vendor != "postgresql":
        with connection.cursor() as c:
            c.execute(sql)
            return rows_to_days([(s, store.epoch_day(_date(d)), k, o) for s, d, k, o in c])
    zeros = "'\\x" + "00" * (4 * MAX_LESSON) + "'::bytea"
    padded = (
        "SELECT d.student_id, d.day, "
        f"substring(d.codes || {zeros} from 1 for {2 * MAX_LESSON}), "
        f"substring(d.courses || {zeros} from 1 for {4 * MAX_LESSON})" + sql[sql.index(" FROM ") :]
    )
    buffer = io.BytesIO()
    with (
        connection.cursor() as c,
        store.raw_cursor(c).copy(f"COPY ({padded}) TO STDOUT (FORMAT binary)") as copy,
    ):
        for data in copy:
            buffer.write(data)
    body = buffer.getbuffer()[len(store.COPY_HEADER) : -len(store.COPY_TRAILER)]
    records = np.frombuffer(body, RECORD)
    padded_codes = records["codes"].astype(np.int16)
    return Days(
        records["student"].astype(np.int32),
        (records["day"] + store.PG_EPOCH).astype(np.int32),
        widths(padded_codes),
        padded_codes,
        records["courses"].astype(np.int32),
    )


def rows_to_days(rows: list[tuple]) -> Days:
    """(student, epoch day, codes, courses) rows, as stored, into `MAX_LESSON`-wide days
    (for a few rows: one Python step each)."""
    n = len(rows)
    codes = np.zeros((n, MAX_LESSON), np.int16)
    courses = np.zeros((n, MAX_LESSON), np.int32)
    for i, r in enumerate(rows):
        code = np.frombuffer(bytes(r[2]), "<i2")
        codes[i, : len(code)] = code
        courses[i, : len(code)] = np.frombuffer(bytes(r[3]), "<i4")
    student = np.array([r[0] for r in rows], np.int32)
    day = np.array([r[1] for r in rows], np.int32)
    return Days(student, day, widths(codes), codes, courses)


def widths(codes: np.ndarray) -> np.ndarray:
    """The last lesson marked on each day (the stored width)."""
    marked = codes != 0
    last = MAX_LESSON - np.argmax(marked[:, ::-1], axis=1)
    return np.where(marked.any(axis=1), last, 0).astype(np.int8)


def days_to_marks(days: Days) -> Marks:
    """Days back into sorted marks (line 0)."""
    row, slot = np.nonzero(days.codes)
    return Marks(
        np.zeros(len(row), np.int64),
        days.student[row].astype(np.int32),
        days.day[row].astype(np.int32),
        (slot + 1).astype(np.int8),
        days.courses[row, slot].astype(np.int32),
        days.codes[row, slot].astype(np.int16),
    )


@dataclass
class Merged:
    """What laying one part of a file over the stored days did."""

    written: int  # the file's marks that add or change something
    days: int  # the day rows written (changed or new)
    months: list[date]  # the months whose rollups are to be refreshed
    added_weeks: int = 0  # summaries added, less those they replaced
    #: Whether every summary written replaced one of the same student, week and unit
    #: and none was relabelled (the yearly presence rollups stay as they are).
    same_members: bool = False


@dataclass
class Changes:
    """What laying a file over stored days changes."""

    days: Days  # the changed or new days, as they are to be stored
    weeks: Weeks  # the new summaries of every week holding such a day
    written: int  # the file's marks that add or change something


def keys(student: np.ndarray, day: np.ndarray) -> np.ndarray:
    return (student.astype(np.int64) << 32) | (day.astype(np.int64) & 0xFFFFFFFF)


def changes(stored: Days, marks: Marks, code_classes: np.ndarray, absent: np.ndarray) -> Changes:
    """Lay sorted marks (course ids) over the stored days of the weeks they touch."""
    from .columns import merge

    merged, written = merge(days_to_marks(stored), marks)
    days = padded(encode_days(merged))
    day_keys, stored_keys = keys(days.student, days.day), keys(stored.student, stored.day)
    at = np.minimum(np.searchsorted(stored_keys, day_keys), max(len(stored_keys) - 1, 0))
    if len(stored_keys):
        found = stored_keys[at] == day_keys
        same = (
            found
            & (stored.codes[at] == days.codes).all(axis=1)
            & (stored.courses[at] == days.courses).all(axis=1)
        )
    else:
        same = np.zeros(len(day_keys), bool)
    changed = np.flatnonzero(~same)
    changed_days = Days(
        days.student[changed],
        days.day[changed],
        days.width[changed],
        days.codes[changed],
        days.courses[changed],
    )
    week_keys = keys(changed_days.student, monday(changed_days.day))
    in_changed_week = np.isin(keys(merged.student, monday(merged.day)), week_keys)
    weeks = week_summaries(merged.take(in_changed_week), code_classes, absent)
    return Changes(changed_days, weeks, written)


def merge(
    stored: Days, marks: Marks, code_classes: np.ndarray, absent: np.ndarray, units, delta: Delta
) -> Merged:
    """The NumPy path: lay sorted marks over their weeks' stored days (`stored_days`),
    write the changed days and the summaries of their weeks."""
    found = changes(stored, marks, code_classes, absent)
    upsert_days(found.days)
    months, added = replace_weeks(found.weeks, units, delta)
    return Merged(found.written, len(found.days), months, added)


def upsert_days(days: Days) -> None:
    """Store the changed days: new ones added, existing ones given their new marks."""
    if not len(days):
        return
    store.create_temp(CHANGED, "student_id bigint, day date, codes bytea, courses bytea")
    try:
        store.write_day_rows(days, CHANGED)
        with connection.cursor() as c:
            c.execute(
                "INSERT INTO imports_attendanceday (student_id, day, codes, courses) "
                f"SELECT student_id, day, codes, courses FROM {CHANGED} WHERE true "
                "ON CONFLICT (student_id, day) DO UPDATE "
                "SET codes = excluded.codes, courses = excluded.courses"
            )
    finally:
        store.drop_temp(CHANGED)


def replace_weeks(weeks: Weeks, units, delta: Delta) -> tuple[list[date], int]:
    """Rewrite the summaries of these weeks, noting what that changed in the monthly
    sums in `delta`; returns the months they are in and how many summaries were added
    less those deleted (what the planner's statistics miss)."""
    if not len(weeks):
        return [], 0
    store.create_temp(PAIRS, "student_id bigint, week date")
    try:
        if connection.vendor == "postgresql":
            store.copy_binary(
                PAIRS,
                "student_id, week",
                [
                    store.binary_records(
                        [(weeks.student, ">i8"), (weeks.week - store.PG_EPOCH, ">i4")],
                        len(weeks),
                    )
                ],
            )
        else:
            store.load_rows(
                PAIRS,
                "student_id, week",
                zip(weeks.student.tolist(), map(from_epoch, weeks.week.tolist()), strict=True),
            )
        deleted = delta.delete(
            f"EXISTS (SELECT 1 FROM {PAIRS} p "
            "WHERE p.student_id = imports_weeklyabsence.student_id "
            "AND p.week = imports_weeklyabsence.week)"
        )
    finally:
        store.drop_temp(PAIRS)
    store.write_weeks(weeks, units)
    delta.written(weeks, units)
    return store.months_of_weeks(weeks.week), len(weeks) - deleted


def relabel_weeks(students: tuple[int, int], weeks: tuple[date, date]) -> list[date]:
    """Give the unchanged summaries of the affected pairs (`store.AFFECTED`) their
    student's current institution, campus and group, as rewriting them would; returns
    the months of the summaries that moved.

    `students` and `weeks` bound the pairs (lowest and highest), so the summaries are
    read as one range of their key: planned from the students, PostgreSQL otherwise read
    every summary of every student of the institution for each part of a file (8 times
    400,000 rows for a 10,000-student term)."""
    differs = " OR ".join(
        f"w.{c} <> s.{c} OR (w.{c} IS NULL) <> (s.{c} IS NULL)"
        for c in ("institution_id", "campus_id", "group_id")
    )
    with connection.cursor() as c:
        c.execute(
            "UPDATE imports_weeklyabsence AS w SET institution_id = s.institution_id, "
            f"campus_id = s.campus_id, group_id = s.group_id FROM {store.AFFECTED} a, "
            "organisation_student s WHERE w.student_id = a.student_id "
            "AND w.student_id BETWEEN %s AND %s AND w.week BETWEEN %s AND %s "
            f"AND w.week = a.week_start AND s.id = w.student_id AND ({differs}) "
            "RETURNING week",
            [*students, *weeks],
        )
        rows = c.fetchall()
    return sorted({store.month_start(_date(w)) for (w,) in rows})


def _date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value
