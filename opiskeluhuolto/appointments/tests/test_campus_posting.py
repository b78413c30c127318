"""A professional posted to a campus handles that campus's students only (docs/access-rules.md).

The demo's Lapua kuraattori opened Seinäjoki students' requests and cancelled another
kuraattori's booking: appointments ignored the campus posting that referrals honoured.
Both now ask `Grant.reaches`; the last test keeps the two from ever disagreeing again.
"""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.access import for_user
from opiskeluhuolto.access.appointments import bookings_visible_to, requests_visible_to
from opiskeluhuolto.appointments import actions
from opiskeluhuolto.appointments.models import AppointmentRequest, Booking
from opiskeluhuolto.lib import hetu
from opiskeluhuolto.organisation import actions as org_actions
from opiskeluhuolto.organisation.models import Campus, Role, Student
from opiskeluhuolto.testing.cast import _user

from .conftest import at
from .test_page_queries import queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted(hours):
    """A second lukio campus with its own kuraattori (Lasse); Aino studies on the first."""
    cast = hours
    cast.campus2 = Campus.objects.create(institution=cast.lukio, name="Toinen kampus")
    cast.users["lasse"] = _user("lasse", "Lasse", "Kuraattori", "kuraattori")
    cast.users["kerttu"] = _user("kerttu", "Kerttu", "Kuraattori", "kuraattori")
    for user, campus in ((cast.lasse, cast.campus2), (cast.kerttu, cast.lukio_campus)):
        org_actions.assign_role(
            user,
            role=Role.SOCIAL_WORKER,
            provider=cast.provider,
            institution=cast.lukio,
            campus=campus,
            valid_from=date(2025, 1, 1),
        )
    cast.booking = actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(date(2026, 11, 10), 9),
        actor=cast.student,
        service=Role.SOCIAL_WORKER,
    )
    cast.request = actions.create_request(
        cast.aino,
        service=Role.SOCIAL_WORKER,
        requested_by="student",
        channel="online",
        actor=cast.student,
    )
    return cast


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_another_campus_kuraattori_does_not_see_the_request(posted):
    client = _client(posted.lasse)
    pk = posted.request.pk
    assert client.get(reverse("appointments:request_detail", args=[pk])).status_code == 404
    assert client.get(f"/api/v1/appointments/requests/{pk}").status_code == 404
    assert not requests_visible_to(posted.lasse).filter(pk=pk).exists()
    assert not for_user(posted.lasse).record_appointment_request(posted.aino)


def test_another_campus_kuraattori_cannot_see_or_cancel_the_booking(posted):
    client = _client(posted.lasse)
    pk = posted.booking.pk
    assert client.get(reverse("appointments:booking_ics", args=[pk])).status_code == 404
    response = client.post(reverse("appointments:cancel", args=[pk]), {"reason": "x"})
    assert response.status_code == 404
    assert Booking.objects.get(pk=pk).cancelled_at is None
    assert not bookings_visible_to(posted.lasse).filter(pk=pk).exists()


def test_the_kuraattori_of_the_students_campus_handles_both(posted):
    client = _client(posted.kerttu)
    assert (
        client.get(reverse("appointments:request_detail", args=[posted.request.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("appointments:booking_ics", args=[posted.booking.pk])).status_code == 200
    )
    assert bookings_visible_to(posted.kerttu).filter(pk=posted.booking.pk).exists()
    assert for_user(posted.kerttu).record_appointment_request(posted.aino)


def test_referrals_and_appointments_follow_one_campus_rule(posted):
    """For every professional and every student: handling a referral of the student and
    handling the student's appointment requests of one's own service agree."""
    students = [posted.aino, posted.onni, posted.eero]
    for name in ("kuraattori", "kuraattori_out", "lasse", "kerttu", "outsider"):
        user = posted.users[name]
        can = for_user(user)
        for student in students:
            req = AppointmentRequest(
                student=student, institution=student.institution, service=Role.SOCIAL_WORKER
            )
            assert can.view_appointment_request(req) == can.handle_referrals(
                student.institution, student.campus_id
            ), (name, student.first_name)


def test_a_campus_posted_work_list_costs_the_same_statements_as_its_queue_grows(posted):
    """The work list of a kuraattori posted to a campus (the campus rule in both list
    queries, `_staff_q`) costs as many statements with one request and booking in view as
    with several, of both campuses and of a student with no campus recorded; and as many
    as the institution-wide kuraattori's list (issue 21, item 3)."""
    cast = posted
    url = reverse("appointments:work")
    kerttu = _client(cast.kerttu)
    before = queries(kerttu, url)
    assert queries(_client(cast.kuraattori), url) == before
    Student.objects.filter(pk=cast.onni.pk).update(campus=cast.campus2)
    born = date(2009, 3, 1)
    nelli = org_actions.enrol_student(
        institution=cast.lukio,
        first_name="Nelli",
        last_name="Kampukseton",
        date_of_birth=born,
        hetu=hetu.make(born, 906),
    )
    for student, (hh, mm) in ((cast.onni, (9, 0)), (nelli, (9, 45)), (cast.aino, (10, 30))):
        actions.create_request(
            student,
            service=Role.SOCIAL_WORKER,
            requested_by="other",
            channel="phone",
            actor=cast.kuraattori,
            requester_description="opettaja",
        )
        actions.book(
            student=student,
            professional=cast.kuraattori,
            starts_at=at(date(2026, 11, 11), hh, mm),
            actor=cast.kuraattori,
            service=Role.SOCIAL_WORKER,
        )
    assert queries(kerttu, url) == before
    lasse = _client(cast.lasse)
    assert queries(lasse, url) == before
    # Lasse sees his campus's student and the one with no campus, never Aino.
    seen = {cast.onni.pk, nelli.pk}
    assert set(requests_visible_to(cast.lasse).values_list("student_id", flat=True)) == seen
    assert set(bookings_visible_to(cast.lasse).values_list("student_id", flat=True)) == seen


def test_the_work_lists_join_to_the_students_has_its_covering_index():
    """The work lists join every open request and booking of the unit to its student for
    the campus rule and the names: `org_student_id_campus_name_idx` answers that join
    without reading the table (bench/README.md, "The staff work list's joins to the
    students"). Dropped or reordered, the join reads a table row per request again."""
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Student._meta.db_table)
    assert indexes["org_student_id_campus_name_idx"]["columns"] == [
        "id",
        "campus_id",
        "last_name",
        "first_name",
    ]
