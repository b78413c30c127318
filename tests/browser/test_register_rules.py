"""The register's rules as the law writes them, in a real browser on the demo (issue 14
items 2 and 3; LAW.md L-GDPR-3, L-20-2, L-19-1, L-19-2).

The register responsible person decides Eero's rectification request on his closed case,
where nobody is a member any more; the kuraattori adds a member to Aino's expert group
from a written consent naming her, while an oral consent is recorded as a note only.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser_on_postgresql  # conftest.py database_tests_only


def test_register_administration_decides_a_rectification_on_a_closed_case(
    demo, live_server, sign_in, page, screenshot, axe
):
    from opiskeluhuolto.records.models import RectificationRequest

    waiting = RectificationRequest.objects.get(status="pending")
    assert waiting.record.case.status == "closed"
    sign_in("admin")
    page.get_by_role("link", name="Käyttöloki").first.click()
    expect(page.locator("main")).to_contain_text("Päätettyjen asioiden oikaisupyynnöt")
    screenshot("register-1-pending-rectification")
    page.get_by_role("link", name=f"Ratkaise asian {waiting.record.case_id} pyyntö").click()
    expect(page.locator("main")).to_contain_text("koko lukuvuodeksi")
    page.get_by_label("Hyväksy: kertomukseen tehdään korjaus").check()
    page.get_by_label("Ratkaisun perustelut").fill(
        "Suunnitelma tehtiin koko lukuvuodeksi; merkintä korjataan."
    )
    assert axe() == []
    screenshot("register-2-decide-on-closed-case")
    page.get_by_role("button", name="Tallenna ratkaisu").click()
    expect(page.locator("main")).to_contain_text("Ratkaisu kirjattiin kertomukseen")
    expect(page.locator("main")).to_contain_text("rekisterin hallinta")  # the entry's author
    expect(page.locator("main")).to_contain_text("päätetty")
    assert axe() == []
    screenshot("register-3-decision-entry-on-closed-case")
    waiting.refresh_from_db()
    assert waiting.status == "accepted" and waiting.decision_entry.kind == "rectification"


def test_a_member_is_added_from_a_written_consent_naming_her(
    demo, live_server, sign_in, page, screenshot, axe
):
    from opiskeluhuolto.cases.models import Case

    aino_case = Case.objects.filter(student__first_name="Aino", status="open").get()
    sign_in("kuraattori")
    page.goto(f"{live_server.url}/records/cases/{aino_case.pk}/")
    page.get_by_role("link", name="Kirjaa suostumus").click()
    page.locator("#id_kind").select_option("participants")
    page.get_by_label("Pekka Peltola, psykologi").check()
    page.locator("#id_how").select_option("oral")
    page.get_by_role("button", name="Tallenna suostumus").click()
    expect(page.locator("main")).to_contain_text("Suullinen suostumus merkitty muistiinpanoksi")
    expect(page.locator("main")).to_contain_text("muistiinpano: ei anna oikeuksia")
    screenshot("consent-1-oral-is-a-note")
    assert not aino_case.memberships.filter(user__username="psykologi").exists()

    page.get_by_role("link", name="Kirjaa suostumus").click()
    page.locator("#id_kind").select_option("participants")
    page.get_by_label("Pekka Peltola, psykologi").check()
    page.locator("#id_how").select_option("written")
    assert axe() == []
    screenshot("consent-2-written-naming-the-psychologist")
    page.get_by_role("button", name="Tallenna suostumus").click()
    expect(page.locator("main")).to_contain_text("Suostumus kirjattiin")
    expect(page.locator("table").first).to_contain_text("Pekka Peltola")
    screenshot("consent-3-member-added")
    assert aino_case.memberships.filter(user__username="psykologi", ended_on=None).exists()
