"""The public welfare page offers "Book a time" only to those who can book (found walking
the demo as the rehtori: the button led to a 404)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "shown"),
    [("anonymous", True), ("student", True), ("guardian", True), ("rehtori", False)],
)
def test_book_button_only_for_those_who_can_book(cast, who, shown):
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    if who != "anonymous":
        client.force_login(cast.users[who])
    book = reverse("appointments:index")
    html = client.get(reverse("appointments:public_page", args=[cast.lukio.slug])).content.decode()
    assert (f'href="{book}"' in html) is shown
    if who != "anonymous":
        assert client.get(book).status_code == (200 if shown else 404)
