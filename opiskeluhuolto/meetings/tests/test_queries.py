"""Lists and the clock do not run a query per row (STYLE.md: no N+1)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from opiskeluhuolto.annualclock import actions as clock_actions
from opiskeluhuolto.meetings import actions
from opiskeluhuolto.meetings.models import Group

from .conftest import at

pytestmark = pytest.mark.django_db


def _count(client, url, django_assert_max_num_queries, limit=60):
    client.get(url)
    with django_assert_max_num_queries(limit) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_group_list_and_clock_cost_the_same_with_more_rows(
    client, welfare, cast, django_assert_max_num_queries
):
    client.force_login(cast.admin)
    groups_url = reverse("meetings:groups")
    clock_url = reverse("annualclock:clock", args=[welfare.clock.pk])
    before = (
        _count(client, groups_url, django_assert_max_num_queries),
        _count(client, clock_url, django_assert_max_num_queries),
    )
    for n in range(8):
        g = actions.create_group(
            by=cast.admin,
            provider=cast.provider,
            kind=Group.Kind.THEME,
            name=f"Teema {n}",
            institution=cast.lukio,
        )
        day = cast.today + timedelta(days=n + 1)
        actions.schedule_meeting(g, by=cast.admin, starts_at=at(day), ends_at=at(day, 14))
        clock_actions.add_item(
            welfare.clock,
            by=cast.admin,
            title=f"Asia {n}",
            type="event",
            kind="weeks",
            first_week=10 + n,
            last_week=11 + n,
        )
    after = (
        _count(client, groups_url, django_assert_max_num_queries),
        _count(client, clock_url, django_assert_max_num_queries),
    )
    assert after == before, (before, after)
