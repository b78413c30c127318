"""Issue 19 in a real browser, in Finnish: the kuraattori's case list and expert group, the
professional's request list, the student's request with its topic on a phone (375 px),
the phone menu and the student's reassurance instead of the legal mark."""

from __future__ import annotations

from playwright.sync_api import expect


def test_kuraattori_gathers_the_expert_group(demo, live_server, sign_in, page, screenshot, axe):
    from opiskeluhuolto.cases.models import ExpertGroupMembership

    sign_in("kuraattori")
    page.goto(f"{live_server.url}/cases/")
    expect(page.locator("main")).to_contain_text("Poissaolot ja opiskelujen eteneminen")
    expect(page.locator("main")).not_to_contain_text("Asia 1")
    page.get_by_label("Hae asian aiheella tai opiskelijan nimellä").fill("poissaolot")
    page.get_by_role("button", name="Hae").click()
    expect(page.locator("main")).to_contain_text("Poissaolot ja opiskelujen eteneminen")
    expect(page.locator("main")).not_to_contain_text("Opintojen keskeytymisen uhka")
    assert axe() == []
    screenshot("daily-1-case-list-filtered")

    page.get_by_role("link", name="Poissaolot ja opiskelujen eteneminen").click()
    expect(page.locator("h1")).to_contain_text("Poissaolot ja opiskelujen eteneminen")
    expect(page.locator("main")).to_contain_text("SALASSA PIDETTÄVÄ")
    page.get_by_role("link", name="Lisää jäseniä asiantuntijaryhmään").click()
    expect(page.locator("h1")).to_contain_text("Asiantuntijaryhmä")
    screenshot("daily-2-expert-group")
    # Nothing chosen: the error is next to the list, and nothing was recorded.
    page.get_by_role("button", name="Kirjaa suostumus ja lisää jäsenet").click()
    expect(page.locator("#id_named_members_error")).to_contain_text("Valitse vähintään yksi")
    screenshot("daily-3-expert-group-error")
    page.get_by_label("Rooli").select_option(label="psykologi")
    page.get_by_role("button", name="Hae").click()
    box = page.locator("input[name=named_members]").first
    label = page.locator(f"label[for='{box.get_attribute('id')}']").inner_text()
    box.check()
    assert axe() == []
    screenshot("daily-4-expert-group-chosen")
    page.get_by_role("button", name="Kirjaa suostumus ja lisää jäsenet").click()
    expect(page.locator("main")).to_contain_text("liittyi asiantuntijaryhmään")
    name = label.split(",")[0].strip()
    expect(page.locator("main")).to_contain_text(name)
    assert ExpertGroupMembership.objects.filter(
        user__first_name=name.split()[0], ended_on__isnull=True
    ).exists()
    assert axe() == []
    screenshot("daily-5-case-with-new-member")


def test_student_asks_for_a_time_on_her_phone(demo, live_server, sign_in, page, screenshot, axe):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in("opiskelija")
    # The first screen shows content: the menu is folded behind one button.
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator("h1")).to_be_in_viewport()
    assert axe() == []
    screenshot("daily-6-student-home-phone")
    page.get_by_role("button", name="Valikko").click()
    expect(page.locator(".site-nav")).to_be_visible()
    screenshot("daily-7-student-menu-open-phone")
    page.get_by_role("button", name="Valikko").click()

    page.goto(f"{live_server.url}/appointments/")
    expect(page.locator("main")).to_contain_text("Tämä on luottamuksellista")
    expect(page.locator("main")).not_to_contain_text("SALASSA PIDETTÄVÄ")
    assert axe() == []
    screenshot("daily-8-student-appointments-phone")
    page.goto(f"{live_server.url}/appointments/request/")
    page.get_by_label("mistä haluaisit puhua").select_option(label="mieliala ja tunteet")
    page.get_by_label("muutama sana, jos haluat").fill("Nukun huonosti ja jännittää.")
    expect(page.locator("main")).not_to_contain_text("Select an option")
    assert axe() == []
    screenshot("daily-9-student-request-phone")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("Pyyntösi lähetettiin")

    # The kuraattori's list names the student and the topic, not a number.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.context.clear_cookies()
    sign_in("kuraattori")
    page.goto(f"{live_server.url}/appointments/work/")
    row = page.locator("table.deadline-watch tr", has_text="mieliala ja tunteet")
    expect(row).to_contain_text("Aino")
    expect(page.locator("table.deadline-watch")).not_to_contain_text("#")
    assert axe() == []
    screenshot("daily-10-kuraattori-requests")
    row.get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text("Nukun huonosti ja jännittää.")
    screenshot("daily-11-request-detail")
