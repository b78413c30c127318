from datetime import date, datetime, time

import pytest
from django.utils import timezone


def at(day: date, hour: int = 13, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def welfare(cast):
    """The lukio's welfare group (chair Riitta, secretary Kaisa), following a provider clock,
    with its student body; built through the real actions."""
    from types import SimpleNamespace

    from opiskeluhuolto.annualclock import actions as clock_actions
    from opiskeluhuolto.meetings import actions
    from opiskeluhuolto.meetings.models import Group

    u, admin = cast.users, cast.users["admin"]
    group = actions.create_group(
        by=admin,
        provider=cast.provider,
        kind=Group.Kind.WELFARE,
        name="Etu-Töölön lukion opiskeluhuoltoryhmä",
        institution=cast.lukio,
        campus=cast.lukio_campus,
        chair=u["rehtori"],
    )
    actions.add_member(group, by=admin, user=u["kuraattori"], role="secretary")
    actions.add_member(group, by=admin, user=u["external"], role="external")
    body = actions.create_group(
        by=admin,
        provider=cast.provider,
        kind=Group.Kind.STUDENT_BODY,
        name="Opiskelijakunta",
        institution=cast.lukio,
    )
    actions.add_member(body, by=admin, user=u["student"], role="student_rep")
    clock = clock_actions.create_clock(
        by=admin, provider=cast.provider, name="Testilän vuosikello", kind="welfare"
    )
    clock.groups.add(group)
    return SimpleNamespace(group=group, body=body, clock=clock, admin=admin, users=u)
