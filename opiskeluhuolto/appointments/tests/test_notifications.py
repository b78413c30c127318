"""Reminders of bookings and warnings of deadlines (LAW.md L-15-4), on the frozen Monday."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from opiskeluhuolto.appointments import actions
from opiskeluhuolto.appointments.models import AppointmentRequest
from opiskeluhuolto.organisation.models import Role

from .conftest import at

pytestmark = pytest.mark.django_db


def test_reminders_are_sent_once_for_tomorrows_bookings(hours, mailoutbox, time_machine):
    cast = hours
    actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(date(2026, 11, 10), 9),
        actor=cast.student,
        service=Role.SOCIAL_WORKER,
    )
    actions.book(
        student=cast.onni,
        professional=cast.kuraattori,
        starts_at=at(date(2026, 11, 12), 9),
        actor=cast.kuraattori,
        service=Role.SOCIAL_WORKER,
    )
    mailoutbox.clear()
    time_machine.move_to(at(date(2026, 11, 9), 10), tick=False)
    call_command("send_appointment_reminders", stdout=io.StringIO())
    assert [m.subject for m in mailoutbox] == ["Muistutus: sinulla on varattu aika"]
    assert mailoutbox[0].to == ["aino@test.invalid"]
    assert "10.11.2026" in mailoutbox[0].body
    call_command("send_appointment_reminders", stdout=io.StringIO())
    assert len(mailoutbox) == 1, "a reminder is never sent twice"


def _guardian_request(cast):
    return actions.create_request(
        cast.aino,
        service=Role.SOCIAL_WORKER,
        requested_by=AppointmentRequest.RequestedBy.GUARDIAN,
        channel=AppointmentRequest.Channel.PHONE,
        actor=cast.guardian,
    )


def test_warning_before_the_deadline_goes_to_the_professionals_and_the_lead(
    hours, mailoutbox, time_machine
):
    cast = hours
    req = _guardian_request(cast)  # due Wed 18.11.
    call_command("warn_appointment_deadlines", stdout=io.StringIO())
    assert mailoutbox == [], "a week before the deadline nobody is warned"
    time_machine.move_to(at(date(2026, 11, 17), 7), tick=False)
    call_command("warn_appointment_deadlines", stdout=io.StringIO())
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == ["kaisa@test.invalid", "riitta@test.invalid"]
    assert f"{req.pk}" in mailoutbox[0].body
    assert "Aino" not in mailoutbox[0].body, "no student names in warnings"
    assert req.events.filter(kind="warned").exists()
    call_command("warn_appointment_deadlines", stdout=io.StringIO())
    assert len(mailoutbox) == 2, "each request is warned about once"


def test_a_request_with_a_time_is_not_warned_about(hours, mailoutbox, time_machine):
    cast = hours
    req = _guardian_request(cast)
    actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(date(2026, 11, 18), 9),
        actor=cast.kuraattori,
        request=req,
    )
    mailoutbox.clear()
    time_machine.move_to(at(date(2026, 11, 17), 7), tick=False)
    call_command("warn_appointment_deadlines", stdout=io.StringIO())
    assert mailoutbox == []
