"""Messages about a request and how a booked meeting is held (issue 19).

The student or guardian writes with the request and the professional answers; the
messages are kept with the request, encrypted, read-logged like the register and
destroyed with the request. A booking says whether the meeting is in person, by phone
or remote with a link, on both sides and in the calendar file.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from opiskeluhuolto.appointments import actions, conversation
from opiskeluhuolto.appointments.models import AppointmentRequest, Booking, RequestMessage
from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.records.models import AccessLogEntry, RetentionClass
from opiskeluhuolto.records.retention import approve, run_retention

from .conftest import at
from .test_views import TUE

pytestmark = pytest.mark.django_db

LINK = "https://teams.example.fi/l/meetup-join/abc"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _student_request(cast, message="Voisimmeko tavata Teamsissa?"):
    c = client_for(cast.student)
    r = c.post(
        reverse("appointments:request_new"),
        {"service": Role.SOCIAL_WORKER, "topic": "studies", "message": message},
    )
    assert r.status_code == 302
    return AppointmentRequest.objects.get(student=cast.aino)


def test_the_student_writes_with_the_request_and_the_professional_answers(
    hours, django_capture_on_commit_callbacks
):
    cast = hours
    req = _student_request(cast)
    (first,) = req.messages.all()
    assert first.body == "Voisimmeko tavata Teamsissa?" and not first.from_staff
    # The words are encrypted in the database, like the request's own words.
    with connection.cursor() as cur:
        cur.execute("SELECT body FROM appointments_requestmessage WHERE id = %s", [first.pk])
        stored = cur.fetchone()[0]
    assert "Teams" not in str(stored)

    kaisa = client_for(cast.kuraattori)
    # The work list says there is a message, not what it says.
    work = kaisa.get(reverse("appointments:work")).content.decode()
    assert "1 viesti" in work and "Teamsissa" not in work
    page = kaisa.get(reverse("appointments:request_detail", args=[req.pk]))
    assert "Voisimmeko tavata Teamsissa?" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = kaisa.post(
            reverse("appointments:request_messages", args=[req.pk]),
            {"body": "Sopii, lähetän linkin."},
        )
    assert r.status_code == 302 and r["Location"].endswith(
        reverse("appointments:request_detail", args=[req.pk])
    )
    answer = req.messages.get(from_staff=True)
    assert answer.author == cast.kuraattori
    # The student is told there is a message, never what it says.
    assert mail.outbox and all("Sopii" not in m.body for m in mail.outbox)

    own = client_for(cast.student).get(reverse("appointments:request_messages", args=[req.pk]))
    body = own.content.decode()
    assert own.status_code == 200
    assert "Voisimmeko tavata Teamsissa?" in body and "Sopii, lähetän linkin." in body


def test_showing_the_messages_is_logged_like_the_register(hours):
    cast = hours
    req = _student_request(cast)
    client_for(cast.kuraattori).get(reverse("appointments:request_detail", args=[req.pk]))
    client_for(cast.student).get(reverse("appointments:request_messages", args=[req.pk]))
    kaisa = AccessLogEntry.objects.filter(actor_id=cast.kuraattori.pk, subject_kind="request")
    assert kaisa.filter(subject_id=req.pk).exists()
    own = AccessLogEntry.objects.filter(actor_id=cast.student.pk, subject_kind="request")
    assert own.filter(subject_id=req.pk, purpose="request messages").exists()


def test_an_empty_message_gets_its_error_next_to_the_field(hours):
    cast = hours
    req = _student_request(cast, message="")
    assert not req.messages.exists()
    r = client_for(cast.student).post(
        reverse("appointments:request_messages", args=[req.pk]), {"body": "   "}
    )
    assert r.status_code == 400
    assert 'class="form-field__error" id="id_body_error"' in r.content.decode()


def test_others_cannot_read_or_write_the_messages(hours):
    cast = hours
    req = _student_request(cast)
    url = reverse("appointments:request_messages", args=[req.pk])
    for outsider in (cast.guardian, cast.teacher, cast.nurse):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(url, {"body": "hei"}).status_code == 404
    assert req.messages.count() == 1


def test_no_messages_after_the_request_is_resolved(hours):
    cast = hours
    req = actions.create_request(
        cast.aino,
        service=Role.SOCIAL_WORKER,
        requested_by="guardian",
        channel="phone",
        actor=cast.kuraattori,
    )
    actions.close_request(req, reason="advice_only", actor=cast.kuraattori)
    with pytest.raises(ValidationError) as e:
        conversation.post_message(req, author=cast.kuraattori, body="Hei", from_staff=True)
    assert "body" in e.value.message_dict


def test_messages_are_destroyed_with_the_request(cast, time_machine):
    RetentionClass.objects.create(
        provider=cast.provider, document_type="appointment_request", years=2, start_event="resolved"
    )
    time_machine.move_to(cast.today - timedelta(days=3 * 365), tick=False)
    old = actions.create_request(
        cast.onni,
        service=Role.SOCIAL_WORKER,
        requested_by="guardian",
        channel="phone",
        actor=cast.kuraattori,
    )
    conversation.post_message(old, author=cast.kuraattori, body="Soitan huomenna.", from_staff=True)
    actions.close_request(old, reason="advice_only", actor=cast.kuraattori)
    time_machine.move_to(cast.today + timedelta(days=1), tick=False)
    waiting = actions.create_request(
        cast.onni,
        service=Role.SOCIAL_WORKER,
        requested_by="guardian",
        channel="phone",
        actor=cast.kuraattori,
    )
    kept = conversation.post_message(waiting, author=cast.kuraattori, body="Hei", from_staff=True)
    (proposal,) = run_retention(cast.today, run_by="test")
    approve(proposal, by=cast.admin)
    run_retention(cast.today, run_by="test")
    assert list(RequestMessage.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AppointmentRequest.objects.filter(pk=old.pk).exists()


def _booked(cast) -> Booking:
    req = _student_request(cast)
    return actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(TUE, 9),
        actor=cast.kuraattori,
        request=req,
    )


def test_the_professional_makes_the_meeting_remote_and_both_sides_see_the_link(
    hours, django_capture_on_commit_callbacks
):
    cast = hours
    booking = _booked(cast)
    kaisa = client_for(cast.kuraattori)
    url = reverse("appointments:booking_meeting", args=[booking.pk])
    bad = kaisa.post(url, {"mode": "remote", "meeting_link": "javascript:alert(1)"})
    assert bad.status_code == 400 and "id_meeting_link_error" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ok = kaisa.post(url, {"mode": "remote", "meeting_link": LINK})
    assert ok.status_code == 302
    booking.refresh_from_db()
    assert booking.mode == "remote" and booking.meeting_link == LINK
    assert any(LINK in m.body for m in mail.outbox)

    work = kaisa.get(reverse("appointments:work")).content.decode()
    assert LINK in work
    student = client_for(cast.student)
    assert LINK in student.get(reverse("appointments:index")).content.decode()
    page = student.get(reverse("appointments:request_messages", args=[booking.request_id]))
    assert LINK in page.content.decode()

    ics = student.get(reverse("appointments:booking_ics", args=[booking.pk]))
    (event,) = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(event["location"]) == LINK and str(event["url"]) == LINK


def test_a_phone_meeting_says_so_and_survives_a_move(hours):
    cast = hours
    booking = _booked(cast)
    conversation.set_meeting(booking, mode="phone", link="", place="", actor=cast.kuraattori)
    moved = actions.rebook(booking, starts_at=at(TUE, 10, 30), actor=cast.student)
    assert moved.mode == "phone" and moved.place == ""
    with pytest.raises(ValidationError) as e:
        conversation.set_meeting(moved, mode="phone", link=LINK, place="", actor=cast.kuraattori)
    assert "meeting_link" in e.value.message_dict
    ics = client_for(cast.student).get(reverse("appointments:booking_ics", args=[moved.pk]))
    (event,) = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(event["location"]) == "puhelimitse"


def test_the_student_cannot_change_how_the_meeting_is_held(hours):
    cast = hours
    booking = _booked(cast)
    url = reverse("appointments:booking_meeting", args=[booking.pk])
    r = client_for(cast.student).post(url, {"mode": "remote", "meeting_link": LINK})
    assert r.status_code == 404
    booking.refresh_from_db()
    assert booking.mode == "on_site"
