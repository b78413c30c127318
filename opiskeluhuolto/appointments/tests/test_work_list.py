"""The professional's work list at a large institution (issue 21, item 3): the coming
bookings come a page at a time in time order, today's first, and a page costs the same
queries and logs the same reads (LAW.md L-906-1: the bookings shown) however many
bookings the professional can see."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opiskeluhuolto.appointments import actions, staff_views
from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.records.models import AccessLogEntry

from .conftest import MONDAY, at
from .test_page_queries import more_data

pytestmark = pytest.mark.django_db
MON = MONDAY.date()
TUE, WED, THU = (date(2026, 11, d) for d in (10, 11, 12))
URL = "appointments:work"


@pytest.fixture
def per_page(monkeypatch):
    monkeypatch.setattr(staff_views, "BOOKINGS_PER_PAGE", 2)
    return 2


def book(cast, day: date, hh: int, mm: int = 0):
    return actions.book(
        student=cast.onni,
        professional=cast.kuraattori,
        starts_at=at(day, hh, mm),
        actor=cast.kuraattori,
        service=Role.SOCIAL_WORKER,
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def booking_reads(user) -> int:
    return AccessLogEntry.objects.filter(actor_id=user.pk, subject_kind="booking").count()


def shown(html: str, booking) -> bool:
    return reverse("appointments:booking_meeting", args=[booking.pk]) in html


def test_bookings_come_a_page_at_a_time_in_time_order_today_first(hours, per_page):
    cast = hours
    # Made out of time order: the page orders them.
    later = book(cast, TUE, 10, 30)
    tomorrow = book(cast, TUE, 9)
    today = book(cast, MON, 9)
    client = signed_in(cast.kuraattori)
    first = client.get(reverse(URL)).content.decode()
    second = client.get(reverse(URL), {"bookings": 2}).content.decode()
    assert shown(first, today) and shown(first, tomorrow) and not shown(first, later)
    assert shown(second, later) and not shown(second, today) and not shown(second, tomorrow)
    assert first.index("Tämän päivän varaukset") < first.index("Tulevat varaukset")
    assert "?bookings=2#bookings" in first and "?bookings=1#bookings" in second
    # Page 2 holds no time of today: no empty "today" list that would say there are none.
    assert "Tämän päivän varaukset" not in second


def test_a_page_of_bookings_costs_the_same_queries_and_reads_however_many_there_are(
    hours, per_page
):
    cast = hours
    client = signed_in(cast.kuraattori)
    url = reverse(URL)
    for hh, mm in ((9, 0), (9, 45), (10, 30)):
        book(cast, TUE, hh, mm)
    assert client.get(url).status_code == 200  # the session is saved, caches are warm
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    before, reads = len(ctx.captured_queries), booking_reads(cast.kuraattori)
    assert reads == 2 * per_page  # the two requests, a page each
    more_data(cast)
    for day in (WED, THU):
        for hh, mm in ((9, 0), (9, 45), (10, 30), (11, 15)):
            book(cast, day, hh, mm)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx.captured_queries) == before
    assert booking_reads(cast.kuraattori) - reads == per_page
