"""Issue 16 in a real browser, in Finnish: the kuraattori builds a survey from a template
and opens it (desktop); Aino answers the open survey on her phone (375 px), with an
error next to the question, save and continue, and send; the released results show with
small cells suppressed. axe finds no serious violations on any page visited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser_on_postgresql  # conftest.py database_tests_only


def _no_horizontal_scroll(page) -> None:
    """Nothing sticks out of a phone's screen (wide tables scroll in their own box)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1 && !e.closest('.table-wrap')).slice(0, 5)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert width <= page.viewport_size["width"], (width, wide)


def test_kuraattori_builds_and_opens_a_survey_from_a_template(
    demo, live_server, sign_in, page, screenshot, axe
):
    from opiskeluhuolto.surveys.models import Invitation, Survey

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in("kuraattori")
    page.goto(f"{live_server.url}/surveys/")
    expect(page.locator("h1")).to_be_visible()
    assert axe() == []
    screenshot("surveys-1-list")
    page.goto(f"{live_server.url}/surveys/new/")
    page.get_by_label("vastuuryhmä").select_option(
        label="Sedu Seinäjoki, Koulutie: yhteisöllinen opiskeluhuoltoryhmä"
    )
    page.get_by_label("pohja").select_option(label="Turvallisuuskysely")
    page.get_by_label("kohderyhmä").select_option(value="students")
    page.get_by_label("kampus").select_option(label="Sedu Seinäjoki, Koulutie")
    today = timezone.localdate()
    page.get_by_label("avautuu").fill(today.isoformat())
    page.get_by_label("sulkeutuu").fill((today + timedelta(days=7)).isoformat())
    assert axe() == []
    screenshot("surveys-2-new-from-template")
    page.get_by_role("button", name="Luo kysely").click()

    expect(page.locator("h1")).to_contain_text("Turvallisuuskysely")
    expect(page.locator(".survey-preview")).to_contain_text("turvallise")
    survey = Survey.objects.get(template_key="safety", status="draft", campus__isnull=False)
    assert survey.questions.count() >= 3
    assert axe() == []
    screenshot("surveys-3-builder-preview-fi")
    page.locator('a[href="?lang=sv"]').click()
    expect(page.locator(".survey-preview")).to_have_attribute("lang", "sv")
    expect(page.locator(".survey-preview h3")).to_contain_text("Säkerhetsenkät")
    screenshot("surveys-4-builder-preview-sv")

    page.get_by_role("button", name="Avaa kysely").click()
    expect(page.locator("main")).to_contain_text("Kysely on avattu")
    survey.refresh_from_db()
    assert survey.status == "open" and survey.invited_count >= 5
    assert Invitation.objects.filter(survey=survey).count() == survey.invited_count
    assert axe() == []
    screenshot("surveys-5-opened")


def test_student_answers_on_her_phone(demo, live_server, sign_in, page, screenshot, axe):
    from opiskeluhuolto.surveys.models import Invitation, PendingSheet, Response, Survey

    survey = Survey.objects.get(template_key="welfare_services")

    def sent() -> int:
        """The survey's sheets: mixed into responses or waiting in the pool (mixing keeps
        the sum; the mixer may run after the answer's commit)."""
        return (
            Response.objects.filter(survey=survey).count()
            + PendingSheet.objects.filter(survey=survey).count()
        )

    before = sent()
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in("opiskelija")
    panel = page.locator("#panel-surveys").locator("..")
    expect(panel).to_contain_text("Palaute opiskeluhuollon palveluista")
    screenshot("surveys-6-student-home-phone")
    panel.get_by_role("link", name="Palaute opiskeluhuollon palveluista").click()
    expect(page.locator("main")).to_contain_text("Vastaat nimettömästi")
    assert axe() == []
    _no_horizontal_scroll(page)
    screenshot("surveys-7-answer-phone")

    questions = page.locator("fieldset.survey-question")
    first = questions.nth(0)
    first.get_by_label("Jokseenkin samaa mieltä").check()
    # Send with the required questions unanswered: errors next to them, nothing stored.
    page.get_by_role("button", name="Lähetä vastaukset").click()
    expect(page.locator("[role=alert]")).to_be_visible()
    expect(questions.nth(2).locator(".field-error")).to_be_visible()
    assert sent() == before
    assert axe() == []
    _no_horizontal_scroll(page)
    screenshot("surveys-8-answer-errors-phone")

    # Save and continue later: the answer so far comes back.
    page.get_by_role("button", name="Tallenna ja jatka myöhemmin").click()
    expect(page.locator("main")).to_contain_text("tallennettu")
    page.reload()
    expect(
        page.locator("fieldset.survey-question").nth(0).get_by_label("Jokseenkin samaa mieltä")
    ).to_be_checked()
    assert sent() == before

    questions = page.locator("fieldset.survey-question")
    for i in range(questions.count()):
        q = questions.nth(i)
        radios = q.locator("input[type=radio]")
        if radios.count() and not q.locator("input[type=radio]:checked").count():
            radios.first.check()
    page.get_by_role("button", name="Lähetä vastaukset").click()
    expect(page.locator("main")).to_contain_text("Kiitos")
    assert sent() == before + 1
    assert Invitation.objects.get(survey=survey, user__username="opiskelija").has_answered
    assert axe() == []
    screenshot("surveys-9-answered-phone")
    page.goto(f"{live_server.url}/")
    expect(page.locator("main")).not_to_contain_text("Palaute opiskeluhuollon palveluista")


def test_released_results_show_with_suppression(demo, live_server, sign_in, page, screenshot, axe):
    from opiskeluhuolto.surveys.models import Survey

    survey = Survey.objects.get(template_key="bullying", released=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in("kuraattori")
    page.goto(f"{live_server.url}/surveys/{survey.pk}/results/")
    expect(page.locator("h1")).to_contain_text("Kiusaamiskysely")
    expect(page.locator("main")).to_contain_text("Alle viiden")
    # The screened free texts show without a breakdown; the hidden one never does.
    expect(page.locator("main")).to_contain_text("Kiusaamisesta pitäisi voida kertoa")
    expect(page.locator("main")).not_to_contain_text("autokorjaamolla")
    assert axe() == []
    screenshot("surveys-10-results")
    page.get_by_role("link", name="Toimipisteittäin").click()
    first = page.locator("section.survey-result").first
    expect(first.locator("tr.suppressed").first).to_be_visible()
    expect(first.locator("tr.suppressed").first).to_contain_text("–")
    expect(page.locator("main")).not_to_contain_text("Kiusaamisesta pitäisi voida kertoa")
    assert axe() == []
    screenshot("surveys-11-results-by-campus")

    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/surveys/{survey.pk}/results/?by=group")
    expect(
        page.locator("section.survey-result").first.locator("tr.suppressed").first
    ).to_be_visible()
    screenshot("surveys-12-results-by-group-phone")
    assert axe() == []
    _no_horizontal_scroll(page)
