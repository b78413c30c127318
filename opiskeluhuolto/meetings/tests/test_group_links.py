"""The group pages link only to pages the reader may open (found walking the demo as a
guardian member of a campus group: the staff links and the group above answered 404)."""

import pytest
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.meetings import actions, hierarchy
from opiskeluhuolto.meetings.models import Group

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    client.force_login(user)
    return client


def test_group_list_links_staff_pages_only_for_staff(cast, welfare):
    plans = reverse("meetings:plans")
    student_page = _client(cast.users["student"]).get(reverse("meetings:groups"))
    assert student_page.status_code == 200
    assert welfare.body.name in student_page.content.decode()
    assert f'href="{plans}"' not in student_page.content.decode()
    # …and the student could not have opened it.
    assert _client(cast.users["student"]).get(plans).status_code == 404

    staff_page = _client(cast.users["rehtori"]).get(reverse("meetings:groups"))
    assert f'href="{plans}"' in staff_page.content.decode()


def test_group_above_is_linked_only_when_the_reader_may_open_it(cast, welfare):
    admin = cast.users["admin"]
    steering = actions.create_group(
        by=admin, provider=cast.provider, kind=Group.Kind.STEERING, name="Ohjausryhmä", chair=admin
    )
    hierarchy.set_parent(welfare.group, steering, by=admin)
    steering_url = reverse("meetings:group", args=[steering.pk])
    page = reverse("meetings:group", args=[welfare.group.pk])

    # The external member sees the welfare group and the name of the group above, no link.
    external = _client(cast.users["external"])
    body = external.get(page).content.decode()
    assert "Ohjausryhmä" in body
    assert f'href="{steering_url}"' not in body
    assert external.get(steering_url).status_code == 404

    # The provider admin may open both: the link is there.
    assert f'href="{steering_url}"' in _client(admin).get(page).content.decode()
