"""The student's bookings page's own lists, compiled once (`lib.compiled`): the
same SQL, rows, page and access-log rows as the scopes of `access.appointments` give."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.access import appointments as access
from opiskeluhuolto.access import for_user
from opiskeluhuolto.appointments import actions, display
from opiskeluhuolto.appointments.models import AppointmentRequest, Booking, FreeTimesVersion
from opiskeluhuolto.appointments.slots import _versions
from opiskeluhuolto.lib import compiled
from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.records.models import AccessLogEntry

from .conftest import at
from .test_page_queries import more_data
from .test_views import TUE

pytestmark = pytest.mark.django_db


def _own_bookings_and_requests(cast):
    """Aino's two bookings and a request of hers, besides other students' (`more_data`)."""
    more_data(cast)
    for hh, mm in ((9, 0), (10, 30)):
        actions.book(
            student=cast.aino,
            professional=cast.kuraattori,
            starts_at=at(TUE, hh, mm),
            actor=cast.student,
            service=Role.SOCIAL_WORKER,
        )
    actions.create_request(
        cast.aino,
        service=Role.SOCIAL_WORKER,
        requested_by="student",
        channel="online",
        actor=cast.student,
    )


def test_own_student_only_for_a_student_and_none_for_others(cast):
    assert access.own_student_only(for_user(cast.student)) == cast.aino.pk
    assert access.own_student_only(for_user(cast.guardian)) is None
    assert access.own_student_only(for_user(cast.kuraattori)) is None


def test_the_compiled_lists_are_the_scopes_sql_and_rows(hours):
    cast = hours
    _own_bookings_and_requests(cast)
    now = timezone.now()
    scope = access.bookings_visible_to(cast.student).filter(
        status=Booking.Status.ACTIVE, ends_at__gte=now
    )
    ours = display._own_bookings(cast.aino.pk, now)
    assert str(ours.query) == str(scope.values_list(*display.BOOKING_COLUMNS).query)
    expected = display.booking_rows(scope, "D j.n.Y H.i")
    assert len(expected) == 2
    assert display.own_booking_rows(cast.aino.pk, now, "D j.n.Y H.i") == expected
    requests = display.request_values(access.requests_visible_to(cast.student).unresolved())
    assert str(display._own_requests(cast.aino.pk).query) == str(requests.by_deadline().query)
    assert display.own_request_values(cast.aino.pk) == list(requests.by_deadline())
    assert len(display.own_request_values(cast.aino.pk)) >= 1


def test_a_compiled_query_runs_with_each_calls_values(hours):
    cast = hours
    _own_bookings_and_requests(cast)
    now = timezone.now()
    assert len(display.own_booking_rows(cast.aino.pk, now, "j.n.")) == 2
    # Another student, another moment: nothing of the first call's values is kept.
    assert [b.student_id for b in display.own_booking_rows(cast.onni.pk, now, "j.n.")] == [
        cast.onni.pk
    ] * 3
    assert display.own_booking_rows(cast.aino.pk, at(TUE, 10, 30), "j.n.") == (
        display.booking_rows(
            Booking.objects.filter(
                student=cast.aino, status=Booking.Status.ACTIVE, ends_at__gte=at(TUE, 10, 30)
            ).order_by("starts_at"),
            "j.n.",
        )
    )
    assert len(display.own_booking_rows(cast.aino.pk, at(TUE, 10, 30), "j.n.")) == 1
    assert display.own_booking_rows(cast.aino.pk + 10**6, now, "j.n.") == []


def test_the_free_times_versions_compiled_per_number_of_professionals(hours):
    cast = hours
    ids = [cast.kuraattori.pk, cast.psykologi.pk]
    expected = dict(
        FreeTimesVersion.objects.filter(professional_id__in=ids).values_list(
            "professional_id", "version"
        )
    )
    assert expected  # the hours made versions
    assert dict(compiled.rows("free-times-versions", FreeTimesVersion, _versions, *ids)) == (
        expected
    )
    one = compiled.rows("free-times-versions", FreeTimesVersion, _versions, ids[1])
    assert dict(one) == {ids[1]: expected[ids[1]]}
    assert compiled.rows("free-times-versions", FreeTimesVersion, _versions) == []


def _dates(student_id: int, day: date, moment: datetime):
    return Booking.objects.filter(
        student_id=student_id, starts_at__date__gte=day, ends_at__gte=moment
    ).values("pk", "starts_at")


def _constant(student_id: int):
    return Booking.objects.filter(student_id=1).values_list("pk")


def _objects(student_id: int):
    return Booking.objects.filter(student_id=student_id)


def test_dates_and_times_are_adapted_as_the_orm_does(hours):
    cast = hours
    _own_bookings_and_requests(cast)
    args = (cast.aino.pk, TUE, at(TUE, 10))
    got = compiled.rows("test-dates", Booking, _dates, *args)
    assert got == list(_dates(*args))
    assert [r["starts_at"] for r in got] == [at(TUE, 10, 30)]
    assert all(isinstance(r["starts_at"], datetime) for r in got)
    assert len(compiled.rows("test-dates", Booking, _dates, cast.aino.pk, TUE, at(TUE, 9))) == 2
    later = (cast.aino.pk, TUE + timedelta(days=1), at(TUE, 9))
    assert compiled.rows("test-dates", Booking, _dates, *later) == []


def test_a_value_the_query_does_not_use_or_a_model_queryset_is_refused(cast):
    with pytest.raises(ValueError, match="placeholder"):
        compiled.rows("test-constant", Booking, _constant, cast.aino.pk)
    with pytest.raises(TypeError, match="values"):
        compiled.rows("test-objects", Booking, _objects, cast.aino.pk)


def _page_and_log(client, cast) -> tuple[str, list[tuple]]:
    before = AccessLogEntry.objects.count()
    html = client.get(reverse("appointments:index")).content.decode()
    rows = AccessLogEntry.objects.order_by("pk")[before:]
    fields = "subject_kind subject_id student_id_ref actor_id actor_name actor_role basis"
    fields += " purpose action client_ip"

    logged = [tuple(getattr(r, f) for f in fields.split()) for r in rows]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html), logged


def test_the_page_shows_and_logs_the_same_as_through_the_scopes(hours, monkeypatch):
    cast = hours
    _own_bookings_and_requests(cast)
    client = Client()
    client.force_login(cast.student)
    client.get(reverse("appointments:index"))
    compiled_html, compiled_log = _page_and_log(client, cast)
    monkeypatch.setattr(access, "own_student_only", lambda can: None)
    scope_html, scope_log = _page_and_log(client, cast)
    assert compiled_html == scope_html
    assert compiled_log == scope_log
    # Two bookings, and four open requests: the bookings' own, and Aino's two others.
    assert sorted(kind for kind, *_ in compiled_log) == ["booking"] * 2 + ["request"] * 4


# --- the staff work list: the access scope's filter compiled once per shape ----------


def _uncompiled(key, model, q, then, *values, limit=None):
    """`compiled.filtered` through the ORM on every call: what it must equal."""
    return list(then(model.objects.filter(q), *values)[:limit])


@pytest.mark.parametrize("who", ["kuraattori", "psykologi", "guardian", "student"])
def test_a_scope_taken_apart_and_put_back_is_the_same_query(hours, who):
    cast = hours
    can = for_user(getattr(cast, who))
    for q, model in (
        (access.requests_q(can), AppointmentRequest),
        (access.bookings_q(can), Booking),
    ):
        values: list[int] = []
        shape = compiled._shape(q, values)
        assert values  # the person's keys are parameters, not part of the shape
        rebuilt = compiled._rebuild(shape, iter(values))
        assert str(model.objects.filter(rebuilt).query) == str(model.objects.filter(q).query)
        # Other keys, the same shape.
        other: list[int] = []
        assert compiled._shape(compiled._rebuild(shape, iter(range(9, 99))), other) == shape


def test_the_guardians_children_are_parameters_of_the_shape(hours):
    cast = hours
    q = access.bookings_q(for_user(cast.guardian))
    values: list[int] = []
    shape = compiled._shape(q, values)
    assert cast.aino.pk in values
    assert str(shape).count("int") >= 2  # the guardian and the child


def _work_page_and_log(client, user) -> tuple[str, list[tuple]]:
    before = AccessLogEntry.objects.count()
    html = client.get(reverse("appointments:work")).content.decode()
    rows = AccessLogEntry.objects.order_by("pk")[before:]
    fields = "subject_kind subject_id student_id_ref actor_id actor_name actor_role basis"
    fields += " purpose action client_ip"
    logged = [tuple(getattr(r, f) for f in fields.split()) for r in rows]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html), logged


@pytest.mark.parametrize("who", ["kuraattori", "psykologi"])
def test_the_work_list_shows_and_logs_the_same_as_through_the_orm(hours, monkeypatch, who):
    cast = hours
    _own_bookings_and_requests(cast)
    user = getattr(cast, who)
    client = Client()
    client.force_login(user)
    client.get(reverse("appointments:work"))
    compiled_html, compiled_log = _work_page_and_log(client, user)
    monkeypatch.setattr(compiled, "filtered", _uncompiled)
    orm_html, orm_log = _work_page_and_log(client, user)
    assert compiled_html == orm_html
    assert compiled_log == orm_log
    assert {kind for kind, *_ in compiled_log} == {"booking", "request"}


def test_two_professionals_of_one_shape_see_their_own_lists(hours):
    """The kuraattori's and the psychologist's scopes differ in their service (a constant
    of the shape) and keys; each first page is the ORM's."""
    from opiskeluhuolto.appointments import work_list

    cast = hours
    _own_bookings_and_requests(cast)
    start, end = at(TUE, 0), at(TUE + timedelta(days=15), 0)
    for user in (cast.kuraattori, cast.psykologi, cast.kuraattori):
        can = for_user(user)
        page = work_list.first_request_page(access.requests_q(can), 50)
        expected = display.first_page_or_paginate(
            display.request_values(
                access.requests_visible_to(user).unresolved().by_deadline(), names=True
            ),
            50,
            None,
        )
        assert page.object_list == expected.object_list
        assert page.paginator.count == expected.paginator.count > 0
        bookings = work_list.first_booking_page(access.bookings_q(can), start, end, 2, "j.n.")
        expected = display.booking_page(
            access.bookings_visible_to(user)
            .active()
            .filter(starts_at__gte=start, starts_at__lt=end)
            .order_by("starts_at", "pk"),
            2,
            None,
            "j.n.",
        )
        assert bookings.object_list == expected.object_list
        assert bookings.paginator.count == expected.paginator.count > 0


def test_a_scope_with_an_exists_falls_back_to_the_orm(hours):
    """A scope `compiled.filtered` cannot take apart (an `Exists`) is no 500: the work
    list's first pages are then the ORM's."""
    from django.db.models import Exists, OuterRef, Q

    from opiskeluhuolto.appointments import work_list

    cast = hours
    _own_bookings_and_requests(cast)
    start, end = at(TUE, 0), at(TUE + timedelta(days=15), 0)
    can = for_user(cast.kuraattori)
    requests_q = access.requests_q(can) & Q(
        Exists(AppointmentRequest.objects.filter(pk=OuterRef("pk")))
    )
    bookings_q = access.bookings_q(can) & Q(Exists(Booking.objects.filter(pk=OuterRef("pk"))))
    with pytest.raises(compiled.NotCompilable):
        compiled.filtered("x", Booking, bookings_q, work_list._first_bookings, start, end)
    page = work_list.first_request_page(requests_q, 50)
    expected = work_list.first_request_page(access.requests_q(can), 50)
    assert page.object_list == expected.object_list
    assert page.paginator.count == expected.paginator.count > 0
    bookings = work_list.first_booking_page(bookings_q, start, end, 2, "j.n.")
    expected = work_list.first_booking_page(access.bookings_q(can), start, end, 2, "j.n.")
    assert bookings.object_list == expected.object_list
    assert bookings.paginator.count == expected.paginator.count > 0
