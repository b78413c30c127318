"""Communal welfare in a real browser: a welfare group's meeting from the assembled agenda to
published minutes (as rehtori), and the demo's circular annual clock (vuosikello)."""

import re
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_welfare_group_meeting_from_agenda_to_published_minutes(
    demo, sign_in, page, screenshot, axe
):
    sign_in("rehtori")
    panel = page.locator(
        "section", has=page.get_by_role("heading", name="Opiskeluhuoltoryhmän seuraava kokous")
    )
    expect(panel).to_contain_text("Nostot Foorumin ja Fokuksen kokouksista")
    expect(panel).to_contain_text("Fokus: hiljaisen tilan toive kirjastoon")
    screenshot("communal-home-rehtori")
    assert axe() == []

    panel.get_by_role("link", name=re.compile("yhteisöllinen opiskeluhuoltoryhmä")).click()
    expect(page.locator("h1")).to_contain_text("kokous")
    agenda = page.locator("ol.agenda")
    # Assembled, not typed: standing items, the clock, a raised item, a highlight, a carried follow-up.
    for source in (
        "Jokaisessa kokouksessa",
        "Tarpeen mukaan",
        "Opiskelijoiden nosto",
        "Siirtynyt edellisestä kokouksesta",
    ):
        expect(agenda).to_contain_text(source)
    expect(agenda).to_contain_text("Kampuksen työrauha ja poissaolotilanne yleisellä tasolla")
    screenshot("communal-agenda")
    assert axe() == []

    # Attendance is ticked from the group's members; guests are written.
    page.get_by_role("checkbox", name=re.compile("Kaisa Kuusela")).check()
    page.get_by_label("Muut läsnä olleet").fill("Jari Jokela (etsivä nuorisotyö)")
    page.get_by_role("button", name="Tallenna läsnäolijat").click()
    expect(page.locator(".messages")).to_contain_text("Läsnäolijat tallennettu")
    expect(page.get_by_role("checkbox", name=re.compile("Kaisa Kuusela"))).to_be_checked()

    # The minutes are written on the meeting page, item by item.
    title = "Yksikön ajankohtaiset ja akuutit asiat"
    item = page.locator("ol.agenda > li", has=page.get_by_role("heading", name=re.compile(title)))
    item.get_by_label("Muistio").fill("Aino Aaltonen on ollut paljon poissa.")
    item.get_by_role("button", name=re.compile("Tallenna kohdan")).click()
    # L-14-2: the name of an enrolled student is caught before saving; the text is kept.
    expect(page.get_by_role("alert")).to_contain_text(
        "Tekstistä näyttää voivan tunnistaa opiskelijan"
    )
    expect(page.get_by_role("alert")).to_contain_text("Aino Aaltonen")
    expect(page.get_by_label("Muistio")).to_have_value("Aino Aaltonen on ollut paljon poissa.")
    screenshot("communal-minutes-warning")
    assert axe() == []
    page.get_by_label("Muistio").fill(
        "Poissaolot ovat lisääntyneet ensimmäisen vuoden ryhmissä yleisellä tasolla."
    )
    page.get_by_label("Päätös").fill("Vastuuohjaajat ottavat asian puheeksi ryhmissä.")
    page.get_by_role("button", name="Tallenna muistio").click()
    expect(page.locator(".messages")).to_contain_text("Muistio tallennettu")
    expect(item.get_by_label("Muistio")).to_have_value(
        "Poissaolot ovat lisääntyneet ensimmäisen vuoden ryhmissä yleisellä tasolla."
    )
    screenshot("communal-minutes-on-the-meeting-page")

    page.get_by_role("link", name=f"Jatkotoimet: {title}").click()
    page.get_by_label("Tehtävä").fill("Poissaolokatsaus seuraavaan kokoukseen")
    page.get_by_label("Määräaika").fill("2030-01-15")
    page.get_by_role("button", name="Lisää jatkotoimi").click()
    expect(page.locator(".messages")).to_contain_text("Jatkotoimi lisätty")
    expect(page.locator("ol.agenda")).to_contain_text("Poissaolokatsaus seuraavaan kokoukseen")

    page.get_by_role("button", name="Julkaise muistio").click()
    expect(page.locator(".messages")).to_contain_text("Muistio julkaistu ja lähetetty jäsenille")
    expect(page.locator("main")).to_contain_text("muistio julkaistu")
    expect(page.get_by_role("link", name=f"Jatkotoimet: {title}")).to_have_count(0)
    pdf = page.get_by_role("link", name="Muistio PDF-muodossa")
    response = page.request.get(urljoin(page.url, pdf.get_attribute("href")))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body()[:4] == b"%PDF"
    screenshot("communal-published-minutes")
    assert axe() == []


def test_the_demo_annual_clock_is_a_circle_with_a_list(demo, sign_in, page, screenshot, axe):
    page.set_viewport_size({"width": 1280, "height": 1000})
    sign_in("rehtori")
    page.get_by_role("link", name="Avaa vuosikello").click()
    expect(page.locator("h1")).to_contain_text("Sedun opiskeluhuoltoryhmien vuosikello")
    wheel = page.locator("svg.vk-wheel")
    expect(wheel).to_be_visible()
    expect(wheel.locator("path.vk-sector")).to_have_count(12)
    expect(wheel.locator("text.vk-month").first).to_have_text("elokuu")
    expect(wheel.locator(".vk-hand")).to_have_count(1)
    assert wheel.locator("a.vk-mark").count() >= 25
    items = page.locator(".vk-list")
    for title in (
        "Huoltajakysely (Sedun oma)",
        "Kiusaamiskysely (Sedun oma)",
        "Turvallisuuskysely",
        "Hyvinvointi virtaa -viikko",
    ):
        expect(items).to_contain_text(title)
    # The Seinäjoki campus adds its own safety walk to the inherited clock.
    expect(items).to_contain_text("Kampuksen turvallisuuskävely uusien opiskelijoiden kanssa")
    screenshot("vuosikello")
    assert axe() == []

    wheel.locator(
        "a.vk-mark", has=page.locator("title", has_text="Turvallisuuskysely")
    ).first.click()
    expect(page.locator("h1")).to_have_text("Turvallisuuskysely")
    expect(page.locator("main")).to_contain_text("11.2.")
    page.go_back()
    page.get_by_role("link", name="Kuukausilista").click()
    expect(page.locator("h1")).to_contain_text("kuukausilista")
    assert axe() == []

    page.goto(page.url.split("/clock/")[0] + "/meetings/indicators/")
    page.get_by_role("link", name="Yksinäisyyttä kokevien osuus").click()
    expect(page.locator("main")).to_contain_text("piilotettu: alle 5 vastaajaa")
    screenshot("communal-indicator")
    assert axe() == []


def test_rehtori_removes_a_member_from_a_group(demo, sign_in, page, live_server, screenshot, axe):
    from opiskeluhuolto.meetings.models import Group, Membership

    group = Group.objects.filter(chair__username="rehtori", memberships__isnull=False).first()
    member = Membership.objects.filter(group=group).exclude(user=group.chair).first()
    sign_in("rehtori")
    page.goto(f"{live_server.url}/meetings/groups/{group.pk}/")
    screenshot("communal-group-members")
    assert axe() == []
    name = member.user.display_name
    page.get_by_role("button", name=f"Poista {name} ryhmästä").click()
    expect(page.locator("main")).to_contain_text(f"{name} ei ole enää ryhmän jäsen")
    assert not Membership.objects.filter(pk=member.pk).exists()
