"""The "Refer to welfare staff" button shows only to those who may refer (found walking the
demo: an external group member's matters page led to a 404)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("who", "shown"), [("teacher", True), ("external", False)])
def test_refer_button_only_for_those_who_may_refer(cast, who, shown):
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    client.force_login(cast.users[who])
    refer = reverse("cases:refer")
    page = client.get(reverse("cases:index"))
    assert page.status_code == 200
    assert (f'href="{refer}"' in page.content.decode()) is shown
    assert client.get(refer).status_code == (200 if shown else 404)
