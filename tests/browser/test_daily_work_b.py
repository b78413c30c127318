"""Issue 19 (part B) in a real browser, in Finnish: the teacher's referral that names its
recipients and the date the student is contacted by, the group supervisor's page, and the
guardian's home ("Ainon asiat") on a desktop and on a 375 px phone. Every page loaded is
checked with axe at every impact (conftest)."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def test_teacher_refers_and_is_told_who_received_it(
    demo, live_server, sign_in, page, screenshot, axe
):
    from opiskeluhuolto.cases.models import Referral

    sign_in("opettaja")
    page.get_by_role("link", name="Ohjaa opiskeluhuoltoon").first.click()
    page.get_by_label("Opiskelijan nimi").fill("Aino")
    page.get_by_role("button", name="Hae").click()
    page.locator("main ul.plain-list a").first.click()
    main = page.locator("main")
    # Before sending: where it goes, by name, and by when the student is contacted.
    expect(main).to_contain_text("Kenelle yhteydenotto menee")
    expect(main).to_contain_text("Kaisa Kuusela")
    expect(main).to_contain_text("viimeistään")
    screenshot("b-1-teacher-referral-form")
    page.get_by_label("Mitä opiskeluhuollon henkilöstön tarvitsee tietää").fill(
        "Aino on ollut väsynyt ja poissa tunneilta."
    )
    page.get_by_role("button", name="Lähetä opiskeluhuoltoon").click()
    expect(main).to_contain_text("Yhteydenottosi on vastaanotettu")
    expect(main).to_contain_text("Kaisa Kuusela")
    referral = Referral.objects.order_by("-pk").first()
    due = referral.student_notice_due
    expect(main).to_contain_text(f"viimeistään {due.day}.{due.month}.{due.year}")
    assert axe() == []
    screenshot("b-2-teacher-referral-sent")


def test_group_supervisor_sees_the_group_on_one_page(
    demo, live_server, sign_in, page, screenshot, axe
):
    sign_in("ryhmanohjaaja")
    page.locator("#p-groups").locator("xpath=..").get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text("Oma ryhmä")
    main = page.locator("main")
    for heading in (
        "Poissaolot ja varhainen puuttuminen",
        "Huolenpitokeskustelut",
        "Tekemäni yhteydenotot",
        "Ryhmänohjaajan vuosi",
    ):
        expect(main.get_by_role("heading", name=heading)).to_be_visible()
    expect(main).to_contain_text("HOKSin laadintaan")
    assert axe() == []
    screenshot("b-3-supervisor-group")
    page.set_viewport_size(PHONE)
    screenshot("b-4-supervisor-group-375")


def _guardian_booking():
    from django.utils import timezone

    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.appointments.models import Booking
    from opiskeluhuolto.organisation.models import Student

    aino = Student.objects.get(user__username="opiskelija")
    kuraattori = User.objects.get(username="kuraattori")
    # The first free 45 minutes from three days on: the demo's own bookings depend on the date.
    start = (timezone.localtime() + timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    while Booking.objects.filter(
        professional=kuraattori,
        starts_at__lt=start + timedelta(minutes=45),
        ends_at__gt=start,
    ).exists():
        start += timedelta(minutes=15)
    Booking.objects.create(
        professional=kuraattori,
        student=aino,
        institution=aino.institution,
        service="social_worker",
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        booked_by=User.objects.get(username="huoltaja"),
        place="Kuraattorin huone B12",
    )


def test_guardian_home_is_written_for_a_guardian(demo, live_server, sign_in, page, screenshot, axe):
    _guardian_booking()
    page.set_viewport_size(PHONE)
    sign_in("huoltaja")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Ainon asiat")).to_be_visible()
    expect(main).to_contain_text("Kuraattorin huone B12")
    expect(main).not_to_contain_text("SALASSA PIDETTÄVÄ")
    assert axe() == []
    screenshot("b-5-guardian-home-375")
    page.set_viewport_size(DESKTOP)
    screenshot("b-6-guardian-home")
    page.get_by_role("link", name="Kuka on lukenut Ainon tietoja").click()
    expect(page.locator("h1")).to_contain_text("Kuka on lukenut")
    assert axe() == []
    screenshot("b-7-guardian-read-log")
    page.set_viewport_size(PHONE)
    screenshot("b-8-guardian-read-log-375")
