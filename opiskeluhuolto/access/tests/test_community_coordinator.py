"""The community coordinator (yhteisökoordinaattori, issue 20): communal work, never
individual welfare. The distance test checks every address at every distance; this
one says the rule in plain words for the coordinator of the lukio."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from opiskeluhuolto.access import for_user
from opiskeluhuolto.access.cases import cases_visible_to
from opiskeluhuolto.access.matrix import all_rows, setup_cast
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.organisation import actions
from opiskeluhuolto.organisation.models import Campus, Role

from . import distance_rules as rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    setup_cast(cast)
    cast.coordinator = User.objects.create_user(username="yhteiso", first_name="Ylva")
    actions.assign_role(
        cast.coordinator,
        role=Role.COMMUNITY_COORDINATOR,
        provider=cast.provider,
        institution=cast.lukio,
        campus=cast.lukio_campus,
        valid_from=date(2020, 1, 1),
    )
    return cast


def test_the_coordinator_reads_no_welfare_record_or_case(world, client):
    can = for_user(world.coordinator)
    assert not cases_visible_to(world.coordinator).exists()
    assert not can.view_case(world.case)
    assert not can.is_welfare_professional
    assert not can.view_student_details(world.aino)
    assert not can.view_student_hetu(world.aino)
    client.force_login(world.coordinator)
    # Every address of a case, a record, a referral or a student's own data: not found.
    welfare = {"case", "case_member", "case_responsible", "referral", "own_data", "rectify"}
    names = {n for n, capability in rules.URLS.items() if capability in welfare}
    asked = 0
    for row in all_rows():
        if row.url_name in names:
            response = getattr(client, row.method)(reverse(row.url_name, kwargs=row.kwargs(world)))
            assert response.status_code in (404, 405), row.url_name
            asked += 1
    assert asked >= len(names)


def test_the_coordinator_does_communal_work(world):
    can = for_user(world.coordinator)
    assert can.write_announcements()
    assert can.write_to_campus(world.lukio_campus)
    assert can.manage_space(world.space)  # on the coordinator's campus
    elsewhere = Campus.objects.create(institution=world.lukio, name="Toinen kampus")
    world.space.campus = elsewhere
    assert not can.manage_space(world.space)
    assert can.book_space(world.space)  # still books it, like all the lukio's staff
