"""The JSON API: free times, requests with their deadline, bookings."""

import json
from datetime import date

import pytest

from opiskeluhuolto.appointments.models import Booking
from opiskeluhuolto.organisation.models import Role

from .conftest import at

pytestmark = pytest.mark.django_db
API = "/api/v1/appointments"


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_student_lists_free_times_and_books_one(hours, client):
    cast = hours
    client.force_login(cast.student)
    slots = client.get(f"{API}/availability").json()
    kaisa = [s for s in slots if s["professional_id"] == cast.kuraattori.pk]
    assert (
        kaisa[0]["starts_at"].startswith("2026-11-09T09:00")
        and kaisa[0]["service"] == Role.SOCIAL_WORKER
    )
    response = _post(
        client,
        f"{API}/bookings",
        {"professional_id": cast.kuraattori.pk, "starts_at": at(date(2026, 11, 10), 9).isoformat()},
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "active"
    again = _post(
        client,
        f"{API}/bookings",
        {"professional_id": cast.kuraattori.pk, "starts_at": at(date(2026, 11, 10), 9).isoformat()},
    )
    assert again.status_code == 422
    assert "starts_at" in again.json()["errors"]
    mine = client.get(f"{API}/bookings").json()
    assert [b["id"] for b in mine] == list(Booking.objects.values_list("pk", flat=True))


def test_request_returns_its_deadline(hours, client):
    cast = hours
    client.force_login(cast.guardian)
    response = _post(
        client, f"{API}/requests", {"service": Role.SOCIAL_WORKER, "student_id": cast.aino.pk}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["deadline"] == "2026-11-18"
    assert body["working_days_left"] == 7 and body["deadline_flag"] == "ok"
    assert body["requested_by"] == "guardian"
    refused = _post(
        client, f"{API}/requests", {"service": Role.SOCIAL_WORKER, "student_id": cast.onni.pk}
    )
    assert refused.status_code == 404
    client.force_login(cast.kuraattori)
    listed = client.get(f"{API}/requests").json()
    assert [r["id"] for r in listed] == [body["id"]]
    assert client.get(f"{API}/requests/{body['id']}").json()["deadline"] == "2026-11-18"
    client.force_login(cast.psykologi)
    assert client.get(f"{API}/requests/{body['id']}").status_code == 404


def test_anonymous_gets_401(client):
    assert client.get(f"{API}/requests").status_code == 401


def test_staff_asks_availability_of_their_institution(hours, client):
    cast = hours
    client.force_login(cast.psykologi)
    slots = client.get(f"{API}/availability", {"institution_id": cast.lukio.pk}).json()
    assert {s["professional_id"] for s in slots} == {cast.kuraattori.pk, cast.psykologi.pk}
    assert (
        client.get(f"{API}/availability", {"institution_id": cast.other_institution.pk}).status_code
        == 404
    )
    assert client.get(f"{API}/availability").status_code == 404
