"""Appointments in the permission matrix: every URL × every cast member."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from opiskeluhuolto.access.matrix import Row
from opiskeluhuolto.organisation.models import Role


def setup(cast) -> None:
    """Kaisa (kuraattori) publishes hours; Matti asks for a time for Aino; Aino books one."""
    from opiskeluhuolto.appointments import actions
    from opiskeluhuolto.appointments.models import AppointmentRequest
    from opiskeluhuolto.appointments.slots import free_slots

    today = timezone.localdate()
    for weekday in range(5):
        hours = actions.add_hours(
            cast.kuraattori,
            cast.lukio,
            kind="bookable",
            weekday=weekday,
            starts_at=time(8),
            ends_at=time(16),
            slot_minutes=60,
            mode="on_site",
            place="B 12",
            valid_from=today - timedelta(days=30),
        )
    cast.appt_hours = hours
    cast.appt_exception = actions.add_exception(
        cast.kuraattori, cast.lukio, kind="away", day=today + timedelta(days=200)
    )
    free = free_slots(
        cast.kuraattori.pk,
        cast.lukio.pk,
        cast.lukio.school_calendar(),
        today,
        today + timedelta(days=120),
    )
    cast.appt_booking = actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=free[0].starts_at,
        actor=cast.student,
        service=Role.SOCIAL_WORKER,
    )
    cast.appt_free = free[1]
    cast.appt_request = actions.create_request(
        cast.aino,
        service=Role.SOCIAL_WORKER,
        requested_by=AppointmentRequest.RequestedBy.GUARDIAN,
        channel=AppointmentRequest.Channel.PHONE,
        actor=cast.guardian,
    )
    cast.appt_feed = actions.rotate_feed(cast.kuraattori)
    from opiskeluhuolto.appointments.models import GroupWork

    cast.appt_group_work = GroupWork.objects.create(
        professional=cast.kuraattori,
        institution=cast.lukio,
        service=Role.SOCIAL_WORKER,
        kind=GroupWork.Kind.COMMUNAL,
        day=today,
        participants=20,
    )


def _booking(cast) -> dict:
    return {"pk": cast.appt_booking.pk}


def _request(cast) -> dict:
    return {"pk": cast.appt_request.pk}


STUDENTS = {"student": 200, "adult": 200, "guardian": 200}
PROFESSIONALS = {"kuraattori": 200, "kuraattori_out": 200, "psykologi": 200, "nurse": 200}
PROFESSIONALS_POST = {k: 302 for k in PROFESSIONALS} | {"outsider": 302}
ONLY_KAISA_POST = {"*": 404, "anonymous": 302, "kuraattori": 302}
REPORT = {
    "*": 404,
    "anonymous": 302,
    "admin": 200,
    "rehtori": 200,
    **PROFESSIONALS,
    "outsider": 200,
}

ROWS = [
    Row("appointments:index", {"*": 404, "anonymous": 302, **STUDENTS}),
    Row(
        "appointments:book",
        {"*": 404, "anonymous": 302, "student": 200},
        data=lambda c: {"p": c.kuraattori.pk, "t": c.appt_free.starts_at.isoformat()},
    ),
    Row(
        "appointments:book",
        {"*": 404, "anonymous": 302, "student": 302},
        method="post",
        data=lambda c: {"p": c.kuraattori.pk, "t": c.appt_free.starts_at.isoformat()},
    ),
    Row("appointments:request_new", {"*": 404, "anonymous": 302, **STUDENTS}),
    Row(
        "appointments:request_new",
        {"*": 404, "anonymous": 302, "student": 302, "adult": 302, "guardian": 302},
        method="post",
        data=lambda c: {"service": Role.SOCIAL_WORKER, "student": c.aino.pk},
    ),
    Row(
        "appointments:cancel",
        {"*": 404, "anonymous": 302, "student": 302, "kuraattori": 302},
        kwargs=_booking,
        method="post",
    ),
    Row(
        "appointments:rebook",
        {"*": 404, "anonymous": 302, "student": 200, "kuraattori": 200},
        kwargs=_booking,
    ),
    Row(
        "appointments:booking_ics",
        {"*": 404, "anonymous": 302, "student": 200, "kuraattori": 200},
        kwargs=_booking,
    ),
    Row("appointments:booking_held", ONLY_KAISA_POST, kwargs=_booking, method="post"),
    Row("appointments:work", {"*": 404, "anonymous": 302, **PROFESSIONALS, "outsider": 200}),
    Row(
        "appointments:staff_request_new",
        {"*": 404, "anonymous": 302, **PROFESSIONALS, "outsider": 200},
    ),
    Row(
        "appointments:request_detail",
        {"*": 404, "anonymous": 302, "kuraattori": 200},
        kwargs=_request,
    ),
    Row(
        "appointments:request_messages",
        {"*": 404, "anonymous": 302, "student": 200, "guardian": 200, "kuraattori": 302},
        kwargs=_request,
    ),
    Row(
        "appointments:request_messages",
        {"*": 404, "anonymous": 302, "student": 302, "guardian": 302, "kuraattori": 302},
        kwargs=_request,
        method="post",
        data=lambda c: {"body": "Voisimmeko tavata Teamsissa?"},
    ),
    Row(
        "appointments:request_write",
        {"*": 404, "anonymous": 302, "student": 200, "guardian": 200},
        kwargs=_request,
    ),
    Row(
        "appointments:request_write",
        {"*": 404, "anonymous": 302, "student": 302, "guardian": 302},
        kwargs=_request,
        method="post",
        data=lambda c: {"body": "Voisimmeko tavata Teamsissa?"},
    ),
    Row(
        "appointments:booking_meeting",
        {"*": 404, "anonymous": 302, "kuraattori": 200},
        kwargs=_booking,
    ),
    Row(
        "appointments:booking_meeting",
        ONLY_KAISA_POST,
        kwargs=_booking,
        method="post",
        data=lambda c: {"mode": "remote", "meeting_link": "https://teams.example.fi/l/abc"},
    ),
    Row(
        "appointments:request_urgency",
        ONLY_KAISA_POST,
        kwargs=_request,
        method="post",
        data=lambda c: {"urgent": "1", "version": c.appt_request.version},
    ),
    Row(
        "appointments:request_book",
        ONLY_KAISA_POST,
        kwargs=_request,
        method="post",
        data=lambda c: {
            "starts_at": c.appt_free.starts_at.isoformat(),
            "version": c.appt_request.version,
        },
    ),
    Row(
        "appointments:request_close",
        ONLY_KAISA_POST,
        kwargs=_request,
        method="post",
        data=lambda c: {"reason": "advice_only", "version": c.appt_request.version},
    ),
    Row(
        "appointments:availability", {"*": 404, "anonymous": 302, **PROFESSIONALS, "outsider": 200}
    ),
    Row(
        "appointments:availability_remove",
        ONLY_KAISA_POST,
        kwargs=lambda c: {"pk": c.appt_hours.pk},
        method="post",
    ),
    Row(
        "appointments:exception_remove",
        ONLY_KAISA_POST,
        kwargs=lambda c: {"pk": c.appt_exception.pk},
        method="post",
    ),
    Row(
        "appointments:feed_rotate",
        {"*": 404, "anonymous": 302, **PROFESSIONALS_POST},
        method="post",
    ),
    Row(
        "appointments:feed_revoke",
        {"*": 404, "anonymous": 302, **PROFESSIONALS_POST},
        method="post",
    ),
    Row("appointments:feed", {"*": 200}, kwargs=lambda c: {"token": c.appt_feed.token}),
    Row("appointments:report", REPORT),
    Row("appointments:report_csv", REPORT),
    Row("appointments:statistics", REPORT),
    Row("appointments:statistics_csv", REPORT),
    Row(
        "appointments:group_work_add",
        # The psychologist may record only the psychologist's work: the form says so (400).
        {"*": 404, "anonymous": 302, "kuraattori": 302, "psykologi": 400},
        method="post",
        data=lambda c: {
            "institution": c.lukio.pk,
            "service": Role.SOCIAL_WORKER,
            "kind": "group",
            "day": c.today.isoformat(),
            "minutes": 45,
            "participants": 8,
        },
    ),
    Row(
        "appointments:group_work_remove",
        ONLY_KAISA_POST,
        kwargs=lambda c: {"pk": c.appt_group_work.pk},
        method="post",
    ),
    Row("appointments:public_page", {"*": 200}, kwargs=lambda c: {"slug": c.lukio.slug}),
]

API_ALL = {"*": 200, "anonymous": 401}
ROWS += [
    Row(
        "api:appointments-availability",
        {"*": 404, "anonymous": 401, "student": 200, "adult": 200},
    ),
    Row("api:appointments-requests", API_ALL),
    Row(
        "api:appointments-request-create",
        {"*": 404, "anonymous": 401, "student": 400, "adult": 400, "guardian": 400},
        method="post",
    ),
    Row(
        "api:appointments-request",
        {"*": 404, "anonymous": 401, "kuraattori": 200, "student": 200, "guardian": 200},
        kwargs=lambda c: {"request_id": c.appt_request.pk},
    ),
    Row("api:appointments-bookings", API_ALL),
    Row(
        "api:appointments-booking-create",
        {"*": 404, "anonymous": 401, "student": 400, "adult": 400, "guardian": 400},
        method="post",
    ),
]
