"""Layering of clocks, item forms with clear messages, the circle, the month list and the feed."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from opiskeluhuolto.annualclock import actions, layers, wheel
from opiskeluhuolto.annualclock.demo import item_fields, sedu_clocks
from opiskeluhuolto.annualclock.models import Clock, ClockItem

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)


@pytest.fixture
def clock(cast):
    c = actions.create_clock(
        by=cast.admin, provider=cast.provider, name="Vuosikello", kind="welfare"
    )
    c.survey = actions.add_item(
        c,
        by=cast.admin,
        title="Huoltajakysely",
        type="survey",
        kind="weeks",
        first_week=43,
        last_week=44,
    )
    c.evening = actions.add_item(
        c,
        by=cast.admin,
        title="Kotiväenilta",
        type="event",
        kind="months",
        first_month=9,
        last_month=9,
    )
    return c


def titles(items):
    return sorted((i.title, i.timing) for i in items)


def test_every_unit_inherits_the_provider_clock(clock, cast):
    for unit in (
        layers.Unit(),
        layers.Unit(cast.lukio),
        layers.Unit(cast.lukio, cast.lukio_campus),
        layers.Unit(cast.amis),
    ):
        assert {i.title for i in layers.effective_items(clock, unit)} == {
            "Huoltajakysely",
            "Kotiväenilta",
        }


def test_an_adaptation_changes_the_item_only_for_that_unit(clock, cast):
    actions.adapt_item(
        clock.evening, by=cast.admin, institution=cast.lukio, first_month=10, last_month=10
    )
    actions.adapt_item(
        clock.survey,
        by=cast.admin,
        institution=cast.lukio,
        campus=cast.lukio_campus,
        is_hidden=True,
    )
    campus_clock = Clock.objects.get(parent=clock, campus=cast.lukio_campus)
    actions.add_item(
        campus_clock,
        by=cast.admin,
        title="Kampuksen oma",
        type="drill",
        kind="date",
        day=12,
        month=9,
    )
    lukio = layers.effective_items(clock, layers.Unit(cast.lukio))
    campus = layers.effective_items(clock, layers.Unit(cast.lukio, cast.lukio_campus))
    amis = layers.effective_items(clock, layers.Unit(cast.amis))
    assert {(i.title, i.first_month) for i in lukio if i.kind == "months"} == {("Kotiväenilta", 10)}
    assert {i.title for i in campus} == {
        "Kotiväenilta",
        "Kampuksen oma",
    }  # survey hidden, evening inherited from the institution
    assert [i.first_month for i in campus if i.title == "Kotiväenilta"] == [10]
    assert titles(amis) == titles([clock.survey, clock.evening])  # others keep the original
    clock.evening.refresh_from_db()
    assert clock.evening.first_month == 9
    # Adapting again edits the same override, not a second one.
    actions.adapt_item(
        clock.evening, by=cast.admin, institution=cast.lukio, first_month=11, last_month=11
    )
    assert ClockItem.objects.filter(adapts=clock.evening).count() == 1
    # Viewing the adaptation clock itself shows its unit's view.
    assert {i.title for i in layers.effective_items(campus_clock)} == {
        "Kotiväenilta",
        "Kampuksen oma",
    }


def test_term_items_use_the_units_calendar(clock, cast):
    actions.add_item(
        clock, by=cast.admin, title="Abien tuki", type="meeting_topic", kind="term", term="spring"
    )
    unit = layers.Unit(cast.lukio)
    y = cast.school_year.starts_on.year
    dated = layers.dated_items(
        layers.effective_items(clock, unit),
        date(y, 8, 1),
        date(y + 1, 7, 31),
        layers.terms_for(unit),
    )
    spring = [d for d in dated if d.item.title == "Abien tuki"]
    assert [(d.start, d.end) for d in spring] == [(date(y + 1, 1, 7), date(y + 1, 6, 4))]


@pytest.mark.parametrize(
    "data,field,message",
    [
        (
            {"kind": "weeks", "first_week": "43", "last_week": "54"},
            "last_week",
            "Viikkoa 54 ei ole",
        ),
        ({"kind": "date", "date": "30.2."}, "date", "Päivämäärää 30.2. ei ole olemassa"),
        ({"kind": "date", "date": "11/2"}, "date", "Anna päivämäärä"),
        (
            {"kind": "months", "first_month": "1", "last_month": "13"},
            "last_month",
            "Kuukautta 13 ei ole",
        ),
        (
            {"kind": "months", "first_month": "1", "last_month": "3", "every_years": "0"},
            "every_years",
            "vähintään 1",
        ),
    ],
)
def test_impossible_recurrence_gets_a_clear_finnish_message_next_to_the_field(
    client, clock, cast, data, field, message
):
    client.force_login(cast.admin)
    post = {"title": "Uusi kysely", "type": "survey", "every_years": "1", **data}
    response = client.post(
        reverse("annualclock:item_add", args=[clock.pk]), post, HTTP_ACCEPT_LANGUAGE="fi"
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    assert "Uusi kysely" in response.content.decode()  # nothing typed is lost
    assert not ClockItem.objects.filter(title="Uusi kysely").exists()


def test_item_form_saves_a_valid_rule(client, clock, cast):
    client.force_login(cast.admin)
    post = {
        "title": "Turvallisuuskysely",
        "type": "survey",
        "kind": "date",
        "date": "11.2.",
        "every_years": "1",
    }
    response = client.post(reverse("annualclock:item_add", args=[clock.pk]), post)
    assert response.status_code == 302
    item = ClockItem.objects.get(title="Turvallisuuskysely")
    assert (item.day, item.month, item.first_week) == (11, 2, None)


def test_principal_adapts_for_the_unit_through_the_page(client, clock, cast):
    client.force_login(cast.rehtori)
    url = reverse("annualclock:item_adapt", args=[clock.evening.pk])
    post = {
        "unit": f"c{cast.lukio_campus.pk}",
        "title": "Kotiväenilta",
        "type": "event",
        "kind": "months",
        "first_month": "10",
        "last_month": "10",
        "every_years": "1",
    }
    assert client.post(url, post).status_code == 302
    override = ClockItem.objects.get(adapts=clock.evening)
    assert override.clock.campus == cast.lukio_campus and override.first_month == 10
    # A unit of another institution is not offered.
    assert client.post(url, {**post, "unit": f"c{cast.amis_campus.pk}"}).status_code == 200


def test_the_wheel_starts_from_august_and_places_marks_by_date():
    start = date(2026, 8, 1)
    w = wheel.build(
        start,
        [
            ("a", "survey", date(2026, 8, 1), date(2026, 8, 1)),
            ("b", "event", date(2027, 2, 1), date(2027, 2, 28)),
        ],
        date(2026, 11, 1),
    )
    assert [s.month for s in w.sectors] == [8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7]
    a, b = w.marks
    assert a.path == "" and a.y < w.centre and abs(a.x - w.centre) < 10  # top of the circle
    assert b.path.startswith("M") and b.x < w.centre and b.y > w.centre  # February: lower left
    hx, hy = w.hand
    assert hx > w.centre and hy > w.centre - 50  # 1 November: right, a bit below the middle


@time_machine.travel(TODAY)
def test_clock_page_draws_the_circle_and_a_text_alternative(client, clock, cast):
    client.force_login(cast.kuraattori)
    body = client.get(
        reverse("annualclock:clock", args=[clock.pk]), HTTP_ACCEPT_LANGUAGE="fi"
    ).content.decode()
    assert len(re.findall(r'class="vk-sector( vk-sector--even)?"', body)) == 12
    assert "<title>Huoltajakysely – 19.10.–1.11.</title>" in body
    assert 'class="vk-hand"' in body
    assert "Asiat aikajärjestyksessä" in body
    assert "style=" not in body
    months = client.get(reverse("annualclock:months", args=[clock.pk])).content.decode()
    assert months.index("Kotiväenilta") < months.index("Huoltajakysely")


@time_machine.travel(TODAY)
def test_private_feed_parses_as_icalendar_and_can_be_revoked(client, clock, cast):
    client.force_login(cast.kuraattori)
    client.post(reverse("annualclock:feeds", args=[clock.pk]))
    token = cast.kuraattori.clock_feed_tokens.get()
    anonymous = client.__class__()
    response = anonymous.get(reverse("annualclock:feed", args=[token.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = [(str(e["summary"]), e.decoded("dtstart")) for e in cal.walk("VEVENT")]
    assert ("Huoltajakysely", date(2026, 10, 19)) in events
    assert ("Kotiväenilta", date(2027, 9, 1)) in events
    client.post(reverse("annualclock:feed_revoke", args=[token.pk]))
    assert anonymous.get(reverse("annualclock:feed", args=[token.token])).status_code == 404
    assert anonymous.get(reverse("annualclock:feed", args=["arvattu"])).status_code == 404


def test_api_lists_occurrences_in_a_range(client, clock, cast):
    client.force_login(cast.kuraattori)
    url = reverse("api:annualclock-occurrences", args=[clock.pk])
    rows = client.get(url, {"start": "2026-08-01", "end": "2027-07-31"}).json()
    assert [(r["title"], r["start"]) for r in rows] == [
        ("Kotiväenilta", "2026-09-01"),
        ("Huoltajakysely", "2026-10-19"),
    ]
    assert client.get(url, {"start": "2026-08-01", "end": "2036-07-31"}).status_code == 422


def test_the_demo_carries_every_transcribed_item_faithfully():
    data = sedu_clocks()
    assert [len(c["items"]) for c in data["clocks"]] == [27, 15]
    by_title = {
        raw["title"]: item_fields(raw, fallback_anchor=2026)
        for c in data["clocks"]
        for raw in c["items"]
    }
    assert by_title["Turvallisuuskysely"].items() >= {"kind": "date", "day": 11, "month": 2}.items()
    assert by_title["Huoltajakysely (Sedun oma)"]["first_week"] == 43
    assert (
        by_title["Kouluterveyskysely"]["anchor_year"] == 2025
        and by_title["Kouluterveyskysely"]["every_years"] == 2
    )
    assert (
        by_title["TEA-viisari"].items()
        >= {
            "first_month": 10,
            "last_month": 12,
            "anchor_year": 2026,
        }.items()
    )
    coffee = by_title["Opiskelijoiden virtuaalikahvit (tallenteen linkki Wilmaan)"]
    assert (coffee["first_month"], coffee["last_month"]) == (9, 5)
    for fields in by_title.values():
        ClockItem(clock=Clock(), **fields).clean()  # every timing is a valid rule


@time_machine.travel(TODAY)
def test_occurrences_this_school_year_follow_the_layers(clock, cast):
    """Frozen on 22.11.2026: the campus holds its home evening in October, the others in September."""
    actions.adapt_item(
        clock.evening,
        by=cast.admin,
        institution=cast.lukio,
        campus=cast.lukio_campus,
        first_month=10,
        last_month=10,
    )
    start, end = layers.school_year_bounds(date.today())
    assert (start, end) == (date(2026, 8, 1), date(2027, 7, 31))

    def evenings(unit):
        items = layers.effective_items(clock, unit)
        dated = layers.dated_items(items, start, end, layers.terms_for(unit))
        return [(d.start, d.end) for d in dated if d.item.title == "Kotiväenilta"]

    assert evenings(layers.Unit(cast.lukio, cast.lukio_campus)) == [
        (date(2026, 10, 1), date(2026, 10, 31))
    ]
    assert evenings(layers.Unit(cast.lukio)) == [(date(2026, 9, 1), date(2026, 9, 30))]
    assert evenings(layers.Unit(cast.amis)) == [(date(2026, 9, 1), date(2026, 9, 30))]


def test_item_form_has_a_date_picker_and_one_fieldset_per_recurrence(client, clock, cast):
    """Issue 19: a real date picker; the fields of each recurrence kind in their own
    fieldset (the script shows the chosen one; without it all show and still work)."""
    client.force_login(cast.admin)
    url = reverse("annualclock:item_add", args=[clock.pk])
    page = client.get(url).content.decode()
    assert 'type="date"' in page and "js/clockitem.js" in page
    for kind in ("date", "weeks", "months", "term"):
        assert f'data-kind="{kind}"' in page
    post = {"title": "Turvakysely", "type": "survey", "kind": "date", "every_years": "1"}
    # What the picker sends: the year is ignored, the day and month kept.
    assert client.post(url, {**post, "date": "2027-02-11", "first_week": "5"}).status_code == 302
    item = ClockItem.objects.get(title="Turvakysely")
    assert (item.day, item.month, item.first_week) == (11, 2, None)
    edit = client.get(reverse("annualclock:item_edit", args=[item.pk])).content.decode()
    assert 'value="2028-02-11"' in edit
