"""Issue 17 in a real browser, in Finnish: a teacher reports bullying on a phone (375 px),
the responsible kuraattori follows it up and closes it, the campus welfare group's agenda
shows the incident summary, and a teacher confirms reading the updated bullying procedure."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

SEINAJOKI = "Sedu Seinäjoki, Koulutie"


def test_teacher_reports_and_kuraattori_follows_up(
    demo, live_server, sign_in, page, screenshot, axe
):
    from opiskeluhuolto.access import for_user
    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.incidents.models import Incident, Step
    from opiskeluhuolto.organisation.demo.cast import DEMO_SIGN_INS

    teacher = User.objects.get(username="opettaja")
    student = (
        for_user(teacher)
        .students_scope()
        .filter(campus__name=SEINAJOKI)
        .exclude(user__username__in=[name for name, _d in DEMO_SIGN_INS])
        .order_by("last_name")
        .first()
    )
    before = Incident.objects.count()
    teacher_campus = student.campus_id

    # --- the teacher, on a phone, in a minute -------------------------------------------
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in("opettaja")
    page.goto(f"{live_server.url}/incidents/report/")
    expect(page.locator("h1")).to_have_text("Ilmoita kiusaamis- tai turvallisuustilanteesta")
    # Her own campus is chosen already; nothing else: the error stands next to the
    # category, and nothing was saved.
    expect(page.get_by_label("Kampus")).to_have_value(str(teacher_campus))
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("#id_category_error")).to_be_visible()
    assert Incident.objects.count() == before
    screenshot("procedures-1-report-error-phone")

    page.get_by_label("Mitä tapahtui").select_option(label="kiusaaminen")
    page.get_by_label("Kampus").select_option(label=f"{SEINAJOKI}")
    page.get_by_label("Paikka").fill("Ruokalan jono")
    # The student by part of the name: a short list of those she may see, ticked.
    page.get_by_label("Hae nimen osalla").fill(f"{student.first_name[:3]} {student.last_name[:4]}")
    page.get_by_role("button", name="Hae", exact=True).click()
    page.get_by_label(f"{student.first_name} {student.last_name}").check()
    page.get_by_label("Lyhyesti").fill("Opiskelijaa tönittiin ja nimiteltiin jonossa.")
    page.get_by_label("Mitä tehtiin heti").fill("Erotin osapuolet.")
    expect(page.locator("main")).not_to_contain_text("Select")
    assert axe() == []
    screenshot("procedures-2-report-filled-phone")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("Kiitos. Ilmoitus meni käsittelijälle")
    expect(page.locator("main")).to_contain_text("Kaisa Kuusela")
    screenshot("procedures-3-report-sent-phone")
    incident = Incident.objects.latest("pk")
    assert incident.category == "bullying" and list(incident.students.all()) == [student]
    assert incident.handler.username == "kuraattori"
    # The teacher does not see the incident itself.
    response = page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    assert response is not None and response.status == 404

    # --- the responsible kuraattori follows it up ---------------------------------------
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in("kuraattori")
    expect(page.locator("#p-incidents")).to_have_text(
        "Seurattavat kiusaamis- ja turvallisuustilanteet"
    )
    page.get_by_role(
        "link", name="Kaikki käsittelemäsi kiusaamis- ja turvallisuustilanteet"
    ).click()
    page.locator(f"a[href='/incidents/{incident.pk}/']").click()
    expect(page.locator("h1")).to_contain_text("Kiusaaminen")
    expect(page.locator("main")).to_contain_text(student.full_name)
    expect(page.locator("main")).to_contain_text("SALASSA PIDETTÄVÄ")
    assert axe() == []
    screenshot("procedures-4-incident-new")

    page.get_by_label("Toimenpide").select_option(label="keskustelu osapuolen kanssa")
    page.get_by_label("Merkintä").fill("Keskustelut osapuolten kanssa erikseen.")
    page.get_by_role("button", name="Kirjaa toimenpide").click()
    expect(page.locator("main")).to_contain_text("käsittelyssä")
    # A follow-up date in the past is refused next to the field.
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Seurantapäivä").fill(yesterday.isoformat())
    page.get_by_role("button", name="Aseta seurantapäivä").click()
    expect(page.locator("#id_follow_up_on_error")).to_contain_text("ei voi olla menneisyydessä")
    page.get_by_label("Seurantapäivä").fill((timezone.localdate() + timedelta(7)).isoformat())
    page.get_by_role("button", name="Aseta seurantapäivä").click()
    expect(page.locator("main")).to_contain_text("odottaa seurantaa")
    # Closing before the follow-up is recorded: refused.
    page.get_by_role("button", name="Seurattu: sulje").click()
    expect(page.locator("main")).to_contain_text("Kirjaa seuranta ennen sulkemista")
    for kind, note in (
        ("yhteys huoltajaan", "Huoltajalle soitettu."),
        ("tilanteen seuranta", "Seurantakeskustelu: kiusaaminen loppunut."),
    ):
        page.get_by_label("Toimenpide").select_option(label=kind)
        page.get_by_label("Merkintä").fill(note)
        page.get_by_role("button", name="Kirjaa toimenpide").click()
        expect(page.locator("main")).to_contain_text(note)
    assert axe() == []
    screenshot("procedures-5-incident-followed-up")
    page.get_by_role("button", name="Seurattu: sulje").click()
    expect(page.locator("main")).to_contain_text("Tilanne on käsitelty ja suljettu")
    expect(page.locator("main")).to_contain_text("seurattu ja suljettu")
    screenshot("procedures-6-incident-closed")
    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED
    assert set(incident.steps.values_list("kind", flat=True)) == {
        Step.Kind.DISCUSSION,
        Step.Kind.GUARDIAN,
        Step.Kind.FOLLOW_UP,
    }


def test_welfare_group_agenda_shows_the_summary(demo, live_server, sign_in, page, screenshot, axe):
    from opiskeluhuolto.meetings.models import Group, Meeting

    group = Group.objects.get(kind=Group.Kind.CAMPUS, campus__name=SEINAJOKI)
    meeting = (
        Meeting.objects.filter(group=group, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    sign_in("rehtori")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Päivitä esityslista").click()
    main = page.locator("main")
    expect(main).to_contain_text(
        "Yksikön turvallisuus- ja päihdetilanne: kiusaamis- ja turvallisuustilanteiden yhteenveto"
    )
    # Non-identifying: counts (small cells suppressed), no names, no free text.
    expect(main).to_contain_text("alle 5 tilannetta")
    expect(main).not_to_contain_text("tönivät")
    assert axe() == []
    screenshot("procedures-7-agenda-with-summary")


def test_teacher_confirms_reading_the_updated_procedure(
    demo, live_server, sign_in, page, screenshot, axe
):
    from opiskeluhuolto.procedures.models import Procedure

    procedure = Procedure.objects.get(
        title="Kiusaaminen, väkivalta ja häirintä", institution__name__startswith="Sedu"
    )
    sign_in("opettaja")
    panel = page.locator("section[aria-labelledby=p-proc-confirm]")
    expect(panel).to_contain_text("Kiusaaminen, väkivalta ja häirintä")
    expect(panel).to_contain_text("versio 2")
    assert axe() == []
    screenshot("procedures-8-home-to-confirm")
    panel.get_by_role("link", name="Kiusaaminen, väkivalta ja häirintä").click()
    expect(page.locator("h1")).to_have_text("Kiusaaminen, väkivalta ja häirintä")
    expect(page.locator("main")).to_contain_text("Keskeytä tilanne")
    expect(page.locator("main")).to_contain_text("Seurantakeskustelu myös kuukauden kuluttua")
    assert axe() == []
    screenshot("procedures-9-procedure-v2")
    page.get_by_role("button", name="Olen lukenut tämän toimintaohjeen").click()
    expect(page.locator("main")).to_contain_text("lukukuittauksesi on kirjattu")
    expect(page.locator("main")).to_contain_text("Olet kuitannut tämän version luetuksi")
    assert procedure.current().confirmations.filter(user__username="opettaja").exists()
    page.goto(f"{live_server.url}/")
    # Off the list; the other procedures still wait for her.
    expect(panel).not_to_contain_text("Kiusaaminen, väkivalta ja häirintä")
    expect(panel).to_contain_text("Kriisisuunnitelma")

    # The owner's side: the principal sees who has not confirmed, and the teacher is not
    # among them any more.
    page.context.clear_cookies()
    sign_in("rehtori")
    page.goto(f"{live_server.url}/procedures/{procedure.pk}/")
    expect(page.locator("main")).to_contain_text("Ketkä eivät ole vielä kuitanneet lukeneensa")
    expect(page.locator("main")).not_to_contain_text("Teemu Toivonen")
    assert axe() == []
    screenshot("procedures-10-who-has-not-confirmed")


def test_student_tells_anonymously_on_her_phone(demo, live_server, sign_in, page, screenshot, axe):
    from opiskeluhuolto.incidents.models import Incident

    page.set_viewport_size({"width": 375, "height": 740})
    sign_in("opiskelija")
    # Her home page: the procedures meant for students, and where to tell.
    mine = page.locator("section[aria-labelledby=p-proc-mine]")
    expect(mine).to_contain_text("Kiusaaminen, väkivalta ja häirintä")
    expect(mine).not_to_contain_text("Kampuksen turvallisuus")  # staff only
    page.get_by_role("link", name="Kerro siitä, halutessasi nimettömänä").click()
    expect(page.locator("h1")).to_have_text("Kerro kiusaamisesta tai häirinnästä")
    page.locator("#id_category").select_option(label="häirintä")
    page.get_by_label("Kampus").select_option(label=SEINAJOKI)
    page.get_by_label("Kerro, mitä tapahtui").fill("Minulle lähetetään ilkeitä viestejä.")
    page.get_by_label("Haluan, että minuun otetaan yhteyttä").check()
    page.get_by_role("button", name="Lähetä").click()
    # Contact wanted but no name: the error stands next to the field; nothing saved.
    expect(page.locator("#id_contact_error")).to_be_visible()
    before = Incident.objects.count()
    page.get_by_label("Haluan, että minuun otetaan yhteyttä").uncheck()
    assert axe() == []
    screenshot("procedures-11-student-tells-phone")
    page.get_by_role("button", name="Lähetä").click()
    expect(page.locator("h1")).to_have_text("Kiitos, että kerroit")
    assert axe() == []
    screenshot("procedures-12-student-told-phone")
    incident = Incident.objects.latest("pk")
    assert Incident.objects.count() == before + 1
    assert incident.anonymous and incident.reported_by is None and incident.reporter_name == ""
