"""The merge path writes only what changes, and ends where rewriting everything would:
the stored days, weekly summaries and rollups after a file laid over stored weeks equal
those of one fresh import of the merged marks."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from django.db import connection

from opiskeluhuolto.imports import attendance_import, merging, store
from opiskeluhuolto.imports.models import (
    AttendanceDay,
    ImportRun,
    MonthlyAbsence,
    MonthlyCampusAbsence,
    PresenceCount,
    WeeklyAbsence,
    YearlyAbsence,
    YearlyPresence,
)
from opiskeluhuolto.imports.store import refresh_rollups
from opiskeluhuolto.organisation.models import Campus, Student, StudentGroup

from .conftest import TODAY
from .conftest import marks as text
from .helpers import MARKS_HEADER, fi, import_text

pytestmark = pytest.mark.django_db

CODES = "+SLHXOMK"
TABLES = (
    AttendanceDay,
    WeeklyAbsence,
    MonthlyAbsence,
    MonthlyCampusAbsence,
    YearlyPresence,
    PresenceCount,
    YearlyAbsence,
)


def _days(first: date, n: int) -> list[date]:
    days: list[date] = []
    d = first
    while len(days) < n:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def _marks(students, days, *, shift=0, every=1) -> dict[tuple[str, date, int], str]:
    """Varied marks; with `shift`, only every `every`-th mark differs from shift 0."""
    out = {}
    for i, s in enumerate(students):
        for d in days:
            for lesson in range(1, 2 + (i + d.day) % 6):
                k = i * 7 + d.toordinal() * 3 + lesson
                out[(s.oppijanumero, d, lesson)] = CODES[(k + (shift if k % every == 0 else 0)) % 8]
    return out


def _text(marks) -> str:
    return MARKS_HEADER + "".join(
        f"{opp};{fi(d)};{lesson};MAA01;{code}\n" for (opp, d, lesson), code in marks.items()
    )


def _snapshot():
    def row(obj):
        return tuple(
            bytes(v) if isinstance(v, memoryview) else v
            for f, v in sorted(vars(obj).items())
            if not f.startswith("_") and f != "id"
        )

    return {model.__name__: sorted(map(row, model.objects.all()), key=repr) for model in TABLES}


def _import(inst, marks, name):
    run = import_text(inst, _text(marks), kind="attendance", today=TODAY, name=name)
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    return run


def lukio_students(cast, count: int, *, first: int) -> list[Student]:
    """`count` students on the lukio's campus, every second in its group, with learner
    ids counted from `first`."""
    return [
        Student.objects.create(
            institution=cast.lukio,
            campus=cast.lukio_campus,
            group=cast.group if n % 2 else None,
            first_name="Testi",
            last_name=f"Oppilas{n:02d}",
            date_of_birth=date(2009, 1, 1),
            oppijanumero=f"1.2.246.562.24.{first + n:011d}",
        )
        for n in range(count)
    ]


def two_campus_students(cast, count: int, *, first: int):
    """A second campus (Kallio) with a group of its own, and `count` students: every
    second on the lukio's campus in its group, the others on Kallio, in its group or none.
    Returns (the campus, its group, the students)."""
    other = Campus.objects.create(institution=cast.lukio, name="Kallio")
    group = StudentGroup.objects.create(institution=cast.lukio, campus=other, name="24B")
    students = [
        Student.objects.create(
            institution=cast.lukio,
            campus=cast.lukio_campus if n % 2 else other,
            group=cast.group if n % 2 else (group if n % 3 else None),
            first_name="Testi",
            last_name=f"Oppilas{n:02d}",
            date_of_birth=date(2009, 1, 1),
            oppijanumero=f"1.2.246.562.24.{first + n:011d}",
        )
        for n in range(count)
    ]
    return other, group, students


def test_a_merge_equals_one_fresh_import_of_the_merged_marks(cast, monkeypatch):
    inst = cast.lukio
    other, group, students = two_campus_students(cast, 8, first=40_000_000_000)
    first = _marks(students, _days(date(2026, 9, 28), 30))
    # The re-export: the same weeks with every 11th mark changed, some weeks the same,
    # new days at the end, and a student who has no marks stored in them.
    again = _marks(students[:7], _days(date(2026, 10, 5), 30), shift=3, every=11)
    again |= _marks(students[7:], _days(date(2026, 10, 5), 5))
    moved = students[1]
    _import(inst, first, "first.csv")
    moved.campus, moved.group = other, group  # moves before the re-export
    moved.save(update_fields=["campus", "group"])
    upserted: list[int] = []
    real = attendance_import.merge

    def counting(*args):
        done = real(*args)
        upserted.append(done.days)
        return done

    monkeypatch.setattr(attendance_import, "merge", counting)
    run = _import(inst, again, "again.csv")
    merged = first | again
    assert run.rows_written == sum(1 for k, v in again.items() if first.get(k) != v)
    # Only the changed and new days were written, not every day of the touched weeks.
    changed_days = {(o, d) for (o, d, _l), v in again.items() if first.get((o, d, _l)) != v}
    assert sum(upserted) == len(changed_days) < len({(o, d) for (o, d, _l) in again})
    # The mover's weeks the re-export touched carry the new unit, changed or not (as
    # rewriting them would); the earlier weeks keep the old one.
    touched = WeeklyAbsence.objects.filter(student=moved, week__gte=date(2026, 10, 5))
    assert touched.count() == 6
    assert set(touched.values_list("campus_id", "group_id")) == {(other.pk, group.pk)}
    earlier = WeeklyAbsence.objects.get(student=moved, week=date(2026, 9, 28))
    assert (earlier.campus_id, earlier.group_id) == (cast.lukio_campus.pk, cast.group.pk)
    earlier.campus_id, earlier.group_id = other.pk, group.pk  # as a fresh import labels it
    earlier.save()
    refresh_rollups(inst.pk, [date(2026, 9, 1)])
    ours = _snapshot()
    for model in (*TABLES, ImportRun):
        model.objects.all().delete()
    _import(inst, merged, "all.csv")
    assert _snapshot() == ours
    assert len(ours["WeeklyAbsence"]) > 40 and len(ours["MonthlyAbsence"]) > 3


@pytest.mark.parametrize("change", ["marks only", "a new month"])
def test_the_presence_rollups_are_kept_only_when_no_summary_is_added(cast, monkeypatch, change):
    """A re-export that only changes marks rewrites summaries of the same students,
    weeks and units: the yearly presence and its counts are left as they are. One that
    adds a week (here in a month the student had none) has them rewritten. Either way
    every table equals a fresh import of the merged marks."""
    inst = cast.lukio
    students = lukio_students(cast, 4, first=40_000_000_100)
    days = _days(date(2026, 9, 21), 15)  # three weeks of September and October
    first = _marks(students, days)
    again = _marks(students, days, shift=3, every=5)
    if change == "a new month":
        again |= _marks(students[:1], _days(date(2026, 11, 2), 5))
    _import(inst, first, "first.csv")
    calls = _recording(monkeypatch)
    _import(inst, again, "again.csv")
    # Kept presence: the monthly rollups moved by the changes, not recounted.
    assert calls == [
        {"presence": True} if change == "a new month" else {"presence": False, "monthly": False}
    ]
    ours = _snapshot()
    assert len(ours["YearlyPresence"]) == 4 and ours["PresenceCount"]
    for model in (*TABLES, ImportRun):
        model.objects.all().delete()
    _import(inst, first | again, "all.csv")
    assert _snapshot() == ours


def _recording(monkeypatch) -> list[dict]:
    """The keyword arguments of each call of `store.refresh_rollups`."""
    calls: list[dict] = []
    real = store.refresh_rollups

    def recording(institution_id, months, **kwargs):
        calls.append({k: v for k, v in kwargs.items() if v is not True or k == "presence"})
        real(institution_id, months, **kwargs)

    monkeypatch.setattr(store, "refresh_rollups", recording)
    return calls


@pytest.mark.parametrize("case", ["one part", "many parts", "a rollup row missing"])
def test_a_reexport_moves_the_monthly_rollups_by_its_changes(cast, settings, monkeypatch, case):
    """Marks changed in weeks of three months, for students on two campuses, in a group
    or none: the monthly rollups are moved by the rewritten summaries' difference
    (`rollup_delta`), also when the file is written in many parts, and every table equals
    a fresh import of the merged marks and a rebuild of the rollups from the summaries.
    A cell without its rollup row (rollups out of step) has the months recounted."""
    inst = cast.lukio
    other, group, students = two_campus_students(cast, 9, first=40_000_000_200)
    days = _days(date(2026, 9, 21), 35)  # September to November
    first = _marks(students, days)
    again = _marks(students, days, shift=3, every=9)
    if case == "many parts":
        settings.ATTENDANCE_IMPORT_PART_BYTES = 1024
    _import(inst, first, "first.csv")
    if case == "a rollup row missing":
        MonthlyAbsence.objects.filter(month=date(2026, 10, 1), group__isnull=True).delete()
    calls = _recording(monkeypatch)
    _import(inst, again, "again.csv")
    kept = {"presence": False} | ({} if case == "a rollup row missing" else {"monthly": False})
    assert calls == [kept]
    ours = _snapshot()
    assert len(set(MonthlyAbsence.objects.values_list("month", flat=True))) == 3
    store.rebuild_rollups(inst.pk)
    assert _snapshot() == ours
    for model in (*TABLES, ImportRun):
        model.objects.all().delete()
    _import(inst, first | again, "all.csv")
    assert _snapshot() == ours


def test_the_stored_days_come_back_as_they_were_written(learners, do_import):
    run = do_import(
        text(
            f"{learners.aino.oppijanumero};16.11.2026;3;KEM01;X",
            f"{learners.aino.oppijanumero};16.11.2026;20;;S",
            f"{learners.aino.oppijanumero};17.11.2026;1;ENA01;+",
        )
    )
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    store.create_affected(
        np.array([learners.aino.pk]), np.array([store.epoch_day(date(2026, 11, 16))])
    )
    try:
        days = merging.stored_days()
    finally:
        store.drop_affected()
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute(f"DROP TABLE IF EXISTS pg_temp.{store.AFFECTED}")
    assert days.day.tolist() == [
        store.epoch_day(date(2026, 11, 16)),
        store.epoch_day(date(2026, 11, 17)),
    ]
    assert days.width.tolist() == [20, 1]
    marks = merging.days_to_marks(days)
    assert marks.lesson.tolist() == [3, 20, 1]
    assert (marks.course[1], marks.course[2] > 0, marks.code.min() > 0) == (0, True, True)
