"""The county's regional cooperation group in a real browser (issue 20): its chair walks a
regional meeting, sends its follow-up down, finds it on Sedu's steering group's agenda, and
reads the regional welfare plan (§13a) with its references, the goals they share and the
member providers' indicators compared."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser_on_postgresql]

REGIONAL = "Alueellinen opiskeluhuollon ryhmä (EPHVA)"
STEERING = "Sedun opiskeluhuollon ohjausryhmä"
FOLLOW_UP = "Päivittäkää opiskeluhuoltosuunnitelman yhteistyöosio"


def test_regional_follow_up_lands_on_sedu_steering_agenda_and_the_regional_plan(
    demo, sign_in, page, live_server, screenshot, axe
):
    sign_in("psykologi")
    page.goto(f"{live_server.url}/meetings/groups/")
    page.get_by_role("link", name=REGIONAL).click()
    expect(page.locator("h1")).to_have_text(REGIONAL)
    main = page.locator("main")
    expect(main).to_contain_text("Seinäjoen kaupunki")
    screenshot("regional-group")
    assert axe() == []

    # The published regional meeting: communal minutes, no student named.
    page.locator("section", has=page.get_by_role("heading", name="Tulevat kokoukset")).locator(
        "ul"
    ).nth(1).get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text("muistio julkaistu")
    expect(page.locator("main")).to_contain_text(FOLLOW_UP)
    assert axe() == []
    page.go_back()

    # Its follow-up is sent down to Sedu's steering group (again: once on the agenda).
    item = page.locator("li", has_text=FOLLOW_UP).first
    expect(item.locator(".sent-down")).to_contain_text(f"{STEERING}: avoin alemmassa ryhmässä")
    item.get_by_role("checkbox", name=STEERING).check()
    item.get_by_role("button", name="Lähetä alaspäin").click()
    expect(page.locator(".messages")).to_contain_text(
        "Jatkotoimenpide lähetettiin alapuolisten ryhmien asialistalle"
    )

    # Below, on Sedu's steering group's next agenda.
    page.get_by_role("link", name=STEERING).first.click()
    expect(page.locator("h1")).to_have_text(STEERING)
    page.locator("section", has=page.get_by_role("heading", name="Tulevat kokoukset")).get_by_role(
        "link"
    ).first.click()
    agenda = page.locator("ol.agenda")
    expect(agenda).to_contain_text(FOLLOW_UP)
    expect(agenda).to_contain_text(REGIONAL)
    screenshot("regional-follow-up-on-sedu-steering-agenda")
    assert axe() == []

    # The regional welfare plan (§13a), from the regional group's page.
    page.goto(f"{live_server.url}/meetings/groups/")
    page.get_by_role("link", name=REGIONAL).click()
    page.get_by_role("link", name="Etelä-Pohjanmaan alueellinen opiskeluhuoltosuunnitelma").click()
    expect(page.locator("main")).to_contain_text("13 a §")
    page.locator("dl.facts").get_by_role("link", name="v1").click()
    main = page.locator("main")
    for text in (
        "Palvelut suomeksi ja ruotsiksi (kielelliset oikeudet)",
        "Suunnitelman pohjana",
        "Koulutuskeskus Sedu: Sedun opiskeluhuoltosuunnitelma",
        "Seinäjoen kaupunki: Seinäjoen lukion opiskeluhuoltosuunnitelma",
        "Seinäjoen kaupungin hyvinvointisuunnitelma ja -kertomus",
        "Yhteiset tavoitteet",
        "Yksinäisyyttä kokevien osuus vähenee",
    ):
        expect(main).to_contain_text(text)
    screenshot("regional-plan")
    assert axe() == []
    page.get_by_role("link", name="Jäsenjärjestäjien indikaattorit rinnakkain").click()
    table = page.locator("table.comparison")
    expect(table).to_contain_text("Seinäjoen kaupunki")
    expect(table).to_contain_text("piilotettu (pieni ryhmä)")
    row = table.locator("tbody tr", has_text="Yksinäisyyttä kokevien osuus")
    expect(row).to_contain_text(re.compile(r"\d+[.,]\d %"))
    screenshot("regional-comparison")
    assert axe() == []


PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 1000}
PLAN = "Etelä-Pohjanmaan alueellinen opiskeluhuoltosuunnitelma"
COUNTY = "Etelä-Pohjanmaan hyvinvointialue"


def test_the_regional_plan_is_public_and_the_county_employs_its_posted_staff(
    demo, sign_in, page, live_server, screenshot, axe
):
    """The published regional plan without signing in, at desktop and phone width, from the
    plan's page; the provider admin records the county as the employer on its page."""
    sign_in("psykologi")
    page.goto(f"{live_server.url}/meetings/groups/")
    page.get_by_role("link", name=REGIONAL).click()
    page.get_by_role("link", name=PLAN).click()
    public_url = (
        page.locator("dl.facts").get_by_role("link", name="julkinen sivu").get_attribute("href")
    )
    page.context.clear_cookies()  # signed out: the public page is for anyone
    for size, name in ((DESKTOP, "regional-plan-public"), (PHONE, "regional-plan-public-phone")):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}{public_url}")
        expect(page.locator("h1")).to_have_text(PLAN)
        main = page.locator("main")
        for text in (
            "Etelä-Pohjanmaan hyvinvointialueen aluevaltuusto",
            "Palvelut suomeksi ja ruotsiksi (kielelliset oikeudet)",
            "Suunnitelman pohjana",
            "Seinäjoen kaupungin hyvinvointisuunnitelma ja -kertomus",
            "Yhteiset tavoitteet",
        ):
            expect(main).to_contain_text(text)
        expect(main).not_to_contain_text("Lisää viittaus")
        # Nothing on the page is wider than the phone.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], width
        screenshot(name)
        assert axe() == []

    page.set_viewport_size(DESKTOP)
    sign_in("admin")
    page.goto(f"{live_server.url}/org/organisations/")
    page.get_by_role("link", name=COUNTY).first.click()
    expect(page.locator("h1")).to_have_text(COUNTY)
    staff = page.locator("table", has=page.get_by_role("columnheader", name="Yksikkö"))
    before = staff.locator("tbody tr").count()
    page.get_by_text("Merkitse työnantajaksi").click()
    page.get_by_label("henkilö ja rooli").select_option(index=1)
    page.locator("form", has=page.get_by_label("henkilö ja rooli")).get_by_role(
        "button", name="Tallenna"
    ).click()
    expect(page.locator(".messages")).to_contain_text("Työnantaja tallennettu")
    expect(staff.locator("tbody tr")).to_have_count(before + 1)
    page.set_viewport_size(PHONE)
    screenshot("county-staff-it-employs-phone")
    assert axe() == []
