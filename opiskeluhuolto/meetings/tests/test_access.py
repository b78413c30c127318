"""The list scopes of communal welfare agree with the object rules, for every cast member
(STYLE.md §3.3: lists and details cannot drift apart)."""

import pytest

from opiskeluhuolto.access import communal
from opiskeluhuolto.access.matrix import setup_cast
from opiskeluhuolto.access.permissions import for_user
from opiskeluhuolto.annualclock.models import Clock
from opiskeluhuolto.meetings import actions
from opiskeluhuolto.meetings.models import Group, Indicator, WelfarePlan
from opiskeluhuolto.testing.cast import MEMBERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    setup_cast(cast)
    admin = cast.admin
    actions.create_group(
        by=admin, provider=cast.provider, kind=Group.Kind.STEERING, name="Ohjausryhmä"
    )
    actions.create_group(
        by=admin,
        provider=cast.provider,
        kind=Group.Kind.CAMPUS,
        name="Koulutien ryhmä",
        institution=cast.amis,
        campus=cast.amis_campus,
    )
    actions.create_group(
        by=cast.outsider,
        provider=cast.other_provider,
        kind=Group.Kind.WELFARE,
        name="Naapurin ryhmä",
        institution=cast.other_institution,
    )
    from opiskeluhuolto.annualclock import actions as clock_actions

    clock_actions.create_clock(
        by=admin,
        provider=cast.provider,
        institution=cast.amis,
        name="Amiksen kello",
        kind="home_school",
    )
    clock_actions.create_clock(
        by=admin, provider=cast.other_provider, name="Naapurin kello", kind="welfare"
    )
    return cast


@pytest.mark.parametrize("member", [m for m in MEMBERS if m != "anonymous"])
def test_scopes_match_the_rules(world, member):
    user = world.member(member)
    can = for_user(user)
    groups = set(communal.welfare_groups_visible_to(user))
    assert groups == {g for g in Group.objects.all() if can.view_welfare_group(g)}
    clocks = set(communal.clocks_visible_to(user))
    assert clocks == {c for c in Clock.objects.roots() if can.view_clock(c)}
    plans = set(communal.plans_visible_to(user))
    assert plans == {p for p in WelfarePlan.objects.all() if can.view_plan(p)}
    indicators = set(communal.indicators_visible_to(user))
    assert indicators == {i for i in Indicator.objects.all() if can.view_indicator(i)}


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert not communal.welfare_groups_visible_to(anon).exists()
    assert not communal.clocks_visible_to(anon).exists()
    assert not communal.plans_visible_to(anon).exists()
    assert not communal.indicators_visible_to(anon).exists()
