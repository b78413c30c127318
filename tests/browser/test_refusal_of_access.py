"""The register responsible person refuses a guardian's data request with its ground and
reason; the guardian is told, and their copy no longer holds the child's welfare data
(LAW.md L-GDPR-5)."""

import json
from pathlib import Path

from playwright.sync_api import expect

WHY = "Tietojen antaminen vaarantaisi vakavasti opiskelijan hoidon."


def _copy(page) -> dict:
    with page.expect_download() as download:
        page.get_by_role("link", name="Kopio koneluettavana tiedostona (JSON)").first.click()
    return json.loads(Path(download.value.path()).read_text(encoding="utf-8"))["sections"]


def test_a_refused_guardian_is_told_why_and_gets_no_welfare_data(
    demo, live_server, sign_in, page, screenshot
):
    sign_in("huoltaja")
    page.goto(f"{live_server.url}/privacy/my-data/")
    assert _copy(page)["cases"]
    page.locator("input[value=gdpr]").first.check()
    page.get_by_role("button", name="Lähetä pyyntö").first.click()
    expect(page.locator("main")).to_contain_text("Omat pyyntöni")
    page.context.clear_cookies()

    sign_in("admin")
    page.goto(f"{live_server.url}/privacy/requests/")
    # Matti's two requests: the demo's (six days old) and the one just sent; the first.
    row = page.locator("tr", has_text="pyytäjä Matti").first
    row.get_by_text("Vastaa", exact=True).click()
    row.locator("input[value=refused]").check()
    row.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Valitse epäämisen oikeusperuste.")
    row = page.locator("tr", has_text="pyytäjä Matti").first
    row.locator("select[name=ground]").select_option("tsl34_health")
    row.locator("textarea[name=reason]").fill(WHY)
    row.locator("input[name=answer]").fill("Päätös lähetetty postitse.")
    screenshot("refusal-1-answer")
    row.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Voimassa olevat epäämiset")
    expect(page.get_by_role("button", name="Lopeta epääminen")).to_be_visible()
    page.context.clear_cookies()

    sign_in("huoltaja")
    page.goto(f"{live_server.url}/privacy/my-data/")
    main = page.locator("main")
    expect(main).to_contain_text("evätty")
    expect(main).to_contain_text(WHY)
    expect(main).to_contain_text("tietosuojavaltuutetulle")
    screenshot("refusal-2-told")
    copy = _copy(page)
    assert copy["cases"] == [] and copy["referrals"] == [] and copy["consents"] == []
