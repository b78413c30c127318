"""Every role signs in to the demo, sees its own home page, in Finnish, Swedish and English."""

import re

import pytest
from playwright.sync_api import expect

# username → a text only that person's home page shows (Finnish, the default language)
ROLES = {
    "admin": "Oppilaitokset ja lukuvuosikalenterit",
    "rehtori": "Roolisi",
    "kuraattori": "Roolisi",
    "psykologi": "Roolisi",
    "terveydenhoitaja": "Roolisi",
    "opo": "Roolisi",
    "erityisopettaja": "Roolisi",
    "ryhmanohjaaja": "Omat ryhmäni",
    "opettaja": "Roolisi",
    "ulkojasen": "Roolisi",
    "opiskelija": "Tarvitsetko juttuseuraa?",
    "aikuisopiskelija": "Tarvitsetko juttuseuraa?",
    "huoltaja": "Ainon asiat",
}


@pytest.mark.parametrize("username", ROLES)
def test_each_role_sees_its_home_page(demo, sign_in, page, screenshot, axe, username):
    sign_in(username)
    expect(page.locator("h1")).to_contain_text("Tervetuloa")
    expect(page.locator("main")).to_contain_text(ROLES[username])
    screenshot(f"home-{username}")
    assert axe() == []


def test_language_switch_translates_the_page(demo, sign_in, page, screenshot):
    sign_in("opiskelija")
    page.get_by_role("button", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_contain_text("Välkommen")
    screenshot("home-opiskelija-sv")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Welcome")
    expect(page.locator("main")).to_contain_text("Need to talk?")


def test_wrong_password_is_refused_in_finnish(demo, sign_in, page):
    sign_in("kuraattori", password="väärä-salasana")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("main")).to_contain_text("salasana")


def test_phone_width_shows_navigation(demo, sign_in, page, screenshot, axe):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in("admin")
    # On a phone the first screen shows content: the menu opens from its button.
    nav = page.get_by_role("navigation", name="Päänavigaatio")
    expect(nav).to_be_hidden()
    expect(page.locator("h1")).to_be_in_viewport()
    screenshot("home-admin-phone")
    menu = page.get_by_role("button", name="Valikko")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    screenshot("home-admin-phone-menu")
    nav.get_by_role("link", name="Opiskelijat", exact=True).click()
    expect(page.locator("h1")).to_have_text("Opiskelijat")
    assert axe() == []


def test_provider_admin_edits_calendar_and_sees_clear_errors(demo, sign_in, page, screenshot, axe):
    sign_in("admin")
    page.get_by_role("link", name="Muokkaa kalenteria").first.click()
    expect(page.locator("h1")).to_contain_text("Lukuvuosikalenteri")
    page.get_by_role("link", name="Lisää lukukausi, loma tai vapaapäivä").last.click()
    page.get_by_label("Laji").select_option("day_off")
    page.get_by_label("Nimi").fill("Itsenäisyyspäivän aatto")
    page.get_by_label("Alkaa").fill("2020-01-01")
    page.get_by_label("Päättyy").fill("2020-01-01")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.locator("main")).to_contain_text("lukuvuoden")
    screenshot("calendar-error")
    assert axe() == []


def test_sign_in_page_is_finnish_and_accessible(demo, live_server, page, screenshot, axe):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("h1")).to_have_text("Kirjaudu sisään")
    screenshot("sign-in")
    assert axe() == []
