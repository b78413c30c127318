"""A student books a time; the kuraattori sees it and its deadline; the report counts it as met."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser_on_postgresql  # conftest.py database_tests_only


def _sign_out(page):
    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.wait_for_load_state()


def _met_this_month(page, live_server) -> int:
    """The "met on time" count of this month's normal requests in the compliance report."""
    from django.utils import dateformat, timezone, translation

    with translation.override("fi"):
        month = dateformat.format(timezone.localdate(), "F Y")
    page.goto(f"{live_server.url}/appointments/report/")
    rows = page.locator("table.report-table").first.locator("tbody tr")
    row = rows.filter(has_text=month).filter(has_text="tavallinen")
    if row.count() == 0:
        return 0
    return int(row.locator("td").nth(3).inner_text())


def test_student_books_and_kuraattori_sees_it_within_the_deadline(
    demo, sign_in, page, live_server, screenshot, axe
):
    from opiskeluhuolto.accounts.models import User

    student_name = User.objects.get(username="opiskelija").get_full_name()

    sign_in("kuraattori")
    met_before = _met_this_month(page, live_server)
    expect(page.locator("h1")).to_have_text("Määräaikojen toteutuminen")
    expect(page.locator("figure.chart img")).to_be_visible()
    screenshot("appointments-report-before")
    assert axe() == []
    _sign_out(page)

    # The student: home page → a free time → confirm. No one else approves it.
    sign_in("opiskelija")
    panel = page.locator("section", has=page.get_by_role("heading", name="Varaa aika"))
    expect(panel).to_be_visible()
    kaisa = panel.locator(".free-times", has_text="Kaisa Kuusela")
    first_time = kaisa.locator("a.slot-button").first
    chosen = first_time.inner_text()
    screenshot("appointments-student-home")
    first_time.click()
    expect(page.locator("h1")).to_have_text("Varaa tämä aika")
    expect(page.locator("main")).to_contain_text("kenenkään muun ei tarvitse hyväksyä")
    assert axe() == []
    page.get_by_role("button", name="Varaa", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Aikasi on varattu")
    expect(page.locator("h1")).to_have_text("Ajanvaraus opiskeluhuoltoon")
    expect(page.locator("main")).to_contain_text("Kaisa Kuusela")
    screenshot("appointments-student-booked")
    assert axe() == []
    _sign_out(page)

    # The kuraattori sees the booking and the request with its legal deadline.
    sign_in("kuraattori")
    expect(page.locator("main")).to_contain_text("Tämän päivän ajat ja avoimet pyynnöt")
    page.get_by_role("link", name="Pyynnöt", exact=True).click()
    expect(page.locator("h1")).to_have_text("Ajat ja pyynnöt")
    row = page.locator("table.deadline-watch tbody tr", has_text=student_name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("aika annettu")
    expect(row.locator(".deadline")).to_contain_text(re.compile(r"\d+\.\d+\.\d{4}"))
    expect(row.locator(".deadline")).to_contain_text("työpäivän päästä")
    expect(page.locator("main")).to_contain_text(chosen.split()[-1])
    screenshot("appointments-kuraattori-work")
    assert axe() == []
    row.get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text("määräajassa")
    screenshot("appointments-request-detail")
    assert axe() == []

    # The compliance report counts it as met on time.
    assert _met_this_month(page, live_server) == met_before + 1
    screenshot("appointments-report-after")


def test_public_welfare_page_without_sign_in(demo, page, live_server, screenshot, axe):
    page.goto(f"{live_server.url}/appointments/p/sedu/")
    expect(page.locator("h1")).to_contain_text("Opiskeluhuollon palvelut")
    expect(page.locator("main")).to_contain_text("seitsemäntenä koulupäivänä")
    expect(page.locator("main")).to_contain_text("Avovastaanotto")
    # The phone hours' number, written as every demo number is.
    expect(page.locator("main")).to_contain_text(re.compile(r"\+358 \d\d \d{3} \d{4}"))
    screenshot("appointments-public-page")
    assert axe() == []
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot("appointments-public-page-phone")
    assert axe() == []


def test_professional_hours_page(demo, sign_in, page, live_server, screenshot, axe):
    sign_in("terveydenhoitaja")
    page.goto(f"{live_server.url}/appointments/availability/")
    expect(page.locator("h1")).to_have_text("Omat vastaanottoajat")
    expect(page.locator("main")).to_contain_text("avovastaanotto")
    screenshot("appointments-availability")
    assert axe() == []


def test_kuraattori_finds_the_student_by_search_when_the_school_is_large(
    demo, sign_in, page, live_server, screenshot, axe, monkeypatch
):
    from opiskeluhuolto.appointments import staff_views
    from opiskeluhuolto.organisation.models import Student

    monkeypatch.setattr(staff_views, "STUDENTS_LISTED_MAX", 5)
    student = Student.objects.filter(institution__slug="sedu").order_by("pk").first()
    sign_in("kuraattori")
    page.goto(f"{live_server.url}/appointments/requests/new/")
    page.get_by_label("Hae opiskelija nimellä tai oppijanumerolla").fill(student.last_name)
    page.get_by_role("button", name="Hae", exact=True).click()
    assert student.last_name not in page.url  # the search is posted, not in the address
    page.locator("select[name=student]").select_option(str(student.pk))
    screenshot("appointments-request-search")
    assert axe() == []
    page.locator("select[name=channel]").select_option("phone")
    page.get_by_role("button", name="Kirjaa pyyntö").last.click()
    expect(page.locator("main")).to_contain_text(student.full_name)
