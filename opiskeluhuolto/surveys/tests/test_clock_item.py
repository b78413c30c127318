"""The builder ties a new survey to an annual-clock item: the item's next occurrence
gives the window and its "results due" the release date, for the dates the user left
empty. Only survey items of the clocks of the owner's provider that the builder sees."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from opiskeluhuolto.surveys.models import Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(sv, cast):
    from opiskeluhuolto.annualclock import actions as clock_actions

    clock = clock_actions.create_clock(
        by=sv.admin, provider=cast.provider, name="Vuosikello", kind="welfare"
    )
    survey_item = clock_actions.add_item(
        clock, by=sv.admin, title="Huoltajakysely", type="survey", kind="weeks",
        first_week=43, last_week=44, results_due="aikaisintaan marraskuussa",
    )  # fmt: skip
    event_item = clock_actions.add_item(
        clock, by=sv.admin, title="Hyvinvointiviikko", type="event", kind="weeks",
        first_week=10, last_week=10,
    )  # fmt: skip
    other_clock = clock_actions.create_clock(
        by=sv.admin, provider=cast.other_provider, name="Toinen", kind="welfare"
    )
    other_item = clock_actions.add_item(
        other_clock, by=sv.admin, title="Toisen kysely", type="survey", kind="weeks",
        first_week=43, last_week=44,
    )  # fmt: skip
    return survey_item, event_item, other_item


def _post(client, sv, **extra):
    data = {"group": sv.group.pk, "template": "", "title": "Huoltajakysely 2027",
            "audience": "guardians", "is_anonymous": "on", **extra}  # fmt: skip
    return client.post(reverse("surveys:new"), data)


def test_the_builder_offers_only_survey_items_of_the_owners_provider(client, sv, items):
    survey_item, event_item, other_item = items
    client.force_login(sv.kuraattori)
    page = client.get(reverse("surveys:new")).content.decode()
    assert "Vuosikello: Huoltajakysely" in page
    assert "Hyvinvointiviikko" not in page and "Toisen kysely" not in page
    assert _post(client, sv, clock_item=other_item.pk).status_code == 400
    assert _post(client, sv, clock_item=event_item.pk).status_code == 400
    assert not Survey.objects.exists()


def test_the_clock_item_fills_the_window_and_results_date(client, sv, items):
    client.force_login(sv.kuraattori)
    r = _post(client, sv, clock_item=items[0].pk)
    assert r.status_code == 302
    survey = Survey.objects.get()
    assert survey.clock_item == items[0]
    assert survey.opens_on.isocalendar()[1:] == (43, 1)  # Monday of week 43
    assert survey.closes_on.isocalendar()[1:] == (44, 7)  # Sunday of week 44
    assert survey.results_on.month == 11 and survey.results_on > survey.closes_on


def test_the_user_may_adjust_the_dates_the_item_gives(client, sv, items):
    client.force_login(sv.kuraattori)
    r = _post(client, sv, clock_item=items[0].pk, results_on="2099-01-15")
    assert r.status_code == 302
    survey = Survey.objects.get()
    assert survey.opens_on.isocalendar()[1:] == (43, 1)
    assert survey.results_on == date(2099, 1, 15)


def test_without_an_item_the_dates_are_required(client, sv, items):
    client.force_login(sv.kuraattori)
    r = _post(client, sv)
    assert r.status_code == 400
    assert "Anna päivämäärä tai valitse vuosikellon kohta." in r.content.decode()
    assert not Survey.objects.exists()
