"""An event stays inside its campaign (audience and campuses, `rules.beyond_campaign`); the
event page links to its campaign for those who may see it; campaigns and events share
their campus and language helpers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from opiskeluhuolto.events import actions
from opiskeluhuolto.events.models import Campaign, Event
from opiskeluhuolto.events.rules import beyond_campaign, reached

from .conftest import make_event


@pytest.mark.parametrize(
    ("audience", "campaign_audience", "beyond"),
    [
        ("students", "students", False),
        ("students", "everyone", False),
        ("guardians", "everyone", False),
        ("staff", "everyone", False),
        ("everyone", "everyone", False),
        ("everyone", "students", True),
        ("guardians", "students", True),
        ("staff", "guardians", True),
        ("students", "staff", True),
    ],
)
def test_an_event_reaches_no_kind_of_people_its_campaign_does_not(
    audience, campaign_audience, beyond
):
    found = beyond_campaign(
        audience=audience,
        campus_ids=[1],
        campaign_audience=campaign_audience,
        campaign_campus_ids=[],
    )
    assert found == ({"audience"} if beyond else set())


@pytest.mark.parametrize(
    ("campus_ids", "campaign_campus_ids", "beyond"),
    [
        ([], [], False),  # neither limited: every campus of the institution
        ([1], [], False),
        ([1], [1, 2], False),
        ([1, 2], [1, 2], False),
        ([], [1], True),  # every campus is wider than the campaign's one
        ([3], [1, 2], True),
        ([1, 3], [1, 2], True),
    ],
)
def test_an_events_campuses_are_among_a_limited_campaigns(campus_ids, campaign_campus_ids, beyond):
    found = beyond_campaign(
        audience="students",
        campus_ids=campus_ids,
        campaign_audience="students",
        campaign_campus_ids=campaign_campus_ids,
    )
    assert found == ({"campuses"} if beyond else set())


def test_everyone_reaches_students_guardians_and_staff():
    assert reached("everyone") == {"students", "guardians", "staff"}
    assert reached("guardians") == {"guardians"}


def _campaign(cast, group, **fields) -> Campaign:
    today = timezone.localdate()
    return actions.create_campaign(
        by=cast.users["rehtori"],
        institution=cast.lukio,
        organiser=group,
        audience=fields.pop("audience", "students"),
        name="Liikkuva viikko",
        name_sv="Rörlig vecka",
        starts_on=today,
        ends_on=today + timedelta(days=7),
        campuses=fields.pop("campuses", [cast.lukio_campus]),
    )


def _form(cast, group, campaign, **overrides) -> dict:
    start = timezone.localtime() + timedelta(days=3)
    data = {
        "institution": cast.lukio.pk,
        "campuses": [cast.lukio_campus.pk],
        "campaign": campaign.pk,
        "organiser": group.pk,
        "audience": "students",
        "title_fi": "Sählyturnaus",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Liikuntasali",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_the_form_refuses_an_event_wider_than_its_campaign(cast, group, client):
    campaign = _campaign(cast, group)
    client.force_login(cast.users["rehtori"])
    wide = _form(cast, group, campaign, audience="everyone", campuses=[])
    page = client.post(reverse("events:new"), wide, HTTP_ACCEPT_LANGUAGE="fi")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kampanjan kohderyhmä on opiskelijat" in text  # on the audience field, in Finnish
    assert "Kampanja on rajattu kampuksiin Etu-Töölö" in text
    assert not Event.objects.filter(title_fi="Sählyturnaus").exists()
    ok = client.post(reverse("events:new"), _form(cast, group, campaign))
    assert ok.status_code == 302
    assert Event.objects.get(title_fi="Sählyturnaus").campaign == campaign


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "audience", "campuses"),
    [
        ("fi", "Kampanjan kohderyhmä on opiskelijat", "Kampanja on rajattu kampuksiin"),
        ("sv", "Kampanjen är avsedd för studerande", "Kampanjen är begränsad till"),
        ("en", "The campaign is for students", "The campaign is limited to"),
    ],
)
def test_the_rule_speaks_the_readers_language(cast, group, language, audience, campuses):
    campaign = _campaign(cast, group)
    with translation.override(language), pytest.raises(ValidationError) as e:
        make_event(cast, group, campaign=campaign, audience="guardians", campuses=[])
    assert e.value.message_dict["audience"][0].startswith(audience)
    assert e.value.message_dict["campuses"][0].startswith(campuses)


@pytest.mark.django_db
def test_a_campaign_is_not_narrowed_below_its_events(cast, group):
    campaign = _campaign(cast, group, audience="everyone", campuses=[])
    make_event(cast, group, campaign=campaign, audience="guardians", title_fi="Huoltajailta")
    campaign.audience = "students"
    with pytest.raises(ValidationError) as e:
        actions.save_campaign(campaign, by=cast.users["rehtori"], campuses=[])
    assert "Huoltajailta" in e.value.message_dict["audience"][0]
    assert Campaign.objects.get(pk=campaign.pk).audience == "everyone"
    campaign.audience = "everyone"
    actions.save_campaign(campaign, by=cast.users["rehtori"], campuses=[cast.lukio_campus])


@pytest.mark.django_db
def test_event_page_links_its_campaign_only_for_those_who_see_it(cast, group):
    from opiskeluhuolto.meetings import actions as meetings
    from opiskeluhuolto.meetings.models import Group

    campaign = _campaign(cast, group)
    # another group organises the event; its external member sees the event, not the campaign
    other = meetings.create_group(
        by=cast.users["admin"],
        provider=cast.provider,
        kind=Group.Kind.WELFARE,
        name="Nuorisotyön ryhmä",
        institution=cast.lukio,
        chair=cast.users["rehtori"],
    )
    meetings.add_member(other, by=cast.users["admin"], user=cast.users["external"], role="member")
    event = make_event(cast, other, campaign=campaign, title_fi="Pelitapahtuma")
    link = reverse("events:campaign", args=[campaign.pk])
    for name, sees in (("student", True), ("rehtori", True), ("external", False)):
        client = Client()
        client.force_login(cast.users[name])
        page = client.get(reverse("events:event", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="sv")
        assert page.status_code == 200, name
        text = page.content.decode()
        assert (link in text) is sees, name
        assert ("Rörlig vecka" in text) is sees, name  # the campaign's name in her language
        assert "Liikkuva viikko" not in text, name
        api = client.get("/api/v1/events", HTTP_ACCEPT_LANGUAGE="sv").json()
        listed = {e["id"]: e["campaign"] for e in api}
        assert listed[event.pk] == ("Rörlig vecka" if sees else None), name
        index = client.get(reverse("events:index")).content.decode()
        assert (link in index) is sees, name


@pytest.mark.django_db
def test_campaigns_and_events_share_campuses_and_languages(cast, group):
    campaign = _campaign(cast, group)
    event = make_event(cast, group, campaign=campaign, title_en="Active break")
    assert campaign.campus_ids() == event.campus_ids() == [cast.lukio_campus.pk]
    assert Campaign().campus_ids() == Event().campus_ids() == []
    assert campaign.name_in("sv") == "Rörlig vecka"
    assert campaign.name_in("en") == campaign.name_in("de") == "Liikkuva viikko"
    assert event.title_in("en") == "Active break" and event.title_in("sv") == "Rörlig rast"
    assert event.title_in("fi") == "Liikkuva välitunti"
    assert event.description_in("sv") == "Tule mukaan liikkumaan."
    campaign.description, campaign.description_en = "Kuvaus", "Description"
    assert campaign.description_in("en") == "Description"
    assert campaign.description_in("sv") == "Kuvaus"
