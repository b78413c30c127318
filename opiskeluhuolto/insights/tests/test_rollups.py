"""The dashboards' absence aggregates from the monthly rollups equal, value for value,
the straightforward queries over the weekly summaries; the import keeps the rollups
current, all or nothing, also when it re-imports stored weeks."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import DatabaseError

from opiskeluhuolto.access.insights import DashboardScope
from opiskeluhuolto.imports import store
from opiskeluhuolto.imports.models import (
    MonthlyAbsence,
    MonthlyCampusAbsence,
    PresenceCount,
    WeeklyAbsence,
    YearlyAbsence,
    YearlyPresence,
)
from opiskeluhuolto.imports.tests.helpers import MARKS_HEADER, fi, import_text
from opiskeluhuolto.insights import absences, queries
from opiskeluhuolto.organisation.models import Campus, Student, StudentGroup

from .conftest import TODAY, weekdays

pytestmark = pytest.mark.django_db

CODES = "+SLHXOMK"
AGGREGATES = (
    (absences.trend_by_campus_direct, absences.trend_by_campus_rollup),
    (absences.by_group_direct, absences.by_group_rollup),
    (absences.by_class_direct, absences.by_class_rollup),
)


def _student(cast, n: int, institution, campus, group) -> Student:
    return Student.objects.create(
        institution=institution,
        campus=campus,
        group=group,
        first_name="Testi",
        last_name=f"Oppilas{n:02d}",
        date_of_birth=date(2009, 1, 1),
        oppijanumero=f"1.2.246.562.24.{30_000_000_000 + n:011d}",
    )


def _marks(students, days, *, shift: int = 0) -> str:
    """Varied marks: the code depends on the student, the day and the lesson."""
    rows = []
    for i, s in enumerate(students):
        for d in days:
            for lesson in range(1, 2 + (i + d.day) % 5):
                code = CODES[(i * 7 + d.toordinal() * 3 + lesson + shift) % len(CODES)]
                rows.append(f"{s.oppijanumero};{fi(d)};{lesson};MAA01;{code}\n")
    return MARKS_HEADER + "".join(rows)


def _import(institution, text: str, name: str, today: date = TODAY):
    return import_text(institution, text, kind="attendance", today=today, name=name)


@pytest.fixture
def varied(cast):
    """Two institutions, three campuses (one without groups), three groups; marks over
    two school years; then a student moves campus and group and October is re-exported."""
    kallio = Campus.objects.create(institution=cast.lukio, name="Kallio")
    b = StudentGroup.objects.create(institution=cast.lukio, campus=kallio, name="24B")
    c = StudentGroup.objects.create(institution=cast.lukio, campus=kallio, name="24C")
    etu = [_student(cast, n, cast.lukio, cast.lukio_campus, cast.group) for n in range(7)]
    kal = [_student(cast, 10 + n, cast.lukio, kallio, b) for n in range(6)]
    few = [_student(cast, 20 + n, cast.lukio, kallio, c) for n in range(3)]  # a small group
    amis = [_student(cast, 30 + n, cast.amis, cast.amis_campus, None) for n in range(6)]
    lukio = etu + kal + few
    # Previous school year: May and June 2026, only some students (small cells).
    run = _import(cast.lukio, _marks(lukio[:9], weekdays(date(2026, 5, 18), 20)), "spring.csv")
    assert run.status == "succeeded", run.errors
    # This school year, August to today, in two files per institution.
    autumn = weekdays(date(2026, 8, 10), 50)
    late = weekdays(date(2026, 10, 19), 25)
    late = [d for d in late if d <= TODAY]
    for inst, group, name in ((cast.lukio, lukio, "l"), (cast.amis, amis, "a")):
        for part, days in (("1", autumn), ("2", late)):
            run = _import(inst, _marks(group, days), f"{name}{part}.csv")
            assert run.status == "succeeded", run.errors
    # A student moves to Kallio and 24B in the middle of October; the school then
    # re-exports October, which overwrites stored weeks (the merge path).
    mover = etu[0]
    mover.campus, mover.group = kallio, b
    mover.save(update_fields=["campus", "group"])
    october = weekdays(date(2026, 10, 12), 10)
    run = _import(cast.lukio, _marks(lukio, october, shift=3), "october-again.csv")
    assert run.status == "succeeded", run.errors
    cast.kallio = kallio
    return cast


def _ours(cast) -> list[Student]:
    return list(
        Student.objects.filter(
            institution=cast.lukio, oppijanumero__startswith="1.2.246.562.24.3"
        ).order_by("last_name")
    )


def _scopes(cast):
    i = frozenset
    return [
        DashboardScope(i({cast.lukio.pk}), i()),
        DashboardScope(i({cast.lukio.pk, cast.amis.pk}), i()),
        DashboardScope(i(), i({cast.kallio.pk})),
        DashboardScope(i({cast.amis.pk}), i({cast.kallio.pk, cast.lukio_campus.pk})),
    ]


PERIODS = (
    queries.period(TODAY),
    queries.period(TODAY, "previous"),
    (date(2026, 3, 1), TODAY),  # across two school years
    (date(2026, 9, 1), date(2026, 10, 31)),
)


def test_every_aggregate_from_the_rollups_equals_the_straightforward_query(varied):
    compared = 0
    for scope in _scopes(varied):
        for start, end in PERIODS:
            for inst in (None, varied.lukio.pk):
                assert absences.rollup_covers(scope, start, end, inst)
                for direct, rollup in AGGREGATES:
                    assert rollup(scope, start, end, inst) == direct(scope, start, end, inst)
                    compared += 1
    assert compared == 4 * 4 * 2 * 3


def test_the_data_has_what_the_comparison_needs(varied):
    scope = _scopes(varied)[1]
    start, end = queries.period(TODAY)
    trend = absences.trend_by_campus_direct(scope, start, end)
    assert {r["unit"] for r in trend} == {"Etu-Töölö", "Kallio", "Koulutie"}
    assert {r["month"] for r in trend} == {date(2026, m, 1) for m in (8, 9, 10, 11)}
    assert any(r["hidden"] for r in absences.by_group_direct(scope, start, end))
    assert not all(r["hidden"] for r in trend)
    # The mover counts in both campuses in October but once in the scope.
    october = {r["unit"]: r["students"] for r in trend if r["month"] == date(2026, 10, 1)}
    assert october["Etu-Töölö"] + october["Kallio"] == 16 + 1
    assert absences.by_class_direct(scope, start, end)["students"] == 16 + 6
    assert (
        absences.by_class_direct(*_scopes(varied)[:1], *queries.period(TODAY, "previous"))["hidden"]
        is False
    )


def test_the_public_functions_read_the_rollups(varied):
    scope, (start, end) = _scopes(varied)[0], queries.period(TODAY)
    WeeklyAbsence.objects.all().delete()  # the rollups still answer
    assert queries.trend_by_campus(scope, start, end, version="x") == (
        absences.trend_by_campus_rollup(scope, start, end)
    )
    assert queries.by_class(scope, start, end, version="x")["students"] == 16


def test_a_period_that_cuts_a_month_with_marks_outside_it_is_answered_directly(varied):
    later = date(2026, 11, 27)
    run = _import(varied.lukio, _marks(_ours(varied)[:6], [later]), "later.csv", later)
    assert run.status == "succeeded", run.errors
    scope = _scopes(varied)[0]
    for start, end in ((date(2026, 8, 1), TODAY), (date(2026, 9, 15), date(2026, 10, 31))):
        assert not absences.rollup_covers(scope, start, end)
        assert queries.by_class.uncached(scope, start, end) == absences.by_class_direct(
            scope, start, end
        )
        assert queries.by_group.uncached(scope, start, end) == absences.by_group_direct(
            scope, start, end
        )
        assert queries.trend_by_campus.uncached(scope, start, end) == (
            absences.trend_by_campus_direct(scope, start, end)
        )
    # Up to the end of the month the rollups answer again, and equal.
    end = date(2026, 11, 30)
    assert absences.rollup_covers(scope, date(2026, 8, 1), end)
    for direct, rollup in AGGREGATES:
        assert rollup(scope, date(2026, 8, 1), end) == direct(scope, date(2026, 8, 1), end)


def _rollups() -> tuple[list, list, list, list, list]:
    def rows(model):
        return sorted(
            (tuple(r.values()) for r in model.objects.values().order_by()),
            key=lambda t: tuple("" if v is None else str(v) for v in t[1:]),
        )

    return (
        [r[1:] for r in rows(MonthlyAbsence)],
        [r[1:] for r in rows(MonthlyCampusAbsence)],
        [r[1:] for r in rows(YearlyPresence)],
        [r[1:] for r in rows(PresenceCount)],
        [r[1:] for r in rows(YearlyAbsence)],
    )


def test_a_failed_import_leaves_the_rollups_unchanged(varied, monkeypatch):
    before, weeks = _rollups(), WeeklyAbsence.objects.count()
    students = _ours(varied)[:5]
    # Rejected while reading: an unknown learner id.
    bad = (
        _marks(students, weekdays(date(2026, 11, 2), 5))
        + "1.2.246.562.24.99999999999;2.11.2026;1;MAA01;X\n"
    )
    assert _import(varied.lukio, bad, "bad.csv").status == "failed"
    assert _rollups() == before
    # Failing while the rollups are rewritten: the whole import rolls back.
    real = store.refresh_rollups

    def broken(*args, **kwargs):
        real(*args, **kwargs)
        raise DatabaseError("disk full")

    monkeypatch.setattr(store, "refresh_rollups", broken)
    run = _import(varied.lukio, _marks(students, weekdays(date(2026, 11, 2), 5), shift=5), "x.csv")
    assert run.status == "failed"
    assert _rollups() == before
    assert WeeklyAbsence.objects.count() == weeks


def test_the_import_refreshes_only_what_it_touched_and_equals_a_rebuild(varied):
    after_imports = _rollups()
    MonthlyAbsence.objects.all().delete()
    MonthlyCampusAbsence.objects.all().delete()
    YearlyPresence.objects.filter(institution=varied.amis).delete()
    PresenceCount.objects.all().delete()
    YearlyAbsence.objects.all().delete()
    call_command("rebuild_absence_rollups", "--institution", varied.lukio.slug)
    assert not MonthlyAbsence.objects.filter(institution=varied.amis).exists()
    call_command("rebuild_absence_rollups")
    assert _rollups() == after_imports


def test_the_rollups_still_equal_the_straightforward_query_after_deletions(varied):
    """After the merge-path re-import of the fixture, a student and a group are deleted
    (the summaries lose or null their rows); the rollups follow in the same transaction."""
    students = _ours(varied)
    gone = next(s for s in students if s.group and s.group.name == "24B")
    gone.delete()
    StudentGroup.objects.get(institution=varied.lukio, name="24C").delete()
    assert not WeeklyAbsence.objects.filter(student_id=gone.pk).exists()
    for scope in _scopes(varied):
        for start, end in PERIODS:
            for inst in (None, varied.lukio.pk):
                for direct, rollup in AGGREGATES:
                    assert rollup(scope, start, end, inst) == direct(scope, start, end, inst)
    after = _rollups()
    call_command("rebuild_absence_rollups")
    assert _rollups() == after


def test_distinct_students_of_movers_between_groups_and_campuses(varied):
    """Within a school year the distinct students come from the presence counts of those
    who stayed in one unit plus the movers' own rows; equal to the weekly summaries for
    a student who changes group on the same campus, one who changes campus and group,
    and the fixture's mover, in every scope and every period of one or two years."""
    students = {s.last_name: s for s in _ours(varied)}
    same_campus, other_campus = students["Oppilas11"], students["Oppilas12"]
    same_campus.group = StudentGroup.objects.get(institution=varied.lukio, name="24C")
    other_campus.campus, other_campus.group = varied.lukio_campus, varied.group
    for s in (same_campus, other_campus):
        s.save(update_fields=["campus", "group"])
    november = weekdays(date(2026, 11, 2), 14)
    run = _import(varied.lukio, _marks(_ours(varied), november, shift=1), "november.csv")
    assert run.status == "succeeded", run.errors
    moved = set(
        YearlyPresence.objects.filter(moved=True, year=2026).values_list("student_id", flat=True)
    )
    assert {same_campus.pk, other_campus.pk} <= moved
    assert len(moved) == 3  # and the fixture's mover
    staying = YearlyPresence.objects.filter(moved=False, year=2026).count()
    assert sum(PresenceCount.objects.filter(year=2026).values_list("students", flat=True)) == (
        staying
    )
    # A group moves campus later: its rows stay on Kallio, where a Kallio scope finds
    # them although the group is no longer among the campus's groups.
    StudentGroup.objects.filter(institution=varied.lukio, name="24C").update(
        campus=varied.lukio_campus
    )
    periods = (*PERIODS, (date(2026, 11, 1), TODAY), (date(2026, 8, 1), date(2026, 10, 31)))
    for scope in _scopes(varied):
        for start, end in periods:
            for inst in (None, varied.lukio.pk):
                for direct, rollup in AGGREGATES[1:]:
                    assert rollup(scope, start, end, inst) == direct(scope, start, end, inst)
    kallio = absences.by_group_rollup(_scopes(varied)[2], *queries.period(TODAY))
    assert "24C" in {r["unit"] for r in kallio}
    # Within one school year those who stayed are read from the counts alone, and the
    # lessons of the dashboards' periods from the yearly sums.
    scope, (start, end) = _scopes(varied)[1], queries.period(TODAY)
    expected = absences.by_class_rollup(scope, start, end)
    groups = absences.by_group_rollup(scope, start, end)
    YearlyPresence.objects.filter(moved=False).delete()
    MonthlyAbsence.objects.filter(month__gte=start).delete()
    assert absences.by_class_rollup(scope, start, end) == expected
    assert absences.by_group_rollup(scope, start, end) == groups
    assert expected["students"] == 16 + 6
