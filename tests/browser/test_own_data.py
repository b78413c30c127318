"""The student's whole copy and "who has read my data" on a phone (LAW.md L-GDPR-3, L-906-8)."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser_on_postgresql  # conftest.py database_tests_only


def test_the_student_takes_a_copy_and_sees_who_has_read_the_data(
    demo, live_server, sign_in, page, screenshot, axe
):
    # The kuraattori's list of waiting referrals is a read of each one shown.
    sign_in("kuraattori")
    page.goto(f"{live_server.url}/cases/")
    page.context.clear_cookies()

    page.set_viewport_size({"width": 375, "height": 800})
    sign_in("opiskelija")
    page.goto(f"{live_server.url}/privacy/my-data/")
    expect(page.locator("h1")).to_have_text("Omat tietoni")
    assert axe() == []
    screenshot("own-data-1-my-data-375")
    with page.expect_download() as download:
        page.get_by_role("link", name="Kopio koneluettavana tiedostona (JSON)").first.click()
    copy = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert copy["sections"]["referrals"] and copy["sections"]["cases"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Kopio PDF-tiedostona").first.click()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    download.value.save_as(ARTIFACTS / "own-data-copy.pdf")

    page.get_by_role("link", name="Kuka on lukenut tietojani").first.click()
    expect(page.locator("h1")).to_have_text("Kuka on lukenut tietojani")
    expect(page.locator("main")).to_contain_text("Kaisa")
    assert axe() == []
    screenshot("own-data-2-who-has-read-375")
