"""The list scopes agree with the object rules, for every cast member (STYLE.md §3.3)."""

import pytest

from opiskeluhuolto.access import for_user
from opiskeluhuolto.access.appointments import bookings_visible_to, requests_visible_to
from opiskeluhuolto.appointments import actions
from opiskeluhuolto.appointments.models import AppointmentRequest, Booking
from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.testing.cast import MEMBERS

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def variety(hours):
    cast = hours
    from datetime import date

    actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(date(2026, 11, 10), 9),
        actor=cast.student,
        service=Role.SOCIAL_WORKER,
    )
    actions.book(
        student=cast.onni,
        professional=cast.psykologi,
        starts_at=at(date(2026, 11, 10), 12),
        actor=cast.psykologi,
        service=Role.PSYCHOLOGIST,
    )
    for service, by, actor in [
        (Role.SOCIAL_WORKER, "guardian", cast.guardian),
        (Role.NURSE, "student", cast.student),
        (Role.PSYCHOLOGIST, "staff", cast.teacher),
    ]:
        actions.create_request(
            cast.aino, service=service, requested_by=by, channel="online", actor=actor
        )
    guardians = AppointmentRequest.objects.get(requested_by="guardian")
    actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(date(2026, 11, 10), 10, 30),
        actor=cast.kuraattori,
        request=guardians,
    )
    actions.create_request(
        cast.eero,
        service=Role.SOCIAL_WORKER,
        requested_by="student",
        channel="online",
        actor=cast.adult,
    )
    return cast


@pytest.mark.parametrize("member", [m for m in MEMBERS if m != "anonymous"])
def test_scopes_match_the_rules(variety, member):
    user = variety.member(member)
    can = for_user(user)
    for req in AppointmentRequest.objects.all():
        in_scope = requests_visible_to(user).filter(pk=req.pk).exists()
        assert in_scope == can.view_appointment_request(req), (member, req.pk)
    for booking in Booking.objects.all():
        in_scope = bookings_visible_to(user).filter(pk=booking.pk).exists()
        assert in_scope == can.view_booking(booking), (member, booking.pk)


def test_guardian_sees_the_time_given_for_their_request_only(variety):
    seen = bookings_visible_to(variety.guardian)
    assert [b.request.requested_by for b in seen] == ["guardian"]


def test_who_sees_what(variety):
    names = {
        m: set(requests_visible_to(variety.member(m)).values_list("service", "requested_by"))
        for m in (
            "kuraattori",
            "psykologi",
            "nurse",
            "guardian",
            "teacher",
            "rehtori",
            "kuraattori_out",
        )
    }
    assert names["kuraattori"] == {("social_worker", "student"), ("social_worker", "guardian")}
    assert ("psychologist", "staff") in names["psykologi"]
    assert names["nurse"] == {("nurse", "student")}
    assert names["guardian"] == {("social_worker", "guardian")}
    assert names["teacher"] == names["rehtori"] == set()
    assert names["kuraattori_out"] == {("social_worker", "student")}  # Eero at the amis
