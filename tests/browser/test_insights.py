"""Knowledge-based management in a real browser: the rehtori's dashboard with charts drawn by
vega-embed (no CSP violations), the group supervisor's care-conversation task, the provider
admin's import with its progress and line-numbered errors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect


@pytest.fixture
def console_errors(page):
    errors: list[str] = []
    # Only errors raised by the chart scripts (the shell's htmx has its own CSP notice).
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and re.search(r"vega|insights\.js", m.location.get("url", ""))
            else None
        ),
    )
    return errors


def test_rehtori_sees_the_dashboard_with_charts(
    demo, sign_in, page, screenshot, axe, console_errors
):
    sign_in("rehtori")
    expect(page.locator("main")).to_contain_text("Poissaolojen kehitys")
    screenshot("insights-home-rehtori")
    page.get_by_role("link", name="Poissaolot", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Poissaolot ja varhainen puuttuminen")
    # vega-embed draws the trend chart as SVG from the JSON spec block.
    expect(page.locator(".chart.chart--ready svg").first).to_be_visible(timeout=15000)
    assert page.locator(".chart.chart--ready").count() >= 3
    page.get_by_text("Näytä taulukkona").first.click()
    expect(page.locator("details[open] table.data").first).to_be_visible()
    screenshot("insights-dashboard-rehtori")
    assert console_errors == []
    assert axe() == []
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("CSV-tiedostona")).first.click()
    assert download.value.suggested_filename == "trend.csv"


def test_group_supervisor_records_a_care_conversation(demo, sign_in, page, screenshot, axe):
    sign_in("ryhmanohjaaja")
    expect(page.locator("main")).to_contain_text("Huolenpitokeskustelut")
    screenshot("insights-home-ryhmanohjaaja")
    page.get_by_role("link", name="Kaikki huolenpitokeskustelut").click()
    expect(page.locator("h1")).to_have_text("Huolenpitokeskustelut")
    assert axe() == []
    page.locator("table.data tbody a").first.click()
    expect(page.locator("h1")).to_contain_text("Huolenpitokeskustelu:")
    page.get_by_role("button", name="Kuittaa").click()
    expect(page.locator(".messages")).to_contain_text("Tehtävä kuitattu")
    page.get_by_role("button", name="Tallenna keskustelu").click()
    expect(page.locator(".form-field__error").first).to_be_visible()
    page.get_by_label("Mitä sovittiin").fill("Sovittiin viikoittainen tapaaminen ja yhteys kotiin.")
    page.get_by_role("button", name="Tallenna keskustelu").click()
    expect(page.locator(".messages")).to_contain_text("Huolenpitokeskustelu kirjattiin")
    expect(page.locator("main")).to_contain_text("Sovittiin viikoittainen tapaaminen")
    screenshot("insights-task-resolved")
    assert axe() == []


def test_supervisor_sees_the_early_warning_list_of_the_group(demo, sign_in, page, screenshot, axe):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in("ryhmanohjaaja")
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/")[2] + "/insights/tasks/")
    page.get_by_role("link", name=re.compile("Ryhmän .* poissaolot")).first.click()
    expect(page.locator("table.data")).to_contain_text("Aaltonen, Aino")
    screenshot("insights-group-phone")
    assert axe() == []


def test_provider_admin_import_reports_errors_by_line(
    demo, sign_in, page, screenshot, axe, tmp_path
):
    bad = tmp_path / "wilma.csv"
    bad.write_text(
        "oppijanumero;pvm;tunti;kurssi;merkinta\n"
        "1.2.246.562.24.00000000000;1.9.2025;1;ENA01;X\n"
        "1.2.246.562.24.00000000000;31.2.2025;1;ENA01;Q\n",
        encoding="utf-8",
    )
    sign_in("admin")
    expect(page.locator("main")).to_contain_text("Tuonnit")
    page.get_by_role("link", name="Tuo tiedosto").click()
    expect(page.locator("h1")).to_have_text("Tuonnit")
    page.get_by_label("Oppilaitos").select_option(label="Sedu")
    page.get_by_label("CSV-tiedosto").set_input_files(str(bad))
    page.get_by_role("button", name="Tuo tiedosto").click()
    expect(page.locator("#run-status")).to_contain_text("hylätty", timeout=15000)
    expect(page.locator(".import-errors")).to_contain_text("Rivi 2")
    expect(page.locator(".import-errors")).to_contain_text("Rivi 3")
    screenshot("imports-errors")
    assert axe() == []


def test_provider_admin_imports_a_good_file_and_sees_it_written(
    demo, sign_in, page, screenshot, axe, tmp_path
):
    from opiskeluhuolto.imports.models import AttendanceDay
    from opiskeluhuolto.organisation.models import Student

    student = Student.objects.filter(institution__slug="sedu", oppijanumero__isnull=False).first()
    day = "2.9.2025"
    good = tmp_path / "wilma.csv"
    good.write_text(
        "oppijanumero;pvm;tunti;kurssi;merkinta\n"
        f"{student.oppijanumero};{day};1;ENA01;X\n"
        f"{student.oppijanumero};{day};2;ENA01;S\n",
        encoding="utf-8",
    )
    sign_in("admin")
    page.get_by_role("link", name="Tuo tiedosto").click()
    page.get_by_label("Oppilaitos").select_option(label="Sedu")
    page.get_by_label("CSV-tiedosto").set_input_files(str(good))
    page.get_by_role("button", name="Tuo tiedosto").click()
    expect(page.locator("#run-status")).to_contain_text("tuotu", timeout=15000)
    expect(page.locator("#run-status")).to_contain_text("Rivejä luettu: 2")
    screenshot("imports-succeeded")
    assert axe() == []
    marked = AttendanceDay.objects.get(student=student, day="2025-09-02").lessons()
    assert [lesson for lesson, _code, _course in marked] == [1, 2]
