"""Group hierarchy and the regional cooperation group (issue 20): the rules as plain
functions, then the views."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from opiskeluhuolto.access import for_user
from opiskeluhuolto.audit.models import AuditEvent
from opiskeluhuolto.meetings import actions, hierarchy
from opiskeluhuolto.meetings.models import AgendaItem, Group, Proposal
from opiskeluhuolto.organisation.models import (
    Institution,
    Provider,
    Role,
    RoleAssignment,
    WellbeingCounty,
)

from .conftest import at

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 10)


@pytest.fixture
def client_for(cast):
    from django.test import Client

    def make(name):
        client = Client(HTTP_ACCEPT_LANGUAGE="fi")
        client.force_login(cast.users[name])
        return client

    return make


def _group(cast, kind, name, **kw):
    return actions.create_group(
        by=cast.users["admin"],
        provider=kw.pop("provider", cast.provider),
        kind=kind,
        name=name,
        **kw,
    )


@pytest.fixture
def tree(cast, welfare):
    """Steering group above the lukio's welfare group (the conftest's `welfare`)."""
    steering = _group(cast, Group.Kind.STEERING, "Ohjausryhmä", chair=cast.users["admin"])
    hierarchy.set_parent(welfare.group, steering, by=cast.users["admin"])
    return steering, welfare.group


def _published_follow_up(group, by, title="Päivittäkää kriisisuunnitelma"):
    meeting = actions.schedule_meeting(
        group,
        by=by,
        starts_at=at(TODAY - timedelta(days=7)),
        ends_at=at(TODAY - timedelta(days=7), 14),
    )
    item = actions.add_agenda_item(meeting, by=by, title="Ajankohtaiset")
    fu = actions.add_follow_up(
        item, by=by, title=title, owner=None, due_on=TODAY + timedelta(days=30)
    )
    actions.publish_minutes(meeting, by=by)
    return fu


# --- the hierarchy ----------------------------------------------------------------------


def test_parent_rules(cast, tree):
    steering, welfare_group = tree
    assert welfare_group.parent == steering
    assert list(hierarchy.lower_groups(steering)) == [welfare_group]
    # No cycles, no parent of a wrong kind, no parent of another provider.
    assert hierarchy.parent_problem(steering, welfare_group)
    other = _group(cast, Group.Kind.STEERING, "Naapurin ohjausryhmä", provider=cast.other_provider)
    assert hierarchy.parent_problem(welfare_group, other)
    with pytest.raises(ValidationError):
        hierarchy.set_parent(welfare_group, welfare_group, by=cast.users["admin"])


@time_machine.travel(TODAY)
def test_follow_up_sent_down_lands_on_the_lower_agenda_and_its_state_shows_above(cast, tree):
    steering, welfare_group = tree
    admin, rehtori = cast.users["admin"], cast.users["rehtori"]
    fu = _published_follow_up(steering, admin)
    hierarchy.send_down(fu, by=admin, groups=[welfare_group])
    hierarchy.send_down(fu, by=admin, groups=[welfare_group])  # twice: once on the agenda
    assert Proposal.objects.filter(follow_up=fu).count() == 1
    [state] = hierarchy.sent_down_state([fu])[fu.pk]
    assert state.group == welfare_group and state.is_open
    meeting = actions.schedule_meeting(
        welfare_group,
        by=rehtori,
        starts_at=at(TODAY + timedelta(days=3)),
        ends_at=at(TODAY + timedelta(days=3), 14),
    )
    [item] = [i for i in meeting.items.all() if i.source == AgendaItem.Source.PROPOSAL]
    assert item.title == fu.title and steering.name in item.detail
    actions.publish_minutes(meeting, by=rehtori)
    [state] = hierarchy.sent_down_state([fu])[fu.pk]
    assert not state.is_open and state.handled_in == meeting


@time_machine.travel(TODAY)
def test_follow_up_goes_only_to_groups_below(cast, tree, welfare):
    steering, _welfare_group = tree
    fu = _published_follow_up(steering, cast.users["admin"])
    with pytest.raises(ValidationError):
        hierarchy.send_down(fu, by=cast.users["admin"], groups=[welfare.body])
    with pytest.raises(ValidationError):
        hierarchy.send_down(fu, by=cast.users["admin"], groups=[])
    assert not Proposal.objects.exists()


# --- the regional group -----------------------------------------------------------------


@pytest.fixture
def region(cast):
    """The county's regional group with the cast's provider and a neighbour of the same
    county (Läänin kaupunki, its principal Lasse a member); a provider of another county."""
    county = cast.provider.wellbeing_county
    neighbour = Provider.objects.create(name="Läänin kaupunki", wellbeing_county=county)
    inst = Institution.objects.create(
        provider=neighbour, name="Läänin lukio", slug="laani", level="upper_secondary"
    )
    from opiskeluhuolto.accounts.models import User

    lasse = User.objects.create(username="lasse", first_name="Lasse", last_name="Läänin")
    RoleAssignment.objects.create(
        user=lasse,
        role=Role.PRINCIPAL,
        provider=neighbour,
        institution=inst,
        valid_from=date(2020, 1, 1),
    )
    admin = cast.users["admin"]
    regional = _group(cast, Group.Kind.REGIONAL, "Alueellinen ryhmä", chair=cast.users["psykologi"])
    hierarchy.set_member_providers(regional, [neighbour], by=admin)
    actions.add_member(regional, by=admin, user=lasse, role="member")
    far = Provider.objects.create(
        name="Kaukola", wellbeing_county=WellbeingCounty.objects.create(name="Muu hyvinvointialue")
    )
    return regional, neighbour, lasse, far


def test_regional_group_is_owned_by_the_county_and_member_changes_are_audited(cast, region):
    regional, neighbour, _lasse, far = region
    assert regional.county == cast.provider.wellbeing_county
    assert set(regional.member_providers.all()) == {cast.provider, neighbour}
    added = AuditEvent.objects.filter(kind=AuditEvent.Kind.WELFARE_GROUP_MEMBER_ADDED)
    assert added.filter(provider_id_ref=neighbour.pk, object_type="meetings.group").exists()
    with pytest.raises(ValidationError):
        hierarchy.set_member_providers(regional, [neighbour, far], by=cast.users["admin"])
    hierarchy.set_member_providers(regional, [], by=cast.users["admin"])
    # The provider keeping the record stays; the neighbour left, audited.
    assert list(regional.member_providers.all()) == [cast.provider]
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.WELFARE_GROUP_MEMBER_REMOVED, provider_id_ref=neighbour.pk
    ).exists()


def test_a_person_of_another_provider_joins_only_through_a_member_provider(cast, region):
    regional = region[0]
    with pytest.raises(ValidationError):
        actions.add_member(
            regional, by=cast.users["admin"], user=cast.users["outsider"], role="member"
        )


def test_regional_member_of_another_provider_sees_the_group_not_the_students(cast, region, welfare):
    regional, _neighbour, lasse, _far = region
    can = for_user(lasse)
    assert can.view_welfare_group(regional)
    assert not can.manage_welfare_group(regional)
    assert not can.view_welfare_group(welfare.group)
    assert not can.view_student(cast.aino)
    # Place alone gives nothing: the lukio's principal (not a member) does not see it; the
    # provider's admin does; the chair manages it.
    assert not for_user(cast.users["rehtori"]).view_welfare_group(regional)
    assert for_user(cast.users["admin"]).view_welfare_group(regional)
    assert for_user(cast.users["psykologi"]).manage_welfare_group(regional)


@time_machine.travel(TODAY)
def test_regional_follow_up_goes_to_the_member_providers_steering_groups(cast, region):
    regional, neighbour, lasse, _far = region
    ours = _group(cast, Group.Kind.STEERING, "Ohjausryhmä")
    theirs = actions.create_group(
        by=lasse, provider=neighbour, kind=Group.Kind.STEERING, name="Läänin ohjausryhmä"
    )
    assert set(hierarchy.lower_groups(regional)) == {ours, theirs}
    fu = _published_follow_up(regional, cast.users["psykologi"])
    hierarchy.send_down(fu, by=cast.users["psykologi"], groups=[ours, theirs])
    assert set(Proposal.objects.filter(follow_up=fu).values_list("group", flat=True)) == {
        ours.pk,
        theirs.pk,
    }


# --- views ------------------------------------------------------------------------------


@time_machine.travel(TODAY)
def test_group_page_shows_parent_children_and_sends_down(cast, tree, client_for):
    steering, welfare_group = tree
    admin = cast.users["admin"]
    fu = _published_follow_up(steering, admin)
    page = client_for("admin").get(reverse("meetings:group", args=[welfare_group.pk]))
    assert steering.name in page.content.decode()
    url = reverse("meetings:follow_up_send_down", args=[fu.pk])
    # A member without the right to manage the steering group: 404, nothing sent.
    assert client_for("teacher").post(url, {"groups": [welfare_group.pk]}).status_code == 404
    assert client_for("admin").post(url, {"groups": ["x"]}).status_code == 400
    response = client_for("admin").post(url, {"groups": [welfare_group.pk]})
    assert response.status_code == 302
    assert Proposal.objects.get(follow_up=fu).group == welfare_group
    page = client_for("admin").get(reverse("meetings:group", args=[steering.pk])).content.decode()
    assert welfare_group.name in page and "avoin alemmassa ryhmässä" in page


def test_member_providers_view(cast, region, welfare, client_for):
    regional, neighbour, _lasse, _far = region
    url = reverse("meetings:member_providers", args=[regional.pk])
    assert client_for("rehtori").post(url, {"providers": [neighbour.pk]}).status_code == 404
    bad = reverse("meetings:member_providers", args=[welfare.group.pk])
    assert client_for("admin").post(bad, {"providers": [neighbour.pk]}).status_code == 400
    assert client_for("admin").post(url, {"providers": []}).status_code == 302
    assert list(regional.member_providers.all()) == [cast.provider]
