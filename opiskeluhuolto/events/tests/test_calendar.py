"""The communal calendar: students and guardians see the clock items and events meant for
their campus and group, in their language, as a list, a circle and an iCalendar feed."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from opiskeluhuolto.annualclock import actions as clock_actions
from opiskeluhuolto.annualclock import layers
from opiskeluhuolto.events import community_calendar as calendar
from opiskeluhuolto.events.models import CalendarFeed
from opiskeluhuolto.organisation.models import StudentGroup

from .conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(cast):
    return clock_actions.create_clock(
        by=cast.users["admin"],
        provider=cast.provider,
        name="Kodin ja koulun vuosikello",
        kind="home_school",
    )


def _item(clock, by, title, **fields):
    defaults = {"type": "event", "kind": "date", "day": 15, "month": 10}
    return clock_actions.add_item(clock, by=by, title=title, **(defaults | fields))


def _titles(user, language="fi"):
    start, end = layers.school_year_bounds(timezone.localdate())
    return [r.title for r in calendar.entries(user, start, end, language)]


def test_items_by_community_group_and_campus(cast, clock, group):
    admin = cast.users["admin"]
    _item(clock, admin, "Kotiväenilta", community="guardians", title_sv="Föräldrakväll")
    _item(clock, admin, "Liikkuva välitunti", community="students")
    _item(clock, admin, "Hyvinvointiviikko", community="everyone")
    _item(clock, admin, "Henkilöstön suunnittelupäivä")  # staff only
    other = StudentGroup.objects.create(institution=cast.lukio, campus=cast.lukio_campus, name="X")
    _item(clock, admin, "Ryhmäytyminen 24A", community="students", community_group=cast.group)
    _item(clock, admin, "Ryhmäytyminen X", community="students", community_group=other)
    # The amis campus adapts the clock with an item of its own: not the lukio's.
    clock_actions.adapt_item(
        clock.items.get(title="Hyvinvointiviikko"),
        by=admin,
        institution=cast.amis,
        campus=None,
        is_hidden=False,
        title="Amiksen hyvinvointiviikko",
        type="event",
        kind="date",
        day=15,
        month=10,
        community="everyone",
    )
    student = set(_titles(cast.student))
    assert student == {"Liikkuva välitunti", "Hyvinvointiviikko", "Ryhmäytyminen 24A"}
    guardian = set(_titles(cast.guardian))
    assert guardian == {"Kotiväenilta", "Hyvinvointiviikko"}
    assert "Föräldrakväll" in _titles(cast.guardian, "sv")
    assert set(_titles(cast.adult)) == {"Liikkuva välitunti", "Amiksen hyvinvointiviikko"}
    assert _titles(cast.users["kuraattori"]) == []  # staff: no scope, the clock is theirs


def test_events_of_the_campus_in_the_calendar(cast, group):
    mine = make_event(cast, group, title_fi="Liikuntatapahtuma")
    make_event(cast, group, title_fi="Huoltajien ilta", audience="guardians")
    make_event(cast, group, title_fi="Toisen kampuksen ilta", campuses=[])
    titles = _titles(cast.student)
    assert "Liikuntatapahtuma" in titles and "Huoltajien ilta" not in titles
    assert "Toisen kampuksen ilta" in titles  # no campus chosen: every campus
    assert "Liikuntatapahtuma" not in _titles(cast.adult)  # another institution
    assert "Huoltajien ilta" in _titles(cast.guardian)
    row = next(
        r
        for r in calendar.entries(cast.student, date(2000, 1, 1), date(2100, 1, 1), "fi")
        if r.title == "Liikuntatapahtuma"
    )
    assert row.event_id == mine.pk


def test_pages_only_for_students_and_guardians(cast, clock):
    _item(clock, cast.users["admin"], "Hyvinvointiviikko", community="everyone")
    client = Client()
    client.force_login(cast.guardian)
    page = client.get(reverse("events:calendar"))
    assert page.status_code == 200
    assert "Hyvinvointiviikko" in page.content.decode()
    assert "<svg" in page.content.decode()
    client.force_login(cast.users["kuraattori"])
    assert client.get(reverse("events:calendar")).status_code == 404


def test_ical_subscription_and_revoking(cast, clock, group):
    _item(clock, cast.users["admin"], "Hyvinvointiviikko", community="everyone")
    make_event(cast, group, title_fi="Liikuntatapahtuma")
    client = Client()
    client.force_login(cast.student)
    assert client.post(reverse("events:calendar_feeds")).status_code == 302
    feed = CalendarFeed.objects.get(user=cast.student)
    url = reverse("events:calendar_feed", args=[feed.token])
    anonymous = Client()
    response = anonymous.get(url)
    assert response.status_code == 200
    cal = Calendar.from_ical(response.content)
    summaries = {str(c["summary"]) for c in cal.walk("VEVENT")}
    assert {"Hyvinvointiviikko", "Liikuntatapahtuma"} <= summaries
    client.post(reverse("events:calendar_feed_revoke", args=[feed.pk]))
    assert anonymous.get(url).status_code == 404
    other = Client()
    other.force_login(cast.guardian)
    feed2 = CalendarFeed.objects.create(user=cast.student)
    assert other.post(reverse("events:calendar_feed_revoke", args=[feed2.pk])).status_code == 404


def test_a_group_of_another_provider_is_refused(cast, clock):
    from django.core.exceptions import ValidationError

    far = StudentGroup.objects.create(institution=cast.other_institution, name="Z")
    with pytest.raises(ValidationError):
        _item(clock, cast.users["admin"], "X", community="students", community_group=far)
    with pytest.raises(ValidationError):
        _item(clock, cast.users["admin"], "Y", community_group=cast.group)


def test_the_same_item_on_two_clocks_shows_once(cast, clock):
    other = clock_actions.create_clock(
        by=cast.users["admin"], provider=cast.provider, name="Toinen kello", kind="welfare"
    )
    _item(clock, cast.users["admin"], "Valmistumisjuhla", community="everyone")
    _item(other, cast.users["admin"], "Valmistumisjuhla", community="everyone")
    _item(other, cast.users["admin"], "Valmistumisjuhla", community="everyone", day=16)
    assert _titles(cast.student) == ["Valmistumisjuhla", "Valmistumisjuhla"]  # 15.10. and 16.10.
