"""Issue 19, part A, in a real browser and in Finnish: the student asks for a time with a
message on her phone (375 px); the kuraattori answers, gives a time and makes it a Teams
meeting on the desktop; the student sees the answer and the link; the kuraattori's visit
statistics with group work; the student agrees to a new expert-group member on her phone."""

from __future__ import annotations

from playwright.sync_api import expect

TEAMS = "https://teams.microsoft.com/l/meetup-join/demo"


def test_request_message_answer_and_remote_meeting(
    demo, live_server, sign_in, page, screenshot, axe
):
    from opiskeluhuolto.appointments.models import Booking, RequestMessage

    page.set_viewport_size({"width": 375, "height": 740})
    sign_in("opiskelija")
    page.goto(f"{live_server.url}/appointments/request/")
    page.get_by_label("mistä haluaisit puhua").select_option(label="opiskelu ja jaksaminen")
    page.get_by_label("viesti ammattilaiselle").fill("Voisimmeko tavata Teamsissa?")
    assert axe() == []
    screenshot("msg-1-student-request-with-message-phone")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("Pyyntösi lähetettiin")
    assert "Voisimmeko tavata Teamsissa?" in [m.body for m in RequestMessage.objects.all()]

    # The kuraattori answers on the request page, gives a time and makes it remote.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.context.clear_cookies()
    sign_in("kuraattori")
    page.goto(f"{live_server.url}/appointments/work/")
    page.locator("table.deadline-watch tr", has_text="opiskelu ja jaksaminen").get_by_role(
        "link"
    ).first.click()
    expect(page.locator("main")).to_contain_text("Voisimmeko tavata Teamsissa?")
    page.locator("#id_body").fill("Sopii, laitan linkin ajan tietoihin.")
    page.get_by_role("button", name="Lähetä viesti").click()
    expect(page.locator("main")).to_contain_text("Viesti lähetettiin")
    page.get_by_label("aika").select_option(index=1)
    page.get_by_role("button", name="Varaa tämä aika").click()
    page.get_by_role("link", name="Muuta tapaamistapaa").click()
    page.get_by_label("etänä (video)").check()
    page.get_by_label("tapaamisen linkki").fill("teams.microsoft.com/ilman-https")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.locator("#id_meeting_link_error")).to_contain_text("https://")
    screenshot("msg-2-kuraattori-meeting-link-error")
    page.get_by_label("tapaamisen linkki").fill(TEAMS)
    page.get_by_role("button", name="Tallenna").click()
    expect(page.locator("main")).to_contain_text("Liity etätapaamiseen")
    assert axe() == []
    screenshot("msg-3-kuraattori-request-with-messages")
    assert Booking.objects.get(meeting_link=TEAMS).mode == "remote"

    # The student sees the answer, the time and the link on her phone.
    page.set_viewport_size({"width": 375, "height": 740})
    page.context.clear_cookies()
    sign_in("opiskelija")
    page.goto(f"{live_server.url}/appointments/")
    expect(page.locator("main")).to_contain_text("etänä (video)")
    page.get_by_role("link", name="Viestit").first.click()
    expect(page.locator("main")).to_contain_text("Sopii, laitan linkin ajan tietoihin.")
    expect(page.get_by_role("link", name="Liity etätapaamiseen")).to_have_attribute("href", TEAMS)
    assert axe() == []
    screenshot("msg-4-student-request-page-phone")


def test_kuraattori_visit_statistics_and_group_work(
    demo, live_server, sign_in, page, screenshot, axe
):
    from opiskeluhuolto.appointments.models import GroupWork

    sign_in("kuraattori")
    page.goto(f"{live_server.url}/appointments/work/")
    page.get_by_role("link", name="Käyntitilastot").click()
    expect(page.locator("h1")).to_have_text("Käyntitilastot")
    expect(page.locator("main")).to_contain_text("Odotusajat suhteessa lain määräaikoihin")
    page.locator("#id_kind").select_option("group")
    page.get_by_label("osallistujia").fill("24")
    page.get_by_label("kesto (min)").fill("1")
    page.get_by_role("button", name="Kirjaa", exact=True).click()
    expect(page.locator("#id_minutes_error")).to_contain_text("5–600")
    page.get_by_label("kesto (min)").fill("90")
    page.locator("#id_kind").select_option("communal")
    page.get_by_role("button", name="Kirjaa", exact=True).click()
    expect(page.locator("main")).to_contain_text("Ryhmätyö kirjattiin")
    assert GroupWork.objects.filter(participants=24, minutes=90).exists()
    assert axe() == []
    screenshot("stats-1-kuraattori-visit-statistics")
    with page.expect_download() as download:
        page.get_by_role("link", name="Lataa CSV").click()
    assert download.value.suggested_filename.startswith("kayntitilasto-")


def test_student_agrees_to_a_new_member_on_her_phone(
    demo, live_server, sign_in, page, screenshot, axe
):
    from opiskeluhuolto.cases.models import Consent

    page.set_viewport_size({"width": 375, "height": 740})
    sign_in("opiskelija")
    page.goto(f"{live_server.url}/cases/")
    page.locator("main a[href*='/records/']").first.click()
    expect(page.locator("main")).to_contain_text("Rekisterinpitäjä")
    screenshot("consent-1-student-matter-phone")
    page.get_by_role("link", name="Anna suostumus uudelle jäsenelle").click()
    expect(page.locator("main")).to_contain_text("Voit perua suostumuksesi milloin tahansa")
    page.locator("input[name=member]").first.check()
    page.get_by_role("button", name="Suostun").click()
    expect(page.locator("#id_understood_error")).to_contain_text("Rastita")
    screenshot("consent-2-student-consent-error-phone")
    page.get_by_label("Olen lukenut, mitä suostumukseni tarkoittaa").check()
    assert axe() == []
    screenshot("consent-3-student-consent-phone")
    page.get_by_role("button", name="Suostun").click()
    expect(page.locator("main")).to_contain_text("on nyt asiantuntijaryhmässäsi")
    assert Consent.objects.filter(how="electronic", given_by="student").exists()
    screenshot("consent-4-student-matter-after-phone")
