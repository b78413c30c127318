"""Booking a communal space, its week, its use counted, and its pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from opiskeluhuolto.access import spaces as access
from opiskeluhuolto.spaces import actions, usage, week
from opiskeluhuolto.spaces.models import Booking, Visit

from .conftest import at, next_monday

pytestmark = pytest.mark.django_db


def _book(space, user, day, start, end, kind="staff", **kw):
    return actions.book(
        space, by=user, starts_at=at(day, *start), ends_at=at(day, *end), kind=kind, **kw
    )


def test_an_overlapping_booking_is_refused_and_touching_ones_are_fine(cast, space):
    monday = next_monday()
    _book(space, cast.rehtori, monday, (10,), (12,))
    for start, end in [((11,), (13,)), ((9,), (10, 30)), ((10,), (12,)), ((9,), (14,))]:
        with pytest.raises(ValidationError) as e:
            _book(space, cast.teacher, monday, start, end)
        assert actions.is_taken(e.value)
    _book(space, cast.teacher, monday, (12,), (13,))
    _book(space, cast.teacher, monday, (9,), (10,))
    assert Booking.objects.filter(space=space, status="active").count() == 3


def test_a_cancelled_booking_frees_the_time(cast, space):
    monday = next_monday()
    first = _book(space, cast.rehtori, monday, (10,), (12,))
    actions.cancel(first, by=cast.rehtori)
    _book(space, cast.teacher, monday, (10,), (12,))


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [((12,), (10,), "ends_at"), ((10,), (10,), "ends_at"), ((6,), (19,), "ends_at")],
)
def test_bad_times_are_refused_as_bad_input(cast, space, start, end, field):
    with pytest.raises(ValidationError) as e:
        _book(space, cast.rehtori, next_monday(), start, end)
    assert field in e.value.message_dict
    assert not actions.is_taken(e.value)


def test_a_group_booking_names_its_group(cast, space):
    with pytest.raises(ValidationError):
        _book(space, cast.rehtori, next_monday(), (10,), (11,), kind="group")


def test_partners_book_as_partners_and_staff_as_staff(cast, space):
    from opiskeluhuolto.access import for_user

    assert for_user(cast.external).space_booking_kind(space) == "partner"
    assert for_user(cast.teacher).space_booking_kind(space) == "staff"


def test_the_list_scope_matches_the_rule(cast, space):
    from opiskeluhuolto.access import for_user
    from opiskeluhuolto.spaces.models import Space

    other = Space.objects.create(campus=cast.amis_campus, name="Amiksen olkkari")
    for name in ("admin", "rehtori", "kuraattori_out", "external", "student", "adult"):
        user = cast.users[name]
        can = for_user(user)
        assert set(access.spaces_visible_to(user)) == {
            s for s in (space, other) if can.view_space(s)
        }, name
    for name in ("guardian", "outsider"):
        assert not access.spaces_visible_to(cast.users[name]).exists()


def test_the_week_shows_bookings_and_public_hours(cast, space):
    from datetime import time

    monday = next_monday()
    _book(space, cast.rehtori, monday + timedelta(1), (10,), (12,))
    actions.add_service_hours(
        space,
        organisation="Nuorisopalvelut",
        service="Ohjaamo",
        weekday=1,
        starts_at=time(12),
        ends_at=time(16),
    )
    actions.add_service_hours(
        space,
        organisation="Seurakunta",
        service="",
        weekday=1,
        starts_at=time(8),
        ends_at=time(9),
        public=False,
    )
    days = week.days(space, monday, with_hidden_hours=False)
    assert [len(d["bookings"]) for d in days] == [0, 1, 0, 0, 0, 0, 0]
    assert [h.organisation for h in days[1]["hours"]] == ["Nuorisopalvelut"]
    days = week.days(space, monday, with_hidden_hours=True)
    assert len(days[1]["hours"]) == 2
    assert week.monday_of("nonsense", monday + timedelta(3)) == monday


def test_use_by_month_suppresses_small_head_counts(cast, space):
    day = next_monday()
    _book(space, cast.rehtori, day, (10,), (12,))
    _book(space, cast.external, day, (12,), (13,), kind="partner")
    for kind, n in [("students", 40), ("partners", 3), ("staff", 6)]:
        actions.record_visits(space, day=day, kind=kind, count=n, by=cast.rehtori)
    # A second count of the day replaces the first.
    actions.record_visits(space, day=day, kind="students", count=42, by=cast.rehtori)
    (row,) = usage.monthly(space, day - timedelta(40), day + timedelta(1))
    assert row["bookings"] == {"group": 0, "partner": 1, "staff": 1}
    # Partners' 3 is hidden, and the smallest other (staff, 6), so the total gives
    # nothing away.
    assert row["visitors"] == {"students": 42, "partners": None, "staff": None, "others": 0}
    assert row["visitors_total"] == 51
    assert Visit.objects.count() == 3


def test_the_pages_for_a_booker(client, cast, space):
    client.force_login(cast.teacher)
    monday = next_monday()
    response = client.post(
        reverse("spaces:book", args=[space.pk]),
        {"day": monday.isoformat(), "starts": "10:00", "ends": "11:30", "purpose": "Tukiopetus"},
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.kind, booking.booked_by, booking.purpose) == (
        "staff",
        cast.teacher,
        "Tukiopetus",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Tukiopetus" in page
    again = client.post(
        reverse("spaces:book", args=[space.pk]),
        {"day": monday.isoformat(), "starts": "11:00", "ends": "12:00"},
    )
    assert again.status_code == 200
    assert Booking.objects.count() == 1
    assert client.get(reverse("spaces:usage", args=[space.pk])).status_code == 200
    client.post(reverse("spaces:cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_a_student_sees_times_but_not_who_booked(client, cast, space):
    monday = next_monday()
    _book(space, cast.rehtori, monday, (10,), (12,), purpose="Salainen palaveri")
    client.force_login(cast.student)
    page = client.get(reverse("spaces:space", args=[space.pk]), {"week": monday.isoformat()})
    text = page.content.decode()
    assert page.status_code == 200
    assert "10:00" in text
    assert "Salainen palaveri" not in text and "Riitta" not in text


def test_a_group_member_books_for_the_group(client, cast, space):
    from opiskeluhuolto.meetings import actions as meetings
    from opiskeluhuolto.meetings.models import Group

    group = meetings.create_group(
        by=cast.admin,
        provider=cast.provider,
        kind=Group.Kind.WELFARE,
        name="Lukion ryhmä",
        institution=cast.lukio,
        chair=cast.rehtori,
    )
    meetings.add_member(group, by=cast.admin, user=cast.teacher, role="member")
    assert list(access.groups_for_booking(cast.teacher, space)) == [group]
    assert list(access.groups_for_booking(cast.nurse, space)) == []
    client.force_login(cast.teacher)
    client.post(
        reverse("spaces:book", args=[space.pk]),
        {"day": next_monday().isoformat(), "starts": "10:00", "ends": "11:00", "group": group.pk},
    )
    assert Booking.objects.get().kind == "group"
    # Someone not in the group cannot book in its name.
    client.force_login(cast.nurse)
    response = client.post(
        reverse("spaces:book", args=[space.pk]),
        {"day": next_monday().isoformat(), "starts": "12:00", "ends": "13:00", "group": group.pk},
    )
    assert response.status_code == 200
    assert Booking.objects.count() == 1
