"""A booking falls within the space's opening hours and starts from now on; a booking
that has started or is past cannot be cancelled."""

from __future__ import annotations

import json
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from opiskeluhuolto.spaces import actions
from opiskeluhuolto.spaces.models import Booking

from .conftest import at, next_monday

pytestmark = pytest.mark.django_db


def _book(space, user, starts_at, ends_at):
    return actions.book(space, by=user, starts_at=starts_at, ends_at=ends_at, kind="staff")


def _past_booking(space, user):
    """A booking of yesterday, written as it was made then (the rule refuses it now)."""
    yesterday = timezone.localdate() - timedelta(days=1)
    return Booking.objects.create(
        space=space,
        starts_at=at(yesterday, 10),
        ends_at=at(yesterday, 11),
        kind="staff",
        booked_by=user,
    )


def test_a_past_booking_cannot_be_cancelled(cast, space):
    booking = _past_booking(space, cast.rehtori)
    with override("fi"), pytest.raises(ValidationError) as e:
        actions.cancel(booking, by=cast.rehtori)
    assert "Jo alkanutta tai mennyttä varausta ei voi perua" in " ".join(e.value.messages)
    booking.refresh_from_db()
    assert booking.status == "active"
    under_way = Booking.objects.create(
        space=space,
        starts_at=timezone.now() - timedelta(minutes=30),
        ends_at=timezone.now() + timedelta(minutes=30),
        kind="staff",
        booked_by=cast.rehtori,
    )
    with pytest.raises(ValidationError):
        actions.cancel(under_way, by=cast.rehtori)
    assert actions.can_cancel(
        _book(space, cast.rehtori, at(next_monday(), 10), at(next_monday(), 11))
    )


def test_the_page_offers_no_cancel_for_a_past_booking(client, cast, space):
    past = _past_booking(space, cast.rehtori)
    coming = _book(space, cast.rehtori, at(next_monday(), 10), at(next_monday(), 11))
    client.force_login(cast.rehtori)
    for booking, offered in ((past, False), (coming, True)):
        day = timezone.localtime(booking.starts_at).date().isoformat()
        page = client.get(reverse("spaces:space", args=[space.pk]), {"week": day}).content.decode()
        assert (reverse("spaces:cancel", args=[booking.pk]) in page) is offered
    response = client.post(reverse("spaces:cancel", args=[past.pk]), follow=True)
    assert response.status_code == 200
    past.refresh_from_db()
    assert past.status == "active"


def test_a_booking_cannot_start_in_the_past(client, cast, space):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as e:
        _book(space, cast.rehtori, at(yesterday, 10), at(yesterday, 11))
    assert "starts_at" in e.value.message_dict
    client.force_login(cast.teacher)
    with override("fi"):
        response = client.post(
            reverse("spaces:book", args=[space.pk]),
            {"day": yesterday.isoformat(), "starts": "10:00", "ends": "11:00"},
            HTTP_ACCEPT_LANGUAGE="fi",
        )
    assert response.status_code == 200
    assert "Varaus alkaisi menneisyydessä" in response.content.decode()
    api = client.post(
        reverse("api:spaces-book", kwargs={"space_id": space.pk}),
        data=json.dumps(
            {"starts_at": at(yesterday, 10).isoformat(), "ends_at": at(yesterday, 11).isoformat()}
        ),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("day_offset", "start", "end"),
    [
        (5, 10, 12),  # Saturday
        (6, 10, 12),  # Sunday
        (0, 7, 9),  # Monday before opening
        (0, 15, 17),  # Monday after closing
    ],
)
def test_bookings_outside_the_opening_hours_are_refused(cast, space, day_offset, start, end):
    day = next_monday() + timedelta(days=day_offset)
    with pytest.raises(ValidationError) as e:
        _book(space, cast.rehtori, at(day, start), at(day, end))
    assert "starts_at" in e.value.message_dict
    assert not actions.is_taken(e.value)
    assert not Booking.objects.exists()


def test_the_default_is_monday_to_friday_8_to_16(cast, space):
    assert space.weekdays() == [0, 1, 2, 3, 4]
    assert (space.opens_at, space.closes_at) == (time(8), time(16))
    friday = next_monday() + timedelta(days=4)
    _book(space, cast.rehtori, at(friday, 8), at(friday, 16))


def test_a_saturday_is_refused_in_the_form_and_the_api(client, cast, space):
    saturday = next_monday() + timedelta(days=5)
    client.force_login(cast.teacher)
    response = client.post(
        reverse("spaces:book", args=[space.pk]),
        {"day": saturday.isoformat(), "starts": "10:00", "ends": "11:00"},
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.status_code == 200
    assert "Tila on suljettu sinä päivänä" in response.content.decode()
    api = client.post(
        reverse("api:spaces-book", kwargs={"space_id": space.pk}),
        data=json.dumps(
            {"starts_at": at(saturday, 10).isoformat(), "ends_at": at(saturday, 11).isoformat()}
        ),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "starts_at" in api.json()["errors"]
    assert not Booking.objects.exists()


def test_a_manager_opens_the_space_on_saturdays(client, cast, space):
    saturday = next_monday() + timedelta(days=5)
    client.force_login(cast.teacher)  # books, does not manage
    client.post(
        reverse("spaces:opening", args=[space.pk]),
        {"open_weekdays": ["5"], "opens_at": "09:00", "closes_at": "14:00"},
    )
    space.refresh_from_db()
    assert space.open_weekdays == "01234"
    client.force_login(cast.rehtori)
    page = client.get(reverse("spaces:space", args=[space.pk])).content.decode()
    assert reverse("spaces:opening", args=[space.pk]) in page
    response = client.post(
        reverse("spaces:opening", args=[space.pk]),
        {"open_weekdays": ["0", "5"], "opens_at": "09:00", "closes_at": "14:00"},
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert (space.weekdays(), space.opens_at, space.closes_at) == ([0, 5], time(9), time(14))
    _book(space, cast.rehtori, at(saturday, 10), at(saturday, 12))
    tuesday = next_monday() + timedelta(days=1)
    with pytest.raises(ValidationError):
        _book(space, cast.rehtori, at(tuesday, 10), at(tuesday, 12))
    # Closing before opening is refused.
    client.post(
        reverse("spaces:opening", args=[space.pk]),
        {"open_weekdays": ["0"], "opens_at": "14:00", "closes_at": "09:00"},
    )
    space.refresh_from_db()
    assert space.closes_at == time(14)
