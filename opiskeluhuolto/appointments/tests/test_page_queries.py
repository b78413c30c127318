"""The booking pages: always current free times, and query counts that do not grow
with the data (ARCHITECTURE.md §6).

The student's page reads every professional's free times from the cache under the
version the database keeps for them (`slots.cached_free_slots_of`), computing the
missing ones in three queries together. The freshness tests say what the cache must
follow: bookings, cancellations, hours, exceptions and the school calendar, each
visible on the very next page load. The institution and its school calendar are kept with
the person's permission facts, under the token the database changes with every write to
their tables (`access.facts`).
"""

from datetime import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opiskeluhuolto.appointments import actions
from opiskeluhuolto.appointments.models import Availability, AvailabilityException
from opiskeluhuolto.organisation.models import Role

from .conftest import at, publish_week
from .test_views import TUE

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries(client, url) -> int:
    assert client.get(url).status_code == 200  # the session is saved, caches are warm
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def slot_link(professional, hh: int, mm: int = 0) -> str:
    """The free time's button on the page names the professional and the start."""
    from urllib.parse import quote

    return f"p={professional.pk}&amp;t={quote(at(TUE, hh, mm).isoformat())}"


def page(client) -> str:
    return client.get(reverse("appointments:index")).content.decode()


def more_data(cast) -> None:
    """Another professional with hours, and bookings and requests of other students."""
    publish_week(cast.users["kuraattori_out"], cast.lukio, time(13), time(16))
    for hh in (12, 13, 14):
        actions.book(
            student=cast.onni,
            professional=cast.psykologi,
            starts_at=at(TUE, hh),
            actor=cast.psykologi,
            service=Role.PSYCHOLOGIST,
        )
    actions.create_request(
        cast.onni,
        service=Role.SOCIAL_WORKER,
        requested_by="other",
        channel="phone",
        actor=cast.kuraattori,
        requester_description="nuorisotyöntekijä",
    )
    actions.create_request(
        cast.aino,
        service=Role.PSYCHOLOGIST,
        requested_by="student",
        channel="online",
        actor=cast.student,
    )


def test_student_booking_page_query_count_does_not_grow_with_the_data(hours):
    cast = hours
    client = client_for(cast.student)
    url = reverse("appointments:index")
    # One booking already, so the first count includes the access log's statements too
    # (LAW.md L-906-1): they are the same for one row or many.
    actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(TUE, 9),
        actor=cast.student,
        service=Role.SOCIAL_WORKER,
    )
    before = queries(client, url)
    more_data(cast)
    actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(TUE, 10, 30),
        actor=cast.student,
        service=Role.SOCIAL_WORKER,
    )
    assert queries(client, url) == before


def test_staff_bookings_page_query_count_does_not_grow_with_the_data(hours):
    cast = hours
    client = client_for(cast.kuraattori)
    url = reverse("appointments:work")
    actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(TUE, 9),
        actor=cast.student,
        service=Role.SOCIAL_WORKER,
    )
    before = queries(client, url)
    more_data(cast)
    for hh, mm in ((9, 45), (10, 30)):
        actions.book(
            student=cast.onni,
            professional=cast.kuraattori,
            starts_at=at(TUE, hh, mm),
            actor=cast.kuraattori,
            service=Role.SOCIAL_WORKER,
        )
    assert queries(client, url) == before


def test_a_booked_time_leaves_the_page_and_a_cancelled_one_comes_back(hours):
    cast = hours
    client = client_for(cast.student)
    assert slot_link(cast.kuraattori, 9) in page(client)
    booking = actions.book(
        student=cast.onni,
        professional=cast.kuraattori,
        starts_at=at(TUE, 9),
        actor=cast.kuraattori,
        service=Role.SOCIAL_WORKER,
    )
    assert slot_link(cast.kuraattori, 9) not in page(client)
    assert slot_link(cast.kuraattori, 9, 45) in page(client)  # the next one stays
    actions.cancel_booking(booking, actor=cast.kuraattori)
    assert slot_link(cast.kuraattori, 9) in page(client)


def test_changed_hours_and_exceptions_show_on_the_next_page_load(hours):
    cast = hours
    client = client_for(cast.student)
    assert slot_link(cast.kuraattori, 9) in page(client)
    away = actions.add_exception(
        cast.kuraattori, cast.lukio, kind=AvailabilityException.Kind.AWAY, day=TUE
    )
    assert slot_link(cast.kuraattori, 9) not in page(client)
    actions.remove_exception(away)
    assert slot_link(cast.kuraattori, 9) in page(client)
    for hours_row in Availability.objects.filter(professional=cast.kuraattori):
        actions.remove_hours(hours_row)
    assert f"p={cast.kuraattori.pk}&amp;" not in page(client)
    actions.add_hours(
        cast.kuraattori,
        cast.lukio,
        kind=Availability.Kind.BOOKABLE,
        weekday=TUE.weekday(),
        starts_at=time(14),
        ends_at=time(15),
        slot_minutes=30,
        mode="on_site",
        place="Huone 101",
        valid_from=cast.today,
    )
    html = page(client)
    assert slot_link(cast.kuraattori, 14, 30) in html
    assert slot_link(cast.kuraattori, 9) not in html


def test_free_times_are_cached_until_the_professional_changes_something(hours):
    from opiskeluhuolto.appointments.models import FreeTimesVersion

    cast = hours
    client = client_for(cast.student)
    url = reverse("appointments:index")
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert len(warm.captured_queries) < len(cold.captured_queries)
    version = FreeTimesVersion.objects.get(professional=cast.kuraattori).version
    actions.book(
        student=cast.onni,
        professional=cast.kuraattori,
        starts_at=at(TUE, 9),
        actor=cast.kuraattori,
        service=Role.SOCIAL_WORKER,
    )
    # The version lives in the database, so every server process sees the change.
    assert FreeTimesVersion.objects.get(professional=cast.kuraattori).version != version
    with CaptureQueriesContext(connection) as fresh:
        html = client.get(url).content.decode()

    def reads_hours(ctx):  # the free times are computed from the bookings and exceptions
        return any(
            'FROM "appointments_availabilityexception"' in q["sql"] for q in ctx.captured_queries
        )

    assert reads_hours(cold) and not reads_hours(warm) and reads_hours(fresh)
    assert slot_link(cast.kuraattori, 9) not in html


def test_the_pages_keep_the_institution_and_its_calendar_with_the_permission_facts(hours):
    """Read again only after a write to their tables changes the facts' token."""
    cast = hours
    actions.create_request(  # its deadline is shown in working days
        cast.aino,
        service=Role.SOCIAL_WORKER,
        requested_by="student",
        channel="online",
        actor=cast.student,
    )
    for user, url in (
        (cast.student, reverse("appointments:index")),
        (cast.kuraattori, reverse("appointments:work")),
    ):
        client = client_for(user)
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert client.get(url).status_code == 200
        cold_sql = " ".join(q["sql"] for q in cold.captured_queries)
        warm_sql = " ".join(q["sql"] for q in warm.captured_queries)
        assert '"organisation_calendarperiod"' in cold_sql, url
        assert '"organisation_calendarperiod"' not in warm_sql, url
        assert 'FROM "organisation_institution"' not in warm_sql, url


def test_a_renamed_institution_shows_at_once(hours):
    cast = hours
    client = client_for(cast.student)
    assert reverse("appointments:public_page", args=[cast.lukio.slug]) in page(client)
    cast.lukio.slug = "uusi-lukio"
    cast.lukio.save()
    assert reverse("appointments:public_page", args=["uusi-lukio"]) in page(client)


def test_a_new_day_off_shows_at_once(hours):
    from opiskeluhuolto.organisation.models import CalendarPeriod

    cast = hours
    client = client_for(cast.student)
    assert slot_link(cast.kuraattori, 9) in page(client)
    CalendarPeriod.objects.create(
        school_year=cast.school_year,
        kind=CalendarPeriod.Kind.DAY_OFF,
        name="Ylimääräinen vapaapäivä",
        starts_on=TUE,
        ends_on=TUE,
    )
    assert slot_link(cast.kuraattori, 9) not in page(client)
