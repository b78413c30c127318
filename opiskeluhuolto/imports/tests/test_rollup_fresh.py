"""A first load's rollups counted in the importing process (`rollup_fresh`) equal, value
for value, those the straightforward SQL over the summaries writes (the import's SQL
path and `store.rebuild_rollups`); a file into a school year with stored summaries is
still recounted in SQL."""

from __future__ import annotations

from datetime import date

import pytest

from opiskeluhuolto.imports import rollup_fresh, store
from opiskeluhuolto.imports.models import ImportRun

from .test_merging import TABLES, _days, _import, _marks, _snapshot, two_campus_students

pytestmark = pytest.mark.django_db


def _counted(monkeypatch) -> list[int]:
    """How many times the rollups of a first load were written from the process."""
    calls: list[int] = []
    real = rollup_fresh.FirstLoad.write

    def write(self, institution_id, months):
        calls.append(institution_id)
        real(self, institution_id, months)

    monkeypatch.setattr(rollup_fresh.FirstLoad, "write", write)
    return calls


@pytest.mark.parametrize("parts", ["one part", "many parts"])
def test_a_first_load_counts_the_rollups_as_the_sql_does(cast, settings, monkeypatch, parts):
    """Two school years (a week whose Monday is in July belongs to the earlier one),
    students on two campuses, in a group or none, some only in some months."""
    inst = cast.lukio
    _other, _group, students = two_campus_students(cast, 11, first=40_000_000_300)
    # June to August 2025: the week of Friday 1.8. starts on Monday 28.7.
    marks = _marks(students, _days(date(2025, 6, 2), 60))
    marks |= _marks(students[3:8], _days(date(2025, 9, 22), 12))  # a month of 5 only
    if parts == "many parts":
        settings.ATTENDANCE_IMPORT_PART_BYTES = 1024
    counted = _counted(monkeypatch)
    _import(inst, marks, "year.csv")
    assert counted == [inst.pk]
    ours = _snapshot()
    assert {r[-1] for r in ours["YearlyPresence"]} == {2024, 2025}  # the field `year`
    assert len(ours["MonthlyAbsence"]) > 12 and ours["PresenceCount"] and ours["YearlyAbsence"]
    # The straightforward SQL over the same summaries.
    store.rebuild_rollups(inst.pk)
    assert _snapshot() == ours
    # The import's own SQL path over the same file.
    for model in (*TABLES, ImportRun):
        model.objects.all().delete()
    monkeypatch.setattr(rollup_fresh, "summaries_in_years", lambda *args: True)
    _import(inst, marks, "again.csv")
    assert counted == [inst.pk]
    assert _snapshot() == ours


def test_stored_summaries_in_the_school_year_are_recounted_in_sql(cast, monkeypatch):
    """Another file of the same school year (other weeks) finds summaries stored: the SQL
    recount, and the rollups equal a rebuild from the summaries."""
    inst = cast.lukio
    _other, _group, students = two_campus_students(cast, 6, first=40_000_000_400)
    _import(inst, _marks(students, _days(date(2026, 9, 7), 10)), "september.csv")
    counted = _counted(monkeypatch)
    _import(inst, _marks(students[:4], _days(date(2026, 10, 12), 10)), "october.csv")
    assert counted == []
    ours = _snapshot()
    store.rebuild_rollups(inst.pk)
    assert _snapshot() == ours


def test_stale_rollup_rows_of_the_months_are_replaced(cast, monkeypatch):
    """Rollup rows left without summaries (days and summaries deleted, not rebuilt) in
    the months and year a first load writes end as the SQL path leaves them."""
    inst = cast.lukio
    _other, _group, students = two_campus_students(cast, 6, first=40_000_000_500)
    counted = _counted(monkeypatch)

    def scenario(in_sql: bool) -> dict:
        for model in (*TABLES, ImportRun):
            model.objects.all().delete()
        _import(inst, _marks(students, _days(date(2026, 9, 7), 30)), "autumn.csv")
        for model in TABLES[:2]:  # the days and the summaries, not the rollups
            model.objects.all().delete()
        if in_sql:
            monkeypatch.setattr(rollup_fresh, "summaries_in_years", lambda *args: True)
        _import(inst, _marks(students[2:], _days(date(2026, 9, 14), 5), shift=2), "one.csv")
        return _snapshot()

    ours = scenario(in_sql=False)
    assert counted == [inst.pk, inst.pk]
    assert scenario(in_sql=True) == ours
    assert counted == [inst.pk, inst.pk, inst.pk]  # the first import of the second run
