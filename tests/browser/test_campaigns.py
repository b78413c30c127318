"""Campaigns in a real browser (issue 18): the community coordinator creates a theme week
and adds an event to it (one reaching beyond the campaign's audience is refused); a student
on a 375 px phone finds the campaign, registers for its event and goes back to the
campaign from the event's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 1000}


def test_coordinator_creates_a_campaign_and_a_student_registers_on_a_phone(
    demo, sign_in, page, live_server, screenshot, axe
):
    from opiskeluhuolto.events.models import Campaign, Event, Registration
    from opiskeluhuolto.meetings.models import Group
    from opiskeluhuolto.organisation.models import Campus

    campus = Campus.objects.get(name="Sedu Seinäjoki, Koulutie")
    organiser = Group.objects.get(campus=campus, kind=Group.Kind.CAMPUS)
    start = timezone.localdate() + timedelta(days=14)
    page.set_viewport_size(DESKTOP)
    sign_in("yhteisokoordinaattori")
    page.goto(f"{live_server.url}/events/")
    page.get_by_role("link", name="Uusi kampanja").click()
    expect(page.locator("h1")).to_have_text("Uusi kampanja")
    page.select_option("#id_institution", label="Sedu")
    page.locator(f"input[name=campuses][value='{campus.pk}']").check()
    page.select_option("#id_organiser", label=organiser.name)
    page.select_option("#id_audience", "students")
    page.locator("#id_name").fill("Liikkuva teemaviikko")
    page.locator("#id_name_sv").fill("Rörlig temavecka")
    page.locator("#id_description").fill("Liikettä joka päivälle.")
    page.locator("#id_starts_on").fill(start.isoformat())
    page.locator("#id_ends_on").fill((start + timedelta(days=4)).isoformat())
    screenshot("campaign-form")
    assert axe() == []
    page.get_by_role("button", name="Tallenna").click()
    expect(page.locator(".messages")).to_contain_text("Kampanja tallennettu")
    expect(page.locator("h1")).to_have_text("Liikkuva teemaviikko")
    campaign = Campaign.objects.get(name="Liikkuva teemaviikko")
    assert campaign.campus_ids() == [campus.pk] and campaign.audience == "students"

    # An event of the campaign, from the campaign's page (the campaign is preselected).
    page.get_by_role("link", name="Uusi tapahtuma").click()
    expect(page.locator("#id_campaign")).to_have_value(str(campaign.pk))
    page.select_option("#id_institution", label="Sedu")
    page.locator(f"input[name=campuses][value='{campus.pk}']").check()
    page.select_option("#id_organiser", label=organiser.name)
    page.select_option("#id_audience", "everyone")  # wider than the campaign: refused
    page.locator("#id_title_fi").fill("Frisbeegolf-kisa")
    page.locator("#id_starts_at").fill(f"{start.isoformat()}T14:00")
    page.locator("#id_ends_at").fill(f"{start.isoformat()}T16:00")
    page.locator("#id_place").fill("Koulutien kenttä")
    page.locator("#id_registration").check()
    page.locator("#id_capacity").fill("20")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.locator("main")).to_contain_text(
        "Kampanjan kohderyhmä on opiskelijat: sen tapahtumat eivät voi tavoittaa muita."
    )
    assert not Event.objects.filter(title_fi="Frisbeegolf-kisa").exists()
    page.select_option("#id_audience", "students")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.locator("h1")).to_have_text("Frisbeegolf-kisa")
    event = Event.objects.get(title_fi="Frisbeegolf-kisa")
    assert event.campaign_id == campaign.pk
    page.goto(f"{live_server.url}/events/campaigns/{campaign.pk}/")
    expect(page.locator("main")).to_contain_text("Frisbeegolf-kisa")
    screenshot("campaign-page")
    assert axe() == []

    # Aino, a student of the campus, on her phone: the campaign, its event, registration.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    sign_in("opiskelija")
    page.goto(f"{live_server.url}/events/")
    page.locator(".campaign-list").get_by_role("link", name="Liikkuva teemaviikko").click()
    expect(page.locator("h1")).to_have_text("Liikkuva teemaviikko")
    screenshot("campaign-student-375")
    assert axe() == []
    page.get_by_role("link", name="Frisbeegolf-kisa").click()
    register = page.get_by_role("button", name="Ilmoittaudu")
    box = register.bounding_box()
    assert box and box["width"] <= PHONE["width"] and box["height"] >= 40
    register.click()
    expect(page.locator("main")).to_contain_text("Olet ilmoittautunut.")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("campaign-registered-375")
    reg = Registration.objects.get(event=event, user__username="opiskelija")
    assert reg.status == "registered"
    # back to the campaign from the event's own page
    page.locator(".event-campaign").get_by_role("link", name="Liikkuva teemaviikko").click()
    expect(page.locator("h1")).to_have_text("Liikkuva teemaviikko")
    expect(page.locator(".event-list")).to_contain_text("ilmoittautunut")
