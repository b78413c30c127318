"""The dashboards' rollups of a first load, counted from the summaries the import holds.

A year's first import writes its summaries into school years of the institution that
have none stored. Every row of the monthly rollups, the monthly campus rollups and the
yearly presence is then a function of those summaries alone, and each student's
summaries are all in one part (the parts are ranges of students) with one unit (the
student's current one). So the rows are counted part by part in NumPy as the summaries
are written, and stored with one `COPY` each, instead of aggregating the just-written
summaries in SQL (issue 21, item 1: 0.8 s of the database session's CPU for 10,000
students, about a third of the year's time over its floor). Django's ORM and
PostgreSQL aggregate what is stored; neither counts rows a process holds before they
are written, hence this module. (The `ANALYZE` of the summaries stays: the early
warning after the commit is planned on it.)

The yearly sums and the presence counts are still derived in SQL from the rows written
here (`store.refresh_rollups` with `monthly=False` and `presence_written=True`): they
read a few thousand rollup rows, not the summaries. When stored summaries overlap the
school years of the file, or a part of the file is laid over stored days, the caller
recounts in SQL as before (`store.refresh_rollups`).
"""

# ruff: noqa: S608  (table names are this module's constants; values are parameters)

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.db import connection

from . import columns, store

MONTH_EPOCH = np.datetime64("1970-01", "M")


def summaries_in_years(institution_id: int, first: date, last: date) -> bool:
    """Whether the institution has weekly summaries in the school years of the weeks of
    these two days (the rollups of a school year are counted from all of them)."""
    start = date(
        store.school_year(store.month_start(first - timedelta(days=first.weekday()))), 8, 1
    )
    end = date(
        store.school_year(store.month_start(last - timedelta(days=last.weekday()))) + 1, 8, 1
    )
    with connection.cursor() as c:
        c.execute(
            "SELECT EXISTS (SELECT 1 FROM imports_weeklyabsence "
            "WHERE institution_id = %s AND week >= %s AND week < %s)",
            [institution_id, start, end],
        )
        return bool(c.fetchone()[0])


@dataclass
class Field:
    """A column of `copy_fields`: integers in `values` (epoch days for `kind` date,
    0/1 for bool; below zero is NULL when `nullable`), sent as NumPy `dtype`."""

    values: np.ndarray
    dtype: str
    kind: type = int
    nullable: bool = False

    def python(self, value: int) -> object:
        if self.nullable and value < 0:
            return None
        if self.kind is date:
            return columns.from_epoch(value)
        return bool(value) if self.kind is bool else int(value)


def copy_fields(table: str, names: str, fields: list[Field], n: int) -> None:
    """Store `n` rows given column by column: one binary `COPY` on PostgreSQL (one
    record type per pattern of NULLs), batched inserts on SQLite."""
    if not n:
        return
    if connection.vendor != "postgresql":
        values = [f.values.tolist() for f in fields]
        store.load_rows(
            table,
            names,
            (
                tuple(f.python(v) for f, v in zip(fields, row, strict=True))
                for row in zip(*values, strict=True)
            ),
        )
        return
    nullable = [i for i, f in enumerate(fields) if f.nullable]
    nulls = np.stack([fields[i].values < 0 for i in nullable], axis=1)
    patterns, which = np.unique(nulls, axis=0, return_inverse=True)
    which = which.ravel()

    def chunks():
        for p, pattern in enumerate(patterns.tolist()):
            rows = np.flatnonzero(which == p)
            null = dict(zip(nullable, pattern, strict=True))
            yield store.binary_records(
                [
                    (store.NULL, "")
                    if null.get(i)
                    else (f.values[rows] - (store.PG_EPOCH if f.kind is date else 0), f.dtype)
                    for i, f in enumerate(fields)
                ],
                len(rows),
            )

    store.copy_binary(table, names, chunks())


def month_numbers(weeks: np.ndarray) -> np.ndarray:
    """Months since January 1970 of the Mondays (epoch days): the month of a week is the
    month of its Monday (`MonthlyAbsence`)."""
    return (weeks.astype("datetime64[D]").astype("datetime64[M]") - MONTH_EPOCH).astype(np.int64)


def month_date(n: int) -> date:
    return date(1970 + n // 12, n % 12 + 1, 1)


def _group(keys: list[np.ndarray], values: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct key tuples (sorted) and the sums of `values`' rows for each."""
    if not len(values):
        return [k[:0] for k in keys], values[:0]
    order = np.lexsort(keys[::-1])
    keys = [k[order] for k in keys]
    values = values[order]
    change = np.zeros(len(values), bool)
    change[0] = True
    for k in keys:
        change[1:] |= k[1:] != k[:-1]
    starts = np.flatnonzero(change)
    return [k[starts] for k in keys], np.add.reduceat(values, starts, axis=0)


class FirstLoad:
    """The rollup rows of the summaries written part by part, counted as they come."""

    def __init__(self) -> None:
        # Per part: (month, campus, group) cells with [students, lessons, *classes].
        self.cells: list[tuple[list[np.ndarray], np.ndarray]] = []
        # Per part: (student, school year, campus, group, months) of the yearly presence.
        self.presence: list[tuple[np.ndarray, ...]] = []

    def add(self, weeks: columns.Weeks, campus: np.ndarray, group: np.ndarray) -> None:
        """Count one part's summaries (sorted by student, week; -1 = no campus or group)."""
        if not len(weeks):
            return
        month = month_numbers(weeks.week)
        student = weeks.student.astype(np.int64)
        # A student's summaries of one month: its one row in the month's cell.
        change = np.ones(len(student), bool)
        change[1:] = (student[1:] != student[:-1]) | (month[1:] != month[:-1])
        starts = np.flatnonzero(change)
        counts = np.empty((len(student), 2 + weeks.counts.shape[1]), np.int64)
        counts[:, 0] = 0
        counts[starts, 0] = 1
        counts[:, 1] = weeks.counts.sum(axis=1)
        counts[:, 2:] = weeks.counts
        self.cells.append(_group([month, campus, group], counts))
        # The school year (August to July) and the month's bit within it (August = 0).
        since_august = month - 7
        year = since_august // 12 + 1970
        bit = np.left_shift(1, since_august % 12)
        change = np.ones(len(student), bool)
        change[1:] = (student[1:] != student[:-1]) | (year[1:] != year[:-1])
        starts = np.flatnonzero(change)
        self.presence.append(
            (
                student[starts],
                year[starts],
                campus[starts],
                group[starts],
                np.bitwise_or.reduceat(bit, starts),
            )
        )

    def write(self, institution_id: int, months: list[date]) -> None:
        """Replace the rollups of these months and their school years with the rows
        counted (the caller found no summaries stored in those school years)."""
        months = sorted({store.month_start(m) for m in months})
        if not months:
            return
        listed = ", ".join(["%s"] * len(months))
        years = sorted({store.school_year(m) for m in months})
        with connection.cursor() as c:
            for table in ("imports_monthlyabsence", "imports_monthlycampusabsence"):
                c.execute(
                    f"DELETE FROM {table} WHERE institution_id = %s AND month IN ({listed})",
                    [institution_id, *months],
                )
            c.execute(
                "DELETE FROM imports_yearlypresence WHERE institution_id = %s "
                f"AND year IN ({', '.join(['%s'] * len(years))})",
                [institution_id, *years],
            )
        if self.cells:
            keys = [np.concatenate(k) for k in zip(*(c[0] for c in self.cells), strict=True)]
            (month, campus, group), sums = _group(keys, np.concatenate([c[1] for c in self.cells]))
            # Distinct students add up: a student is in one part and one unit.
            self._rollup("imports_monthlyabsence", institution_id, month, campus, group, sums)
            (month, campus), sums = _group([month, campus], sums)
            self._rollup("imports_monthlycampusabsence", institution_id, month, campus, None, sums)
        if self.presence:
            student, year, campus, group, bits = (
                np.concatenate(c) for c in zip(*self.presence, strict=True)
            )
            _presence(institution_id, student, year, campus, group, bits)

    @staticmethod
    def _rollup(table, institution_id, month, campus, group, sums) -> None:
        unit = "campus_id" + (", group_id" if group is not None else "")
        names = f"month, institution_id, {unit}, students, {store.ROLLUP_COUNTS}"
        days = np.array([store.epoch_day(month_date(int(m))) for m in month.tolist()], np.int64)
        n = len(month)
        fields = [
            Field(days, ">i4", date),
            Field(np.full(n, institution_id, np.int64), ">i8"),
            Field(campus, ">i8", nullable=True),
            *([Field(group, ">i8", nullable=True)] if group is not None else []),
            *(Field(sums[:, k], ">i4") for k in range(sums.shape[1])),
        ]
        copy_fields(table, names, fields, n)


def _presence(institution_id, student, year, campus, group, bits) -> None:
    n = len(student)
    fields = [
        Field(student, ">i8"),
        Field(year, ">i2"),
        Field(np.full(n, institution_id, np.int64), ">i8"),
        Field(campus, ">i8", nullable=True),
        Field(group, ">i8", nullable=True),
        Field(bits, ">i4"),
        # One unit a student in a first load: nobody moved within the year.
        Field(np.zeros(n, np.bool_), "?", bool),
    ]
    copy_fields(
        "imports_yearlypresence",
        "student_id, year, institution_id, campus_id, group_id, months, moved",
        fields,
        n,
    )
