"""Participation figures: no count below five at any level, nor by differencing a total."""

from __future__ import annotations

import pytest

from opiskeluhuolto.events.participation import Participation, hidden_cells, shown, total


def test_small_cells_are_hidden():
    assert hidden_cells([{"a": 7, "b": 3, "c": 2}]) == {"b", "c"}  # two: no differencing


def test_one_hidden_cell_takes_the_next_smallest_with_it():
    assert hidden_cells([{"a": 9, "b": 6, "c": 2}]) == {"b", "c"}


def test_a_rest_never_shown_on_its_own_counts_as_hidden():
    # the institution total includes registrations without a campus: 2 of them
    assert hidden_cells([{"a": 9, "b": 6}], rest=[2]) == {"b"}
    assert hidden_cells([{"a": 9, "b": 6}], rest=[0]) == set()


def test_every_column_is_checked():
    hidden = hidden_cells([{"a": 9, "b": 8, "c": 7}, {"a": 9, "b": 6, "c": 1}])
    assert hidden == {"b", "c"}


def test_totals_below_five_are_hidden():
    assert total(3) is None and total(0) == 0 and total(5) == 5
    assert shown(None) != "None" and shown(0) == "0"
    p = Participation(registered=None, attended=None, head_count=2, by_campus=[], by_group=[])
    assert p.came is None


@pytest.mark.django_db
def test_institution_total_does_not_give_a_campus_away(cast, group):

    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.events import actions, participation
    from opiskeluhuolto.meetings.models import DataPoint
    from opiskeluhuolto.organisation import actions as org
    from opiskeluhuolto.organisation.models import Campus

    from .conftest import begin, make_event

    other = Campus.objects.create(institution=cast.lukio, name="Toinen kampus")
    event = make_event(cast, group, capacity=None, campuses=[])
    regs = []
    for i, campus in enumerate([cast.lukio_campus] * 6 + [other] * 2):
        u = User.objects.create(username=f"p{i}")
        org.enrol_student(
            user=u,
            institution=cast.lukio,
            campus=campus,
            first_name=f"P{i}",
            last_name="T",
            date_of_birth=cast.aino.date_of_birth,
        )
        regs.append(actions.register(event, u))
    begin(event)
    actions.record_attendance(event, by=cast.rehtori, attended_ids=[r.pk for r in regs])
    participation.report(event, by=cast.rehtori)
    points = DataPoint.objects.filter(indicator__code=participation.INDICATOR_CODE)
    # 8 in all, 6 on the lukio campus: showing both would give the other campus's 2 away
    assert not points.filter(campus=other).exists()
    assert not points.filter(campus=cast.lukio_campus).exists()
    assert points.get(campus=None).value == 8


@pytest.mark.django_db
def test_institution_total_below_five_is_not_written(cast, group):
    from datetime import timedelta

    from django.utils import timezone

    from opiskeluhuolto.events import actions, participation
    from opiskeluhuolto.meetings.models import DataPoint

    from .conftest import begin, make_event

    event = make_event(cast, group)
    reg = actions.register(event, cast.student)
    begin(event)
    actions.record_attendance(event, by=cast.rehtori, attended_ids=[reg.pk])
    participation.report(event, by=cast.rehtori)
    assert not DataPoint.objects.filter(indicator__code=participation.INDICATOR_CODE).exists()
    type(event).objects.filter(pk=event.pk).update(head_count=None)
    other = make_event(cast, group, title_fi="Ovella laskettu", registration=False, capacity=None)
    type(other).objects.filter(pk=other.pk).update(
        starts_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() - timedelta(hours=1),
        head_count=30,
    )
    participation.report(event, by=cast.rehtori)
    point = DataPoint.objects.get(indicator__code=participation.INDICATOR_CODE, campus=None)
    assert point.value == 31 and point.respondents is None  # one registration: not shown
