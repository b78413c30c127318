"""Every role's main pages in a real browser (issue 19): each demo sign-in opens its home
and every page of its navigation; the autouse axe check (conftest) holds each of them to no
violations of any impact, and no page may answer with an error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

ROLES = [
    "admin",
    "rehtori",
    "kuraattori",
    "psykologi",
    "terveydenhoitaja",
    "opo",
    "erityisopettaja",
    "ryhmanohjaaja",
    "opettaja",
    "ulkojasen",
    "opiskelija",
    "aikuisopiskelija",
    "huoltaja",
]


@pytest.mark.parametrize("username", ROLES)
def test_role_main_pages(username, demo, live_server, sign_in, page):
    sign_in(username)
    expect(page.locator("h1")).to_be_visible()
    links = page.locator("nav.site-nav a[href^='/']")
    hrefs = []
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        # The admin site is Django's own and the language buttons are forms.
        if href and not href.startswith("/admin/") and href not in hrefs:
            hrefs.append(href)
    for href in hrefs:
        response = page.goto(f"{live_server.url}{href}")
        assert response is not None and response.status < 400, (href, response and response.status)
        expect(page.locator("h1").first).to_be_visible()
