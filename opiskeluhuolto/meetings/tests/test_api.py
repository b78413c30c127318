"""The communal welfare API returns what the pages show, through the same access rules."""

from datetime import timedelta

import pytest
from django.urls import reverse

from opiskeluhuolto.meetings import actions, plans

from .conftest import at

pytestmark = pytest.mark.django_db


def test_groups_meetings_and_minutes_through_the_api(client, welfare, cast):
    actions.add_standing_item(welfare.group, by=welfare.admin, title="Ajankohtaiset", kind="every")
    day = cast.today + timedelta(days=3)
    meeting = actions.schedule_meeting(
        welfare.group, by=cast.rehtori, starts_at=at(day), ends_at=at(day, 14)
    )
    item = meeting.items.get()
    actions.save_minutes(
        item,
        by=cast.kuraattori,
        minutes="Käsiteltiin.",
        decision="Jatketaan.",
        version=meeting.version,
    )
    actions.add_follow_up(
        item, by=cast.kuraattori, title="Selvitys", owner=cast.kuraattori, due_on=day
    )
    client.force_login(cast.external)
    groups = client.get(reverse("api:meetings-groups")).json()
    assert [g["name"] for g in groups] == [welfare.group.name]
    detail = client.get(reverse("api:meetings-group", args=[welfare.group.pk])).json()
    assert {m["role"] for m in detail["members"]} == {"chair", "secretary", "external"}
    listed = client.get(reverse("api:meetings-group-meetings", args=[welfare.group.pk])).json()
    assert [m["id"] for m in listed] == [meeting.pk]
    data = client.get(reverse("api:meetings-meeting", args=[meeting.pk])).json()
    assert data["items"][0]["decision"] == "Jatketaan."
    assert data["items"][0]["follow_ups"][0] == {
        "title": "Selvitys",
        "owner": "Kaisa Kuraattori",
        "due_on": day.isoformat(),
        "done": False,
    }
    client.force_login(cast.kuraattori_out)
    assert client.get(reverse("api:meetings-meeting", args=[meeting.pk])).status_code == 404


def test_published_plan_is_public_in_the_api(client, cast):
    plan = plans.create_plan(
        by=cast.admin, provider=cast.provider, title="Suunnitelma", institutions=[cast.lukio]
    )
    version = plan.versions.get()
    url = reverse("api:meetings-plan-public", args=[cast.lukio.pk])
    assert client.get(url).status_code == 404  # a draft is not public
    for section in version.sections.all():
        version.refresh_from_db()
        plans.edit_section(section, by=cast.admin, body="Teksti.", lock=version.lock)
    plans.approve_and_publish(
        version, by=cast.admin, approved_on=cast.today, approved_by_body="lautakunta"
    )
    data = client.get(url).json()
    assert (
        data["version"] == 1
        and len(data["sections"]) == 6
        and all(s["statutory"] for s in data["sections"])
    )
