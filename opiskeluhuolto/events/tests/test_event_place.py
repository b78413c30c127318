"""An online event's place reads as its link, not "– · remote link" (found walking the demo
as a student on a phone)."""

import re

import pytest
from django.urls import reverse

from .conftest import make_event

pytestmark = pytest.mark.django_db


def _where(client, event) -> str:
    page = client.get(reverse("events:event", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="fi")
    match = re.search(r"<dt>Missä</dt><dd>(.*?)</dd>", page.content.decode())
    assert match, page.content.decode()
    return re.sub(r"<[^>]+>", "", match.group(1))


@pytest.mark.parametrize(
    ("place", "link", "shown"),
    [
        ("", "https://meet.example/kahvit", "etälinkki"),
        ("Aula", "https://meet.example/kahvit", "Aula · etälinkki"),
        ("Aula", "", "Aula"),
    ],
)
def test_where_shows_the_place_and_the_link(cast, group, client, place, link, shown):
    event = make_event(cast, group, place=place, remote_link=link)
    client.force_login(cast.student)
    assert _where(client, event) == shown
