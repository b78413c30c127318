"""The built-in participation indicator is shown in the reader's language, whoever's report
created it; an indicator typed by a person stays as typed."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from opiskeluhuolto.events import participation
from opiskeluhuolto.meetings.models import DataPoint, Indicator

from .conftest import make_event

pytestmark = pytest.mark.django_db

NAMES = {
    "fi": "Osallistuminen yhteisöllisen opiskeluhuollon tapahtumiin",
    "sv": "Deltagande i evenemang inom den gemensamma elevhälsan",
    "en": "Participation in communal welfare events",
}


def _page(client, url, lang):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=lang).content.decode()


def test_the_built_in_indicator_reads_in_the_readers_language(client, cast, group):
    event = make_event(cast, group)
    with translation.override("fi"):  # created by a Finnish-speaking organiser's report
        indicator = participation.participation_indicator(event)
    typed = Indicator.objects.create(
        provider=cast.provider,
        code="yksinaisyys",
        name="Yksinäisyyttä kokevien osuus",
        direction="lower",
        target=10,
        source="khk",
    )
    DataPoint.objects.create(
        indicator=indicator, institution=event.institution, year=2026, value=12, respondents=12
    )
    client.force_login(cast.rehtori)
    one = reverse("meetings:indicator", args=[indicator.pk])
    for lang, name in NAMES.items():
        others = [n for other, n in NAMES.items() if other != lang]
        body = _page(client, one, lang)
        assert f"<h1>{name}</h1>" in body, lang
        assert not any(n in body for n in others), lang
        listing = _page(client, reverse("meetings:indicators"), lang)
        assert name in listing and typed.name in listing, lang
    assert "personer" in _page(client, one, "sv")
    assert "persons" in _page(client, one, "en")


def test_the_migration_turns_a_stored_translation_into_the_built_in_name(cast):
    from importlib import import_module

    from django.apps import apps

    from opiskeluhuolto.organisation.models import Provider

    migration = import_module(
        "opiskeluhuolto.events.migrations.0006_participation_indicator_built_in"
    )
    fields = {"code": participation.INDICATOR_CODE, "direction": "higher", "target": 0}
    stored = Indicator.objects.create(
        provider=cast.provider, name=NAMES["sv"], unit="personer", source="own", **fields
    )
    other = Provider.objects.create(name="Toinen")
    renamed = Indicator.objects.create(
        provider=other, name="Tapahtumiin osallistuneet", unit="hlö", source="own", **fields
    )
    migration.mark_built_in(apps, None)
    stored.refresh_from_db()
    renamed.refresh_from_db()
    assert (stored.built_in, stored.name, stored.unit) == (True, NAMES["en"], "persons")
    with translation.override("fi"):
        assert str(stored) == NAMES["fi"] and stored.unit_label == "henkilöä"
    assert (renamed.built_in, renamed.name) == (False, "Tapahtumiin osallistuneet")


def test_the_built_in_indicator_has_no_target_until_the_plan_sets_one(client, cast, group):
    """It was created with target 0, shown as "tavoitearvo 0,0 henkilöä" and every year's
    participation as meeting it."""
    event = make_event(cast, group)
    indicator = participation.participation_indicator(event)
    assert indicator.target is None and indicator.meets(40) is None
    assert indicator.source == Indicator.Source.EVENTS  # not "own survey"
    DataPoint.objects.create(
        indicator=indicator, institution=event.institution, year=2026, value=40, respondents=40
    )
    client.force_login(cast.rehtori)
    for url in (reverse("meetings:indicators"), reverse("meetings:indicator", args=[indicator.pk])):
        body = _page(client, url, "fi")
        assert "tavoitetta ei ole asetettu" in body, url
        assert not re.search(r"(?<![\d,])0,0\b", body), url
        assert "suurempi on parempi" not in body, url
    body = _page(client, reverse("meetings:indicator", args=[indicator.pk]), "fi")
    assert 'class="chart-target"' not in body and "Katkoviiva" not in body
    assert "40,0 henkilöä" in body or "40 henkilöä" in body
    assert "badge--ok" not in body and "badge--warn" not in body
    assert "tapahtumien osallistujat" in body and "oma kysely" not in body
    assert '<p class="lead">tavoitetta' in body  # no goal: no separator before the target


def test_the_migration_takes_the_stored_zero_target_and_survey_source_away(cast):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("opiskeluhuolto.meetings.migrations.0007_participation_indicator")
    fields = {"direction": "higher", "target": 0, "source": "own", "provider": cast.provider}
    built_in = Indicator.objects.create(
        code=participation.INDICATOR_CODE, name=NAMES["en"], built_in=True, **fields
    )
    typed = Indicator.objects.create(code="oma", name="Oma mittari", **fields)
    migration.participation_without_target(apps, None)
    built_in.refresh_from_db()
    typed.refresh_from_db()
    assert (built_in.target, built_in.source) == (None, "events")
    assert (typed.target, typed.source) == (0, "own")  # a person's own indicator is kept
