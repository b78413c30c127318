"""Communication and events in a real browser (issue 18): a coordinator sends a newsletter to
the guardians of one campus's minors; a student finds an event in her communal calendar and
registers on a phone; the organiser records attendance and reports it; the participation
indicator updates."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 1000}


def test_coordinator_sends_a_newsletter_to_guardians_of_one_campus(
    demo, sign_in, page, live_server, screenshot, axe
):
    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.announcements.models import Announcement, Delivery
    from opiskeluhuolto.organisation.models import Campus, Guardianship

    campus = Campus.objects.get(name="Sedu Seinäjoki, Koulutie")
    page.set_viewport_size(DESKTOP)
    sign_in("rehtori")
    page.goto(f"{live_server.url}/announcements/new/")
    page.select_option("#id_kind", "newsletter")
    page.select_option("#id_audience", "guardians")
    page.select_option("#id_institution", label="Sedu")
    page.locator(f"input[name=campuses][value='{campus.pk}']").check()
    page.get_by_label("otsikko (suomeksi)").fill("Joulun uutiskirje huoltajille")
    page.get_by_label("teksti (suomeksi)").fill(
        "Kampuksen joulujuhla on perjantaina. Opiskeluhuollon palvelut ovat auki koko joulukuun."
    )
    screenshot("communication-newsletter-form")
    assert axe() == []
    page.get_by_role("button", name="Tallenna ja esikatsele").click()
    expect(page.locator("h1")).to_have_text("Joulun uutiskirje huoltajille")
    expect(page.locator("main")).to_contain_text("vastaanottaja")
    screenshot("communication-newsletter-preview")
    assert axe() == []
    page.get_by_role("button", name="Lähetä").click()
    expect(page.locator(".messages")).to_contain_text("Tiedote on matkalla")

    sent = Announcement.objects.get(title_fi="Joulun uutiskirje huoltajille")
    recipients = set(Delivery.objects.filter(announcement=sent).values_list("user_id", flat=True))
    today = timezone.localdate()
    expected = set(
        Guardianship.objects.filter(student__campus=campus)
        .filter(student__in=campus.students.minors(today))
        .values_list("guardian_id", flat=True)
    )
    assert recipients and recipients == expected
    matti = User.objects.get(username="huoltaja")
    assert matti.pk in recipients

    # Matti reads it on his phone: unread on the home page, then read.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    sign_in("huoltaja")
    page.goto(f"{live_server.url}/announcements/")
    expect(page.locator("main")).to_contain_text("Joulun uutiskirje huoltajille")
    screenshot("communication-guardian-announcements-375")
    assert axe() == []
    page.get_by_role("link", name="Joulun uutiskirje huoltajille").click()
    expect(page.locator("main")).to_contain_text("joulujuhla on perjantaina")
    assert Delivery.objects.get(announcement=sent, user=matti).read_at is not None

    # His calendar on the desktop: the guardians' items of Aino's campus, not the students'.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/events/calendar/")
    expect(page.locator("h1")).to_have_text("Yhteisökalenteri")
    listed = page.locator(".vk-list")
    expect(listed).to_contain_text("Sedun huoltajakysely")
    expect(listed).to_contain_text("Hyvinvointi virtaa -viikko")
    expect(listed).not_to_contain_text("Liikenneturvallisuusviikko")  # for students only
    screenshot("communication-calendar-guardian")
    assert axe() == []


def test_student_registers_on_a_phone_and_the_organiser_records_attendance(
    demo, sign_in, page, live_server, screenshot, axe
):
    from opiskeluhuolto.events.models import Event, Registration
    from opiskeluhuolto.meetings.models import DataPoint

    coffee = Event.objects.get(title_fi="Opiskelijoiden virtuaalikahvit")
    page.set_viewport_size(PHONE)
    sign_in("opiskelija")
    expect(page.locator("a[href='/events/calendar/']").first).to_have_text("Kalenteri")  # nav
    page.goto(f"{live_server.url}/events/calendar/")
    expect(page.locator("h1")).to_have_text("Yhteisökalenteri")
    expect(page.locator("main")).to_contain_text("Hyvinvointi virtaa -viikko")
    expect(page.locator("svg.vk-wheel path.vk-sector")).to_have_count(12)
    screenshot("communication-calendar-375")
    assert axe() == []
    page.locator(".vk-list").get_by_role("link", name="Opiskelijoiden virtuaalikahvit").click()
    expect(page.locator("h1")).to_have_text("Opiskelijoiden virtuaalikahvit")
    register = page.get_by_role("button", name="Ilmoittaudu")
    box = register.bounding_box()
    assert box and box["width"] <= PHONE["width"] and box["height"] >= 40  # a thumb target
    register.click()
    expect(page.locator("main")).to_contain_text("Olet ilmoittautunut.")
    screenshot("communication-registered-375")
    assert axe() == []
    aino = Registration.objects.get(event=coffee, user__username="opiskelija")
    assert aino.status == "registered"

    # The coffee has been held (time passes); the organiser marks who came and reports.
    now = timezone.now()
    Event.objects.filter(pk=coffee.pk).update(
        starts_at=now - timedelta(hours=2), ends_at=now - timedelta(hours=1)
    )
    year = timezone.localtime(now - timedelta(hours=2)).year
    before = DataPoint.objects.filter(
        indicator__code="event-participation", campus__isnull=True, year=year
    ).first()
    before_value = before.value if before else 0

    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    sign_in("kuraattori")  # secretary of the campus group that organises it
    page.goto(f"{live_server.url}/events/{coffee.pk}/")
    screenshot("communication-organiser-event")
    page.get_by_role("checkbox", name=re.compile("Aino")).check()
    page.get_by_role("button", name="Tallenna läsnäolijat").click()
    expect(page.locator(".messages")).to_contain_text("Läsnäolijat tallennettu")
    aino.refresh_from_db()
    assert aino.attended is True
    # one registration: below five, so the page does not show the count
    expect(page.locator("main")).to_contain_text("<5 ilmoittautui, <5 osallistui.")
    screenshot("communication-attendance")
    assert axe() == []
    page.get_by_role("button", name="Raportoi osallistuminen").click()
    expect(page.locator(".messages")).to_contain_text("Osallistuminen raportoitiin mittariin")

    after = DataPoint.objects.get(
        indicator__code="event-participation", campus__isnull=True, year=year
    )
    assert after.value == before_value + 1
    page.goto(f"{live_server.url}/meetings/indicators/{after.indicator_id}/")
    expect(page.locator("main")).to_contain_text("Osallistuminen yhteisöllisen opiskeluhuollon")
    expect(page.locator("main")).to_contain_text(str(year))
    screenshot("communication-indicator")
    assert axe() == []
