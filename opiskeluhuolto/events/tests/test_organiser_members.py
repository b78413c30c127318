"""Every member of the organiser group opens the event, whatever their role in the group;
the invitation is written by one who may address the event's audience."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opiskeluhuolto.access import communication, for_user
from opiskeluhuolto.announcements.models import Announcement
from opiskeluhuolto.meetings import actions as meetings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["external", "expert"])
def test_a_member_of_the_organiser_group_only_opens_the_event(cast, event, group, client, role):
    """Jari is an external member of the provider (no role reaching the students of the
    event's campus); as a member of the organiser group he opens it, lists it, and
    does not manage it."""
    member = cast.external
    assert not for_user(member).view_event(event)  # before: nothing reaches the event
    meetings.add_member(group, by=cast.admin, user=member, role=role)
    member = type(member).objects.get(pk=member.pk)  # a new request
    can = for_user(member)
    assert can.view_event(event) and not can.manage_event(event)
    assert communication.events_visible_to(member).filter(pk=event.pk).exists()
    client.force_login(member)
    page = client.get(reverse("events:event", args=[event.pk]))
    assert page.status_code == 200
    assert reverse("events:invite", args=[event.pk]) not in page.content.decode()


def test_the_list_scope_follows_view_event_for_group_members(cast, event, group):
    meetings.add_member(group, by=cast.admin, user=cast.external, role="expert")
    external = type(cast.external).objects.get(pk=cast.external.pk)
    for user in (external, cast.teacher, cast.student, cast.guardian, cast.outsider):
        listed = communication.events_visible_to(user).filter(pk=event.pk).exists()
        assert listed == for_user(user).view_event(event), user


def test_an_organiser_who_cannot_address_the_audience_gets_no_invitation_draft(cast, event, client):
    """Teemu (a teacher, the group's member) organises the event but writes to nobody:
    no "Write an invitation" button, and posting it makes no draft he could not open."""
    client.force_login(cast.teacher)
    page = client.get(reverse("events:event", args=[event.pk])).content.decode()
    assert reverse("events:invite", args=[event.pk]) not in page
    response = client.post(reverse("events:invite", args=[event.pk]), follow=True)
    assert response.status_code == 200
    assert not Announcement.objects.exists()
    client.force_login(cast.rehtori)
    page = client.get(reverse("events:event", args=[event.pk])).content.decode()
    assert reverse("events:invite", args=[event.pk]) in page
    response = client.post(reverse("events:invite", args=[event.pk]))
    draft = Announcement.objects.get()
    assert response["Location"] == reverse("announcements:send", args=[draft.pk])
    assert client.get(response["Location"]).status_code == 200
