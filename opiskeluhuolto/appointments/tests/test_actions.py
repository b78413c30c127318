"""Requests, bookings and their rules, through the real actions, on a frozen Monday 9.11.2026."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from opiskeluhuolto.appointments import actions
from opiskeluhuolto.appointments.models import (
    AppointmentEvent,
    AppointmentRequest,
    Booking,
)
from opiskeluhuolto.organisation.models import Role

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TUE = date(2026, 11, 10)


def student_books(cast, when, professional=None):
    return actions.book(
        student=cast.aino,
        professional=professional or cast.kuraattori,
        starts_at=when,
        actor=cast.student,
        service=Role.SOCIAL_WORKER,
    )


def test_student_books_an_open_time_without_any_approval(
    hours, mailoutbox, django_capture_on_commit_callbacks
):
    cast = hours
    with django_capture_on_commit_callbacks(execute=True):
        booking = student_books(cast, at(TUE, 9))
    req = booking.request
    assert req.requested_by == AppointmentRequest.RequestedBy.STUDENT
    assert req.channel == AppointmentRequest.Channel.ONLINE
    assert req.request_day == date(2026, 11, 9)
    assert req.deadline == date(2026, 11, 18)  # the 7th working day
    assert req.status == AppointmentRequest.Status.BOOKED
    assert req.professional == cast.kuraattori
    assert req.first_offer_start == at(TUE, 9)
    assert req.first_offer_working_days == 1
    assert req.deadline_met is True
    assert booking.ends_at == at(TUE, 9, 45)
    assert booking.place == "Huone 101"
    kinds = list(req.events.values_list("kind", flat=True))
    assert kinds == ["requested", "booked"]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["aino@test.invalid"]
    assert mailoutbox[0].attachments[0][0] == "aika.ics"


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (datetime(2026, 11, 6, 9, 0, tzinfo=ZoneInfo("Europe/Helsinki")), "in the past"),
        (at(date(2026, 11, 14), 9), "not a working day"),
        (at(TUE, 13), "outside the professional's published hours"),
        (at(TUE, 9, 10), "outside the professional's published hours"),
    ],
)
def test_bad_times_get_a_clear_message(hours, when, message):
    with pytest.raises(ValidationError) as e:
        student_books(hours, when)
    assert message in str(e.value.message_dict["starts_at"])
    assert not AppointmentRequest.objects.exists(), "a refused booking leaves no half request"


def test_a_booked_time_cannot_be_booked_again(hours):
    cast = hours
    student_books(cast, at(TUE, 9))
    with pytest.raises(ValidationError, match="already booked"):
        actions.book(
            student=cast.onni,
            professional=cast.kuraattori,
            starts_at=at(TUE, 9),
            actor=cast.kuraattori,
            service=Role.SOCIAL_WORKER,
        )


def test_the_database_refuses_a_double_booking(hours):
    cast = hours
    first = student_books(cast, at(TUE, 9))
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            professional=cast.kuraattori,
            student=cast.onni,
            institution=cast.lukio,
            service=Role.SOCIAL_WORKER,
            starts_at=first.starts_at,
            ends_at=first.ends_at,
            booked_by=cast.kuraattori,
        )


def test_cancel_returns_the_request_to_waiting_and_keeps_the_first_offer(
    hours, django_capture_on_commit_callbacks, mailoutbox
):
    cast = hours
    booking = student_books(cast, at(TUE, 9))
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_booking(booking, actor=cast.student)
    booking.refresh_from_db()
    req = booking.request
    req.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert req.status == AppointmentRequest.Status.OPEN
    assert req.first_offer_start == at(TUE, 9)
    assert mailoutbox[-1].subject == "Aikasi on peruttu"  # e-mail in the default language
    # The same time is free again.
    again = actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(TUE, 9),
        actor=cast.student,
        request=req,
    )
    assert again.status == Booking.Status.ACTIVE


def test_rebook_moves_the_booking(hours):
    cast = hours
    booking = student_books(cast, at(TUE, 9))
    moved = actions.rebook(booking, starts_at=at(TUE, 10, 30), actor=cast.student)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert moved.starts_at == at(TUE, 10, 30)
    assert moved.request_id == booking.request_id
    assert moved.request.first_offer_start == at(TUE, 9), "the first offer stays for compliance"
    with pytest.raises(ValidationError, match="outside"):
        actions.rebook(moved, starts_at=at(TUE, 12), actor=cast.student)


def test_urgency_is_set_by_a_professional_and_moves_the_deadline(hours):
    cast = hours
    req = actions.create_request(
        cast.aino,
        service=Role.SOCIAL_WORKER,
        requested_by=AppointmentRequest.RequestedBy.GUARDIAN,
        channel=AppointmentRequest.Channel.PHONE,
        actor=cast.guardian,
    )
    assert req.deadline == date(2026, 11, 18) and not req.urgent
    version = req.version
    req = actions.set_urgency(req, urgent=True, actor=cast.kuraattori, version=version)
    assert req.urgent and req.urgency_set_by == cast.kuraattori
    assert req.deadline == TUE
    with pytest.raises(ValidationError, match="changed this request meanwhile"):
        actions.set_urgency(req, urgent=False, actor=cast.kuraattori, version=version)


def test_closing_without_a_discussion_needs_a_recorded_reason(hours):
    cast = hours
    req = actions.create_request(
        cast.aino,
        service=Role.SOCIAL_WORKER,
        requested_by=AppointmentRequest.RequestedBy.OTHER,
        requester_description="nuorisotyöntekijä",
        channel=AppointmentRequest.Channel.PHONE,
        actor=cast.kuraattori,
    )
    with pytest.raises(ValidationError, match="reason"):
        actions.close_request(req, reason="", actor=cast.kuraattori)
    actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(TUE, 9),
        actor=cast.kuraattori,
        request=req,
    )
    req = actions.close_request(req, reason="advice_only", actor=cast.kuraattori)
    assert req.status == AppointmentRequest.Status.CLOSED
    assert req.close_reason == "advice_only"
    assert not Booking.objects.active().exists(), "closing cancels the booked time"
    assert req.events.filter(kind=AppointmentEvent.Kind.CLOSED).exists()
    with pytest.raises(ValidationError, match="already resolved"):
        actions.close_request(req, reason="unnecessary", actor=cast.kuraattori)


def test_another_person_must_be_described(hours):
    with pytest.raises(ValidationError) as e:
        actions.create_request(
            hours.aino,
            service=Role.SOCIAL_WORKER,
            requested_by=AppointmentRequest.RequestedBy.OTHER,
            channel=AppointmentRequest.Channel.PHONE,
            actor=hours.kuraattori,
        )
    assert "requester_description" in e.value.message_dict


def test_request_is_kept_even_when_the_calendar_is_missing(hours):
    """The vocational institution of the cast has no school year: no deadline, but no loss."""
    req = actions.create_request(
        hours.eero,
        service=Role.SOCIAL_WORKER,
        requested_by=AppointmentRequest.RequestedBy.STUDENT,
        channel=AppointmentRequest.Channel.ONLINE,
        actor=hours.adult,
    )
    assert req.pk and req.deadline is None


def test_mark_held_only_after_the_time(hours, time_machine):
    cast = hours
    booking = student_books(cast, at(TUE, 9))
    with pytest.raises(ValidationError, match="once its time has come"):
        actions.mark_held(booking, actor=cast.kuraattori)
    time_machine.move_to(at(TUE, 10), tick=False)
    actions.mark_held(booking, actor=cast.kuraattori)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.HELD
    assert booking.request.status == AppointmentRequest.Status.HELD


def test_friday_before_the_christmas_break_is_due_in_january(db, time_machine):
    from opiskeluhuolto.testing.cast import build

    time_machine.move_to(
        datetime(2026, 12, 18, 14, 0, tzinfo=ZoneInfo("Europe/Helsinki")), tick=False
    )
    cast = build(date(2026, 12, 18))
    req = actions.create_request(
        cast.aino,
        service=Role.PSYCHOLOGIST,
        requested_by=AppointmentRequest.RequestedBy.STUDENT,
        channel=AppointmentRequest.Channel.ONLINE,
        actor=cast.student,
    )
    assert req.deadline == date(2027, 1, 14)
    req = actions.set_urgency(req, urgent=True, actor=cast.psykologi)
    assert req.deadline == date(2026, 12, 21)


def test_overlapping_weekly_hours_are_refused(hours):
    from datetime import time

    with pytest.raises(ValidationError, match="overlap"):
        actions.add_hours(
            hours.kuraattori,
            hours.lukio,
            kind="bookable",
            weekday=0,
            starts_at=time(11),
            ends_at=time(13),
            slot_minutes=30,
            mode="remote",
            place="",
            valid_from=date(2026, 11, 1),
        )


def test_away_day_removes_the_slots(hours):
    from opiskeluhuolto.appointments.slots import free_slots

    cast = hours
    cal = cast.lukio.school_calendar()
    before = free_slots(cast.kuraattori.pk, cast.lukio.pk, cal, TUE, TUE)
    assert [s.starts_at for s in before] == [
        at(TUE, 9),
        at(TUE, 9, 45),
        at(TUE, 10, 30),
        at(TUE, 11, 15),
    ]
    actions.add_exception(cast.kuraattori, cast.lukio, kind="away", day=TUE)
    assert free_slots(cast.kuraattori.pk, cast.lukio.pk, cal, TUE, TUE) == []
    with pytest.raises(ValidationError, match="outside"):
        student_books(cast, at(TUE, 9))


def test_nurse_requests_have_no_legal_deadline(hours):
    """L-15 binds the kuraattori and the psychologist; the nurse is reached by walk-in (L-17)."""
    req = actions.create_request(
        hours.aino,
        service=Role.NURSE,
        requested_by=AppointmentRequest.RequestedBy.STUDENT,
        channel=AppointmentRequest.Channel.ONLINE,
        actor=hours.student,
    )
    assert req.deadline is None and not req.has_legal_deadline
