"""The story of issue 3 in a real browser, on the demo (LAW.md L-16-*, L-19-*, L-20-*, L-906-*).

A teacher refers Aino (16); the kuraattori records her consent naming the
members and opens the case; the group records a meeting; Aino signs in, reads
the record, downloads the PDF copy and sees who has read it; the guardian of a
student with a §18 prohibition sees nothing; a kuraattori outside the group gets
404 on the page, the PDF and the API.
"""

from __future__ import annotations

import re
import subprocess
import tempfile

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser_on_postgresql  # conftest.py database_tests_only


def test_welfare_story(demo, live_server, sign_in, page, screenshot, axe):
    from opiskeluhuolto.cases.models import Case, GuardianProhibition

    # 1. The teacher refers Aino, without her: the student notice and its deadline are recorded.
    sign_in("opettaja")
    page.get_by_role("link", name="Ohjaa opiskeluhuoltoon").first.click()
    page.get_by_label("Opiskelijan nimi").fill("Aino Aaltonen")
    page.get_by_role("button", name="Hae").click()
    page.get_by_role("link", name="Aino Aaltonen").click()
    expect(page.locator("h1")).to_contain_text("Ohjaa Aino Aaltonen opiskeluhuoltoon")
    page.get_by_label("Mitä opiskeluhuollon henkilöstön tarvitsee tietää").fill(
        "Aino on ollut väsynyt ja jäänyt pois aamutunneilta."
    )
    assert axe() == []
    screenshot("welfare-1-referral-form")
    page.get_by_role("button", name="Lähetä opiskeluhuoltoon").click()
    expect(page.locator("main")).to_contain_text("Yhteydenottosi lähetettiin")
    screenshot("welfare-2-referral-sent")

    # 2. The kuraattori records the consent naming the members and opens the case.
    page.context.clear_cookies()
    sign_in("kuraattori")
    expect(page.locator("main")).to_contain_text("työpäivän kuluttua")  # the home panel's deadline
    screenshot("welfare-2b-kuraattori-home")
    page.locator("main").get_by_role("link", name="Aino Aaltonen").first.click()
    expect(page.locator("main")).to_contain_text("työpäivän kuluttua")  # the §16(2) notice deadline
    page.get_by_role("link", name="Kirjaa suostumus ja avaa asia").click()
    page.get_by_label("Asian aihe").fill("Väsymys ja poissaolot aamutunneilta")
    page.get_by_label("Tausta").fill(
        "Opettaja otti yhteyttä: Aino on ollut väsynyt ja jäänyt pois aamutunneilta."
    )
    page.get_by_label("Kaisa Kuusela, kuraattori").check()
    page.get_by_label("Sanna Salo, opettaja, vastuuohjaaja").check()
    kaisa = page.locator("#id_responsible option", has_text="Kaisa Kuusela").inner_text()
    page.get_by_label("Vastuuhenkilö").select_option(label=kaisa)
    assert axe() == []
    screenshot("welfare-3-consent-form")
    page.get_by_role("button", name="Avaa asia").click()
    expect(page.locator("main")).to_contain_text("Asia avattiin ja asiantuntijaryhmä koottiin")
    expect(page.locator("main")).to_contain_text("Opettaja otti yhteyttä: Aino")
    case_url = page.url
    case_id = int(re.search(r"/records/cases/(\d+)/", case_url).group(1))

    # 3. The group meets and records an entry.
    page.get_by_role("link", name="Kirjoita merkintä").click()
    page.get_by_label("Kokouspäivä").fill(Case.objects.get(pk=case_id).opened_on.isoformat())
    page.get_by_label("Osallistujat ja heidän asemansa").fill(
        "Kaisa Kuusela, kuraattori\nSanna Salo, vastuuohjaaja\nAino Aaltonen, opiskelija"
    )
    page.get_by_label("Päätökset", exact=True).fill(
        "Aamutunneille joustava aloitus kahdeksi viikoksi."
    )
    page.get_by_label("Suunnitelma päätösten toteuttamisesta").fill(
        "Vastuuohjaaja sopii opettajien kanssa."
    )
    page.get_by_label("Kuka toteuttaa päätökset").fill("Sanna Salo")
    page.get_by_label("Kuka seuraa toteutumista").fill("Kaisa Kuusela")
    page.get_by_role("button", name="Tallenna merkintä").click()
    expect(page.locator("main")).to_contain_text("Merkintä tallennettiin kertomukseen")
    expect(page.locator("main")).to_contain_text("SALASSA PIDETTÄVÄ (JulkL 24 §)")
    assert axe() == []
    screenshot("welfare-4-case-with-entry")

    # 4. Aino reads her record, downloads the PDF copy and sees who has read it.
    page.context.clear_cookies()
    sign_in("opiskelija")
    expect(page.locator("main")).to_contain_text("Omat asiani")
    page.goto(f"{live_server.url}/records/cases/{case_id}/")
    expect(page.locator("h1")).to_contain_text("Opiskeluhuoltoasia: Aino")
    expect(page.locator("main")).to_contain_text(
        "Aamutunneille joustava aloitus kahdeksi viikoksi."
    )
    assert axe() == []
    screenshot("welfare-5-student-reads-record")
    page.set_viewport_size({"width": 375, "height": 800})  # the student reads on a phone
    screenshot("welfare-5b-student-reads-record-phone")
    assert axe() == []
    page.set_viewport_size({"width": 1280, "height": 800})
    with page.expect_download() as download:
        page.get_by_role("link", name="Lataa PDF-kopio").click()
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/copy.pdf"
        download.value.save_as(path)
        text = subprocess.run(
            ["pdftotext", path, "-"], capture_output=True, text=True, check=True
        ).stdout  # noqa: S603,S607
    assert "SALASSA PIDETTÄVÄ (JulkL 24 §)" in text
    assert "Aamutunneille joustava aloitus" in text
    assert "Opettaja otti yhteyttä" in text  # the background (LAW.md L-20-1)
    page.get_by_role("link", name="Kuka on lukenut tietojani").first.click()
    expect(page.locator("main")).to_contain_text("Kaisa Kuusela")
    expect(page.locator("main")).to_contain_text("kuraattori")
    assert axe() == []
    screenshot("welfare-6-who-has-read-my-data")

    # 5. The guardian of a student with a prohibition sees nothing of the matter.
    prohibited = GuardianProhibition.objects.get().student.cases.get()
    page.context.clear_cookies()
    sign_in("huoltaja2")
    expect(page.locator("main")).to_contain_text("Ei opiskeluhuollon asioita, jotka voit nähdä.")
    expect(page.locator("main")).not_to_contain_text("Kotitilanne")
    assert axe() == []
    screenshot("welfare-7-guardian-under-prohibition")
    assert page.goto(f"{live_server.url}/records/cases/{prohibited.pk}/").status == 404

    # 6. A kuraattori outside the group: 404 on the page, the PDF and the API.
    page.context.clear_cookies()
    sign_in("kuraattori2")
    for url in (
        f"/records/cases/{case_id}/",
        f"/records/cases/{case_id}/pdf/",
        f"/api/v1/records/cases/{case_id}",
    ):
        assert page.goto(live_server.url + url).status == 404, url

    # 7. The register responsible person reviews the access log.
    page.context.clear_cookies()
    sign_in("admin")
    page.get_by_role("link", name="Tarkastele käyttölokia").click()
    expect(page.locator("h1")).to_have_text("Opiskeluhuoltorekisterin käyttöloki")
    expect(page.locator("main")).to_contain_text("Kaisa Kuusela")
    expect(page.locator("main")).to_contain_text("PDF-kopio")
    expect(page.locator("main")).not_to_contain_text("Kalle Koskinen")  # refused, so never read
    assert axe() == []
    screenshot("welfare-8-access-log-review")
