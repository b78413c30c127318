"""The merge in PostgreSQL (`sqlmerge`) and the NumPy path (`merging`, SQLite's) store
the same days, summaries and rollups for a re-exported term with changed, added and
left-out marks, and both equal one fresh import of the merged marks. On SQLite only the
NumPy path exists; it is checked against the fresh import."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from opiskeluhuolto.imports import attendance_import
from opiskeluhuolto.imports.models import ImportRun

from .test_merging import TABLES, _days, _import, _marks, _snapshot, lukio_students

pytestmark = pytest.mark.django_db


def _paths() -> list[bool]:
    return [True, False] if connection.vendor == "postgresql" else [False]


def _term(students):
    """A stored term, and its re-export: every 7th mark changed, extra lessons and new
    days added, and some stored lessons and whole days left out (they stay stored)."""
    first = _marks(students, _days(date(2026, 9, 28), 20))
    again = _marks(students, _days(date(2026, 9, 28), 25), shift=5, every=7)
    for i, (opp, d, lesson) in enumerate(list(again)):
        if (opp, d, lesson) in first and i % 13 == 0:
            del again[(opp, d, lesson)]  # a stored lesson the re-export leaves out
        elif d.weekday() == 2 and i % 3 == 0:
            del again[(opp, d, lesson)]  # Wednesdays: whole days mostly left out
    for opp, d, lesson in list(again)[::17]:
        again[(opp, d, min(lesson + 8, 20))] = "X"  # a lesson added after the stored ones
    return first, again


def test_the_merge_in_postgresql_equals_the_numpy_path(cast, monkeypatch):
    inst = cast.lukio
    students = lukio_students(cast, 6, first=41_000_000_000)
    first, again = _term(students)
    merged = first | again
    results = {}
    for in_sql in _paths():
        monkeypatch.setattr(attendance_import, "merges_in_sql", lambda in_sql=in_sql: in_sql)
        _import(inst, first, "first.csv")
        run = _import(inst, again, "again.csv")
        results[in_sql] = (run.rows_written, _snapshot())
        for model in (*TABLES, ImportRun):
            model.objects.all().delete()
    _import(inst, merged, "all.csv")
    fresh = _snapshot()
    expected_written = sum(1 for k, v in again.items() if first.get(k) != v)
    for written, snapshot in results.values():
        assert written == expected_written
        assert snapshot == fresh
    assert len(fresh["AttendanceDay"]) > 100 and len(fresh["WeeklyAbsence"]) > 20
    # The file left stored lessons out on days it changed, so some merged days are not
    # the file's own.
    left_out = {(o, d) for (o, d, _l) in first if (o, d, _l) not in again}
    changed = {(o, d) for (o, d, _l), v in again.items() if first.get((o, d, _l)) != v}
    assert left_out & changed
