"""Campaigns: a theme week of several events, its audience through the access rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.access import communication, for_user
from opiskeluhuolto.events import actions
from opiskeluhuolto.events.models import Campaign

from .conftest import make_event

pytestmark = pytest.mark.django_db


def _campaign(cast, group, **fields):
    today = timezone.localdate()
    return actions.create_campaign(
        by=cast.users["rehtori"],
        institution=cast.lukio,
        organiser=group,
        audience=fields.pop("audience", "everyone"),
        name="Hyvinvointi virtaa -viikko",
        name_sv="Välmående-veckan",
        starts_on=today,
        ends_on=today + timedelta(days=4),
        campuses=fields.pop("campuses", [cast.lukio_campus]),
        **fields,
    )


def test_coordinator_creates_a_campaign_from_the_page(cast, group, client):
    client.force_login(cast.users["rehtori"])
    today = timezone.localdate()
    response = client.post(
        reverse("events:campaign_new"),
        {
            "institution": cast.lukio.pk,
            "campuses": [cast.lukio_campus.pk],
            "organiser": group.pk,
            "audience": "students",
            "name": "Liikkuva viikko",
            "name_sv": "Rörlig vecka",
            "name_en": "Active week",
            "description": "Liikettä joka päivä.",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=4)).isoformat(),
        },
    )
    campaign = Campaign.objects.get(name="Liikkuva viikko")
    assert response.status_code == 302
    assert response.url == reverse("events:campaign", args=[campaign.pk])
    assert campaign.campus_ids() == [cast.lukio_campus.pk]
    assert campaign.provider_id == cast.provider.pk
    assert campaign.created_by == cast.users["rehtori"]
    assert campaign.name_in("sv") == "Rörlig vecka" and campaign.name_in("de") == campaign.name


def test_bad_campaign_is_refused_and_nothing_stored(cast, group, client):
    client.force_login(cast.users["rehtori"])
    today = timezone.localdate()
    response = client.post(
        reverse("events:campaign_new"),
        {
            "institution": cast.lukio.pk,
            "campuses": [cast.amis_campus.pk],
            "organiser": group.pk,
            "audience": "students",
            "name": "Väärä",
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "error" in response.content.decode()
    assert not Campaign.objects.filter(name="Väärä").exists()
    with pytest.raises(ValidationError) as e:
        _campaign(cast, group, campuses=[cast.amis_campus])
    assert "campuses" in e.value.message_dict


def test_campaign_page_lists_its_events_for_its_audience(cast, group, client):
    campaign = _campaign(cast, group)
    make_event(cast, group, title_fi="Aamujumppa", campaign=campaign)
    make_event(cast, group, title_fi="Henkilöstön tauko", audience="staff", campaign=campaign)
    make_event(cast, group, title_fi="Muu tapahtuma")
    client.force_login(cast.users["student"])
    page = client.get(reverse("events:campaign", args=[campaign.pk])).content.decode()
    assert "Hyvinvointi virtaa -viikko" in page and "Aamujumppa" in page
    assert "Henkilöstön tauko" not in page  # an event of the campaign not meant for her
    assert "Muu tapahtuma" not in page
    index = client.get(reverse("events:index")).content.decode()
    assert reverse("events:campaign", args=[campaign.pk]) in index
    client.force_login(cast.users["adult"])  # a student of another institution
    assert client.get(reverse("events:campaign", args=[campaign.pk])).status_code == 404


@pytest.mark.parametrize(
    ("audience", "sees"),
    [
        ("students", {"student", "rehtori", "teacher"}),
        ("guardians", {"guardian", "rehtori", "teacher"}),
        ("staff", {"supervisor", "rehtori", "teacher"}),
    ],
)
def test_campaign_audience_through_the_access_rules(cast, group, audience, sees):
    campaign = _campaign(cast, group, audience=audience)
    for name in ("student", "guardian", "supervisor", "rehtori", "teacher", "adult", "outsider"):
        user = cast.users[name]
        rule = for_user(user).view_campaign(campaign)
        listed = communication.campaigns_visible_to(user).filter(pk=campaign.pk).exists()
        assert rule == listed, name  # the list scope is the rule's
        assert rule == (name in sees), name
    assert not for_user(cast.users["student"]).manage_campaign(campaign)
    assert for_user(cast.users["teacher"]).manage_campaign(campaign)  # the organiser group
