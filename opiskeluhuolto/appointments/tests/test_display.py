"""The staff whose free times the booking pages show: `display.bookable_staff` is
`display.welfare_staff` narrowed to those with bookable hours, in one query."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from opiskeluhuolto.appointments import actions, display
from opiskeluhuolto.organisation.models import Campus

from .conftest import publish_week

pytestmark = pytest.mark.django_db


def expected(institution, today, campus_id):
    return [
        (m.user.pk, m.user.display_name, m.role, m.role_label)
        for m in display.welfare_staff(institution, today)
        if m.hours and not (campus_id and m.campus is not None and m.campus.pk != campus_id)
    ]


def bookable(institution, today, campus_id=None):
    return [
        (b.user_id, b.name, b.role, b.role_label)
        for b in display.bookable_staff(institution, today, campus_id)
    ]


def test_bookable_staff_are_the_welfare_staff_with_bookable_hours(hours):
    cast, today = hours, timezone.localdate()
    # Hours at an institution where she has no role, and hours that have ended.
    publish_week(cast.users["kuraattori_out"], cast.lukio, time(13), time(16))
    actions.add_hours(
        cast.nurse,
        cast.lukio,
        kind="bookable",
        weekday=0,
        starts_at=time(10),
        ends_at=time(11),
        slot_minutes=30,
        mode="on_site",
        place="",
        valid_from=today - timedelta(days=30),
        valid_until=today - timedelta(days=1),
    )
    other = Campus.objects.create(institution=cast.lukio, name="Toinen toimipiste")
    for campus_id in (None, cast.lukio_campus.pk, other.pk):
        assert bookable(cast.lukio, today, campus_id) == expected(cast.lukio, today, campus_id)
    assert {b[0] for b in bookable(cast.lukio, today)} == {cast.kuraattori.pk, cast.psykologi.pk}

    publish_week(cast.nurse, cast.lukio, time(13), time(14))  # the nurse, posted to one campus
    for campus_id in (None, cast.lukio_campus.pk, other.pk):
        assert bookable(cast.lukio, today, campus_id) == expected(cast.lukio, today, campus_id)
    assert cast.nurse.pk in [b[0] for b in bookable(cast.lukio, today, cast.lukio_campus.pk)]
    assert cast.nurse.pk not in [b[0] for b in bookable(cast.lukio, today, other.pk)]
