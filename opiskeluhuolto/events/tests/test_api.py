"""The API of events and announcements: list, register, cancel; mine, read and unread."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from opiskeluhuolto.announcements import actions as announcements
from opiskeluhuolto.announcements.models import Announcement, Delivery

from .conftest import make_event

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_register_waiting_list_and_cancel(cast, group):
    event = make_event(cast, group, capacity=1, audience="everyone")
    url = f"/api/v1/events/{event.pk}/registrations"
    aino, matti = _client(cast.student), _client(cast.guardian)
    first = aino.post(url)
    assert first.status_code == 201 and first.json()["status"] == "registered"
    second = matti.post(url)
    assert second.status_code == 201 and second.json()["status"] == "waiting"
    listed = {e["id"]: e for e in aino.get("/api/v1/events").json()}
    assert listed[event.pk]["my_status"] == "registered"
    assert listed[event.pk]["taken"] == 1
    gone = aino.delete(f"{url}/me")
    assert gone.status_code == 200 and gone.json()["status"] == "cancelled"
    assert {e["id"]: e for e in matti.get("/api/v1/events").json()}[event.pk][
        "my_status"
    ] == "registered"  # the waiting list moved up
    assert aino.delete(f"{url}/me").status_code == 404  # nothing left to cancel


def test_closed_is_409_and_unseen_is_404(cast, group):
    started = make_event(cast, group, starts_at=timezone.now() - timedelta(minutes=5))
    url = f"/api/v1/events/{started.pk}/registrations"
    response = _client(cast.student).post(url)
    assert response.status_code == 409 and response.json()["detail"]
    assert _client(cast.adult).post(url).status_code == 404  # another institution
    assert Client().post(url).status_code == 401
    assert _client(cast.student).post("/api/v1/events/abc/registrations").status_code in (
        404,
        422,
    )


def test_my_announcements_read_and_unread(cast):
    a = announcements.save_draft(
        Announcement(
            provider=cast.provider,
            kind="newsletter",
            audience="guardians",
            campus=cast.lukio_campus,
            title_fi="Uutiskirje",
            body_fi="Kotiväenilta torstaina.",
            title_sv="Nyhetsbrev",
            body_sv="Föräldrakväll på torsdag.",
        ),
        by=cast.users["rehtori"],
    )
    announcements.schedule(a, by=cast.users["rehtori"])
    announcements.set_language(cast.guardian, "sv")
    Delivery.objects.filter(announcement=a, user=cast.guardian).update(language="sv")
    matti = _client(cast.guardian)
    rows = matti.get("/api/v1/announcements").json()
    assert [(r["id"], r["title"], r["read"]) for r in rows] == [(a.pk, "Nyhetsbrev", False)]
    assert len(matti.get("/api/v1/announcements?unread=true").json()) == 1
    Delivery.objects.filter(announcement=a, user=cast.guardian).update(read_at=timezone.now())
    assert matti.get("/api/v1/announcements?unread=true").json() == []
    assert _client(cast.student).get("/api/v1/announcements").json() == []
