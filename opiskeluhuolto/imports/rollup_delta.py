"""The monthly rollups moved by what a merge rewrote, instead of recounted (issue 21,
item 1: a re-exported term over a stored year).

A merge deletes the summaries of the weeks holding a changed day and writes their new
ones. When every new summary replaces one of the same student, week and unit (no
summary added, none relabelled: `merging.Merged.same_members`), the monthly rollups keep
their rows and their `students`; only their sums move, by the new summaries' sums less
the deleted ones' in each cell (month × institution × campus × group). The deleted
ones' sums come back from their `DELETE` (grouped by cell on the server, a few thousand
rows); the new ones' are summed in NumPy. Recounting the months from every summary in
them instead read the whole term's summaries again (0.44 s of server CPU for a
10,000-student term). Every cell must find its rollup row; one that does not (rollups
not kept in step, e.g. before `rebuild_absence_rollups`) makes the caller recount the
months as before, which also overwrites what was moved.
"""

# ruff: noqa: S608  (table names are module constants; no user input)

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
from django.db import connection

from . import store
from .columns import Weeks

DELTA = "tmp_oh_rollup_delta"
SUMS = store.ROLLUP_COUNTS.split(", ")  # lessons, then the classes
#: A cell: (month, institution, campus or -1, group or -1).
Cell = tuple[date, int, int, int]


class Delta:
    """What rewriting summaries changed in each cell's sums (`SUMS`)."""

    def __init__(self) -> None:
        self.cells: dict[Cell, np.ndarray] = {}

    def add(self, cell: Cell, sums: np.ndarray) -> None:
        if cell in self.cells:
            self.cells[cell] = self.cells[cell] + sums
        else:
            self.cells[cell] = sums

    def delete(self, where: str, params: list | None = None) -> int:
        """Delete the summaries `where` says (a condition on `imports_weeklyabsence`),
        taking their sums off their cells; returns how many were deleted."""
        month = store.month_sql("week")
        returned = f"{month} AS month, institution_id, campus_id, group_id, {', '.join(SUMS)}"
        grouped = (
            f"SELECT month, institution_id, campus_id, group_id, count(*), "
            f"{', '.join(f'sum({k})' for k in SUMS)} FROM gone "
            "GROUP BY month, institution_id, campus_id, group_id"
        )
        with connection.cursor() as c:
            if connection.vendor == "postgresql":
                c.execute(
                    f"WITH gone AS (DELETE FROM imports_weeklyabsence WHERE {where} "
                    f"RETURNING {returned}) {grouped}",
                    params,
                )
                rows = c.fetchall()
            else:  # SQLite: no DELETE in a WITH
                c.execute(
                    f"WITH gone AS (SELECT {returned} FROM imports_weeklyabsence "
                    f"WHERE {where}) {grouped}",
                    params,
                )
                rows = c.fetchall()
                c.execute(f"DELETE FROM imports_weeklyabsence WHERE {where}", params)
        deleted = 0
        for month, institution, campus, group, count, *sums in rows:
            cell = (
                date.fromisoformat(month) if isinstance(month, str) else month,
                institution,
                -1 if campus is None else campus,
                -1 if group is None else group,
            )
            self.add(cell, -np.array(sums, np.int64))
            deleted += count
        return deleted

    def written(
        self, weeks: Weeks, units: Mapping[int, tuple[int, int | None, int | None]]
    ) -> None:
        """Add the sums of new summaries (as `store.write_weeks` writes them) to their cells."""
        if not len(weeks):
            return
        institution, campus, group = store.unit_columns(weeks.student, units)
        month = weeks.week.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        order = np.lexsort((group, campus, institution, month))
        keys = np.column_stack([month, institution, campus, group])[order]
        starts = np.flatnonzero(np.concatenate(([True], (keys[1:] != keys[:-1]).any(axis=1))))
        values = np.column_stack([weeks.counts.sum(axis=1), weeks.counts]).astype(np.int64)
        sums = np.add.reduceat(values[order], starts, axis=0)
        for (m, i, c, g), s in zip(keys[starts].tolist(), sums, strict=True):
            self.add((date(1970 + m // 12, m % 12 + 1, 1), i, c, g), s)

    def apply(self) -> bool:
        """Move the monthly rollups by the changes; False when a cell has no rollup row
        (then the caller recounts the months)."""
        changed = {cell: sums for cell, sums in self.cells.items() if sums.any()}
        if not changed:
            return True
        campuses: dict[tuple, np.ndarray] = {}
        for (month, institution, campus, _group), sums in changed.items():
            key = (month, institution, campus)
            campuses[key] = campuses[key] + sums if key in campuses else sums
        return _move("imports_monthlyabsence", "campus_id, group_id", changed) and _move(
            "imports_monthlycampusabsence", "campus_id", campuses
        )


def _move(table: str, unit: str, cells: Mapping[tuple, np.ndarray]) -> bool:
    """Add each cell's sums to its row of `table` (cells keyed by month, institution and
    `unit`, -1 for none); False when a cell has no row. The rows are found by their key
    first and updated by id: joined on the key, PostgreSQL planned the update on the
    rollups' statistics of before the import (one row a month) as an index scan of
    every rollup row of the month for each cell (0.3 s for a term)."""
    months = sorted({cell[0] for cell in cells})
    institutions = sorted({cell[1] for cell in cells})
    units = ", ".join(f"coalesce({u}, -1)" for u in unit.split(", "))
    with connection.cursor() as c:
        c.execute(
            f"SELECT id, month, institution_id, {units} FROM {table} "
            f"WHERE institution_id IN ({', '.join(['%s'] * len(institutions))}) "
            f"AND month IN ({', '.join(['%s'] * len(months))})",
            [*institutions, *months],
        )
        ids = {
            (date.fromisoformat(m) if isinstance(m, str) else m, *rest): pk
            for pk, m, *rest in c.fetchall()
        }
    if not all(cell in ids for cell in cells):
        return False
    store.create_temp(DELTA, "id bigint, " + ", ".join(f"{k} bigint" for k in SUMS))
    try:
        store.load_rows(
            DELTA,
            "id, " + ", ".join(SUMS),
            ((ids[cell], *sums.tolist()) for cell, sums in cells.items()),
        )
        with connection.cursor() as c:
            c.execute(
                f"UPDATE {table} AS m SET {', '.join(f'{k} = m.{k} + d.{k}' for k in SUMS)} "
                f"FROM {DELTA} d WHERE m.id = d.id"
            )
    finally:
        store.drop_temp(DELTA)
    return True
