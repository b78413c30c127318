"""The spaces' API: a week's bookings, and booking with 201, 400 and 409."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from opiskeluhuolto.spaces import actions
from opiskeluhuolto.spaces.models import Booking

from .conftest import at, next_monday

pytestmark = pytest.mark.django_db


def _post(client, space, body):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(
        reverse("api:spaces-book", kwargs={"space_id": space.pk}),
        data=data,
        content_type="application/json",
    )


def test_book_and_list(client, cast, space):
    monday = next_monday()
    client.force_login(cast.external)
    body = {
        "starts_at": at(monday, 12).isoformat(),
        "ends_at": at(monday, 16).isoformat(),
        "purpose": "Nuorisotyön päivystys",
    }
    response = _post(client, space, body)
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "partner"
    assert _post(client, space, body).status_code == 409
    listed = client.get(
        reverse("api:spaces-bookings", kwargs={"space_id": space.pk}),
        {"week_of": monday.isoformat()},
    )
    assert [b["purpose"] for b in listed.json()] == ["Nuorisotyön päivystys"]
    # A student sees the time, not who booked or why.
    client.force_login(cast.student)
    (row,) = client.get(
        reverse("api:spaces-bookings", kwargs={"space_id": space.pk}),
        {"week_of": monday.isoformat()},
    ).json()
    assert row["booked_by"] is None and row["purpose"] is None and row["group"] is None


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "{}",
        {"starts_at": "2030-01-07T12:00:00+02:00", "ends_at": "2030-01-07T10:00:00+02:00"},
        {"starts_at": "2030-01-07T12:00:00", "ends_at": "2030-01-07T13:00:00"},
        {"starts_at": "2030-01-07T06:00:00+02:00", "ends_at": "2030-01-07T20:00:00+02:00"},
        {
            "starts_at": "2030-01-07T10:00:00+02:00",
            "ends_at": "2030-01-07T11:00:00+02:00",
            "group_id": 999999,
        },
        {
            "starts_at": "2030-01-07T10:00:00+02:00",
            "ends_at": "2030-01-07T11:00:00+02:00",
            "group_id": 2**70,
        },
        {
            "starts_at": "2030-01-07T10:00:00+02:00",
            "ends_at": "2030-01-07T11:00:00+02:00",
            "purpose": "x" * 201,
        },
        {
            "starts_at": "2030-01-07T10:00:00+02:00",
            "ends_at": "2030-01-07T11:00:00+02:00",
            "purpose": "a\x00b",
        },
    ],
)
def test_bad_input_is_400(client, cast, space, body):
    client.force_login(cast.teacher)
    response = _post(client, space, body)
    assert response.status_code == 400, response.content
    assert not Booking.objects.exists()


def test_who_may_not_book_gets_404_whatever_they_send(client, cast, space):
    client.force_login(cast.student)
    assert _post(client, space, "not json").status_code == 404
    client.force_login(cast.outsider)
    assert _post(client, space, {}).status_code == 404


def test_a_huge_id_is_404_not_500(client, cast, space):
    client.force_login(cast.teacher)
    url = reverse("api:spaces-bookings", kwargs={"space_id": 2**70})
    assert client.get(url).status_code in (404, 422)
    assert client.get(reverse("spaces:space", args=[2**70])).status_code == 404


def test_a_bad_week_is_422_not_500(client, cast, space):
    actions.book(
        space,
        by=cast.rehtori,
        starts_at=at(next_monday(), 10),
        ends_at=at(next_monday(), 11),
        kind="staff",
    )
    client.force_login(cast.teacher)
    url = reverse("api:spaces-bookings", kwargs={"space_id": space.pk})
    assert client.get(url, {"week_of": "nonsense"}).status_code == 422
    assert client.get(url).status_code == 200
