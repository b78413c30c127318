"""Communication and events in a real browser (issue 18, "Done when"), as one walk to save
CI time: a coordinator sends a newsletter to the guardians of one campus's minors and a
guardian reads it; a student finds an event in her communal calendar and registers on a
375 px phone; the organiser records attendance and reports it; the participation
indicator's value goes up on the goals and indicators page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 1000}


def test_newsletter_registration_attendance_and_the_participation_indicator(
    demo, sign_in, page, live_server, screenshot, axe
):
    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.announcements.models import Announcement, Delivery
    from opiskeluhuolto.events.models import Event, Registration
    from opiskeluhuolto.meetings.models import DataPoint
    from opiskeluhuolto.organisation.models import Campus, Guardianship

    # 1. The community coordinator sends a newsletter to the guardians of one campus's minors.
    campus = Campus.objects.get(name="Sedu Seinäjoki, Koulutie")
    page.set_viewport_size(DESKTOP)
    sign_in("yhteisokoordinaattori")
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
    page.get_by_role("button", name="Lähetä").click()
    expect(page.locator(".messages")).to_contain_text("Tiedote on matkalla")

    sent = Announcement.objects.get(title_fi="Joulun uutiskirje huoltajille")
    recipients = set(Delivery.objects.filter(announcement=sent).values_list("user_id", flat=True))
    today = timezone.localdate()
    expected = set(
        Guardianship.objects.filter(student__in=campus.students.minors(today)).values_list(
            "guardian_id", flat=True
        )
    )
    assert recipients and recipients == expected  # that campus's minors' guardians, no one else
    matti = User.objects.get(username="huoltaja")
    assert matti.pk in recipients

    # Matti, a guardian there, reads it on his phone: unread on the list, then read.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    sign_in("huoltaja")
    page.goto(f"{live_server.url}/announcements/")
    screenshot("communication-guardian-announcements-375")
    page.get_by_role("link", name="Joulun uutiskirje huoltajille").click()
    expect(page.locator("main")).to_contain_text("joulujuhla on perjantaina")
    assert Delivery.objects.get(announcement=sent, user=matti).read_at is not None
    # His communal calendar: the guardians' items of Aino's campus, not the students' only.
    page.goto(f"{live_server.url}/events/calendar/")
    listed = page.locator(".vk-list")
    expect(listed).to_contain_text("Sedun huoltajakysely")
    expect(listed).not_to_contain_text("Liikenneturvallisuusviikko")

    # 2. Aino, a student, finds the virtual coffee in her calendar on her phone and registers.
    coffee = Event.objects.get(title_fi="Opiskelijoiden virtuaalikahvit")
    page.context.clear_cookies()
    sign_in("opiskelija")
    expect(page.locator("a[href='/events/calendar/']").first).to_have_text("Kalenteri")  # nav
    page.goto(f"{live_server.url}/events/calendar/")
    expect(page.locator("h1")).to_have_text("Yhteisökalenteri")
    expect(page.locator("main")).to_contain_text("Hyvinvointi virtaa -viikko")
    expect(page.locator("svg.vk-wheel path.vk-sector")).to_have_count(12)
    screenshot("communication-calendar-375")
    page.locator(".vk-list").get_by_role("link", name="Opiskelijoiden virtuaalikahvit").click()
    expect(page.locator("h1")).to_have_text("Opiskelijoiden virtuaalikahvit")
    register = page.get_by_role("button", name="Ilmoittaudu")
    box = register.bounding_box()
    assert box and box["width"] <= PHONE["width"] and box["height"] >= 40  # a thumb target
    register.click()
    expect(page.locator("main")).to_contain_text("Olet ilmoittautunut.")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("communication-registered-375")
    aino = Registration.objects.get(event=coffee, user__username="opiskelija")
    assert aino.status == "registered"

    # 3. The coffee has been held (time passes); the organiser marks who came and reports.
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
    page.get_by_role("checkbox", name=re.compile("Aino")).check()
    page.get_by_role("button", name="Tallenna läsnäolijat").click()
    expect(page.locator(".messages")).to_contain_text("Läsnäolijat tallennettu")
    aino.refresh_from_db()
    assert aino.attended is True
    # one registration: below five, so the page does not show the count
    expect(page.locator("main")).to_contain_text("<5 ilmoittautui, <5 osallistui.")
    screenshot("communication-attendance")
    page.get_by_role("button", name="Raportoi osallistuminen").click()
    expect(page.locator(".messages")).to_contain_text("Osallistuminen raportoitiin mittariin")

    # 4. The indicator on the goals and indicators page: Sedu's figure for the year, one more.
    after = DataPoint.objects.get(
        indicator__code="event-participation", campus__isnull=True, year=year
    )
    assert after.value == before_value + 1
    page.goto(f"{live_server.url}/meetings/indicators/")
    expect(page.locator("h1")).to_have_text("Tavoitteet ja mittarit")
    page.get_by_role(
        "link", name="Osallistuminen yhteisöllisen opiskeluhuollon tapahtumiin"
    ).click()
    expect(page.locator("h1")).to_have_text(
        "Osallistuminen yhteisöllisen opiskeluhuollon tapahtumiin"
    )
    row = (
        page.locator("table.data tbody tr")
        .filter(has=page.locator("td", has_text=re.compile(rf"^{year}$")))
        .filter(has=page.locator("td", has_text=re.compile(r"^Sedu$")))
    )
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(2)).to_have_text(re.compile(rf"^{before_value + 1}\b"))
    screenshot("communication-indicator")
    assert axe() == []
