"""Bookings and requests are personal data in a confidential matter: every page that shows
them logs the read (LAW.md L-906-1)."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.appointments import actions
from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.records.models import AccessLogEntry

from .conftest import at
from .test_views import TUE

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_work_list_logs_each_booking_and_request_shown(hours):
    cast = hours
    booking = actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(TUE, 9),
        actor=cast.student,
        service=Role.SOCIAL_WORKER,
    )
    assert client_for(cast.kuraattori).get(reverse("appointments:work")).status_code == 200
    rows = AccessLogEntry.objects.filter(actor_id=cast.kuraattori.pk)
    assert rows.filter(subject_kind="booking", subject_id=booking.pk).exists()
    assert rows.filter(subject_kind="request", subject_id=booking.request_id).exists() or (
        booking.request_id is None
    )
    call_command("verify_access_log")


def test_the_calendar_file_of_a_booking_is_logged_as_a_copy(hours):
    cast = hours
    booking = actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(TUE, 9),
        actor=cast.student,
        service=Role.SOCIAL_WORKER,
    )
    client_for(cast.kuraattori).get(reverse("appointments:booking_ics", args=[booking.pk]))
    row = AccessLogEntry.objects.get(actor_id=cast.kuraattori.pk, subject_kind="booking")
    assert row.action == AccessLogEntry.Action.PRINT and row.subject_id == booking.pk


def test_reading_a_request_through_the_api_is_logged(cast):
    req = actions.create_request(
        cast.aino,
        service=Role.SOCIAL_WORKER,
        requested_by="student",
        channel="online",
        actor=cast.student,
    )
    url = reverse("api:appointments-request", kwargs={"request_id": req.pk})
    assert client_for(cast.kuraattori).get(url).status_code == 200
    row = AccessLogEntry.objects.get(actor_id=cast.kuraattori.pk, subject_kind="request")
    assert row.action == AccessLogEntry.Action.API_READ and row.subject_id == req.pk
