"""The pages of individual welfare: they work, refuse the wrong person, keep bad input."""

import pytest
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.access.cases import cases_visible_to
from opiskeluhuolto.access.permissions import Permissions
from opiskeluhuolto.cases.models import Case, Referral
from opiskeluhuolto.testing.cast import MEMBERS

from .story import onni_prohibited_case, open_aino_case

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _staff_referral(cast) -> Referral:
    """A teacher's referral of Aino, made with her and the guardian notified."""
    return Referral.objects.create(
        student=cast.aino,
        institution=cast.lukio,
        channel="staff",
        referred_by=cast.teacher,
        reason="x",
        received_on=cast.today,
        with_student=True,
        guardian_notice="sent",
    )


def _opening(cast, **fields) -> dict:
    """The open-case form filled for an expert group on Aino's written consent, Kaisa
    responsible; `fields` replace or add."""
    return {
        "subject": "Kirjoitettu aihe",
        "background": "Opettaja on huolissaan jaksamisesta.",
        "kind": "expert_group",
        "given_by": "student",
        "how": "written",
        "given_on": cast.today.isoformat(),
        "named_members": [cast.kuraattori.pk],
        "responsible": cast.kuraattori.pk,
    } | fields


def test_teacher_refers_and_kuraattori_opens_case(cast):
    teacher = client_for(cast.teacher)
    r = teacher.post(reverse("cases:refer"), {"q": "Aino"})
    assert r.status_code == 200 and "Aino Opiskelija" in r.text
    r = teacher.post(
        reverse("cases:refer_student", args=[cast.aino.pk]),
        {"channel": "staff", "reason": "Väsynyt"},
    )
    referral = Referral.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("cases:referral", args=[referral.pk])
    kaisa = client_for(cast.kuraattori)
    page = kaisa.get(reverse("cases:referral", args=[referral.pk]))
    assert "työpäivän kuluttua" in page.text or "working days" in page.text
    data = {
        "subject": "Jaksaminen",
        "background": "Opettaja on huolissaan jaksamisesta.",
        "kind": "expert_group",
        "given_by": "student",
        "how": "written",
        "given_on": cast.today.isoformat(),
        "named_members": [cast.kuraattori.pk, cast.supervisor.pk],
        "responsible": cast.kuraattori.pk,
    }
    r = kaisa.post(reverse("cases:open_case", args=[referral.pk]), data)
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("records:case", args=[case.pk])


def test_open_case_refuses_a_responsible_outside_the_institution_and_keeps_input(cast):
    referral = _staff_referral(cast)
    r = client_for(cast.kuraattori).post(
        reverse("cases:open_case", args=[referral.pk]),
        _opening(cast, responsible=cast.kuraattori_out.pk),
    )
    assert r.status_code == 200 and not Case.objects.exists()
    assert "Kirjoitettu aihe" in r.text
    assert 'id="id_responsible_error"' in r.text


def test_open_case_form_requires_the_background_in_finnish_and_keeps_input(cast):
    """LAW.md L-20-1, L-20-5: the background is asked for, with guidance, and required."""
    referral = _staff_referral(cast)
    kaisa = client_for(cast.kuraattori)
    url = reverse("cases:open_case", args=[referral.pk])
    form = kaisa.get(url).text
    assert 'name="background"' in form and "<label" in form and "Tausta" in form
    assert "välttämätöntä tietää" in form  # the guidance text (L-20-5)
    r = kaisa.post(url, _opening(cast, background="  "))
    assert r.status_code == 200 and not Case.objects.exists()
    assert 'id="id_background_error"' in r.text
    assert "Kirjoita asian tausta" in r.text and "Kirjoitettu aihe" in r.text


def test_guardian_consent_without_assessment_is_refused_on_the_page(cast):
    referral = _staff_referral(cast)
    r = client_for(cast.kuraattori).post(
        reverse("cases:open_case", args=[referral.pk]),
        _opening(cast, given_by="guardian", guardian=cast.guardian.pk),
    )
    assert r.status_code == 200 and "ei pysty arvioimaan" in r.text


def test_kuraattori_outside_group_gets_404_everywhere(cast):
    case = open_aino_case(cast)
    kalle = client_for(cast.kuraattori_out)
    for url in (
        reverse("records:case", args=[case.pk]),
        reverse("records:pdf", args=[case.pk]),
        f"/api/v1/records/cases/{case.pk}",
        f"/api/v1/cases/{case.pk}",
    ):
        assert kalle.get(url).status_code == 404, url
    assert kalle.get("/api/v1/cases/").json() == []


def test_guardian_under_prohibition_sees_nothing(cast):
    case = onni_prohibited_case(cast)
    liisa = client_for(cast.guardian_onni)
    assert liisa.get(reverse("records:case", args=[case.pk])).status_code == 404
    assert liisa.get(reverse("records:pdf", args=[case.pk])).status_code == 404
    home = liisa.get(reverse("front:home")).text
    assert "Kotitilanne" not in home and reverse("records:case", args=[case.pk]) not in home
    log = liisa.get(reverse("records:my_log")).text
    assert cast.kuraattori.display_name not in log


def test_student_self_referral(cast):
    r = client_for(cast.student).post(reverse("cases:self_refer"), {"reason": "Haluaisin jutella"})
    assert r.status_code == 302
    assert Referral.objects.get().channel == "self"


def test_withdraw_consent_page_records_withdrawal(cast):
    case = open_aino_case(cast)
    consent = case.consents.get()
    r = client_for(cast.kuraattori).post(reverse("cases:withdraw_consent", args=[consent.pk]))
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    assert (
        client_for(cast.supervisor).get(reverse("records:case", args=[case.pk])).status_code == 404
    )


def test_home_panels(cast):
    open_aino_case(cast)
    assert "Seuraavat seurannat" in client_for(cast.kuraattori).get("/").text
    assert "Ohjaa opiskeluhuoltoon" in client_for(cast.teacher).get("/").text
    # An external group member (youth work) has no directory to refer from.
    assert "Ohjaa opiskeluhuoltoon" not in client_for(cast.external).get("/").text
    aino_home = client_for(cast.student).get("/").text
    assert "Omat asiani" in aino_home and "Kuka on lukenut tietojani" in aino_home


def test_scope_matches_view_case_for_every_member(cast):
    """The list scope and the detail rule cannot drift apart (STYLE.md §3.3)."""
    cases = [open_aino_case(cast), onni_prohibited_case(cast)]
    cast.provider.register_responsible = cast.admin
    cast.provider.save()
    for member in [m for m in MEMBERS if m != "anonymous"] + ["guardian_onni"]:
        user = cast.users[member]
        user.__dict__.pop("_oh_permissions", None)
        can = Permissions(user)
        scope = set(cases_visible_to(user).values_list("pk", flat=True))
        for case in cases:
            assert (case.pk in scope) == can.view_case(case), (member, case.pk)


def test_campus_kuraattori_handles_only_own_campus_referrals(cast):
    from opiskeluhuolto.access.cases import referrals_visible_to
    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.organisation import actions as org
    from opiskeluhuolto.organisation.models import Campus

    other = Campus.objects.create(institution=cast.lukio, name="Toinen kampus")
    kirsi = User.objects.create_user(username="kirsi", password="x-very-long-1", title="kuraattori")
    org.assign_role(
        kirsi,
        role="social_worker",
        provider=cast.provider,
        institution=cast.lukio,
        campus=other,
        valid_from=cast.today,
    )
    referral = _staff_referral(cast)
    assert client_for(kirsi).get(reverse("cases:referral", args=[referral.pk])).status_code == 404
    assert not referrals_visible_to(kirsi).exists()
    assert (
        client_for(cast.nurse).get(reverse("cases:referral", args=[referral.pk])).status_code == 200
    )
    assert list(referrals_visible_to(cast.nurse)) == [referral]


def test_referrer_does_not_learn_what_became_of_the_referral(cast):
    case = onni_prohibited_case(cast)
    page = client_for(cast.teacher).get(reverse("cases:referral", args=[case.referral_id])).text
    assert "asia avattu" not in page and "huoltajakielto" not in page.lower()
    assert "Huoli kotitilanteesta." in page  # what they wrote themselves


def test_student_withdraws_her_own_consent(cast):
    case = open_aino_case(cast)
    consent = case.consents.get()
    aino = client_for(cast.student)
    assert "Peru suostumukseni" in aino.get(reverse("records:case", args=[case.pk])).text
    # The guardian did not give this consent: it is not theirs to withdraw.
    url = reverse("cases:withdraw_own_consent", args=[consent.pk])
    assert client_for(cast.guardian).post(url).status_code == 404
    assert aino.post(url).status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    assert (
        client_for(cast.kuraattori).get(reverse("records:case", args=[case.pk])).status_code == 404
    )
    assert aino.get(url).status_code == 404  # already withdrawn


def test_referral_scope_matches_view_referral_for_every_member(cast):
    from opiskeluhuolto.access.cases import referrals_visible_to

    referrals = [
        Referral.objects.create(
            student=s,
            institution=s.institution,
            channel="staff",
            referred_by=cast.teacher,
            reason="x",
            received_on=cast.today,
            with_student=True,
            guardian_notice="sent",
        )
        for s in (cast.aino, cast.eero, cast.onni)
    ]
    for member in [m for m in MEMBERS if m != "anonymous"]:
        user = cast.users[member]
        user.__dict__.pop("_oh_permissions", None)
        can = Permissions(user)
        scope = set(referrals_visible_to(user).values_list("pk", flat=True))
        for r in referrals:
            assert (r.pk in scope) == can.view_referral(r), (member, r.student.first_name)


def test_kuraattori_records_student_notice_on_the_page(cast):
    referral = Referral.objects.create(
        student=cast.aino,
        institution=cast.lukio,
        channel="staff",
        referred_by=cast.teacher,
        reason="x",
        received_on=cast.today,
        with_student=False,
        guardian_notice="sent",
        student_notice_due=cast.today,
    )
    kaisa = client_for(cast.kuraattori)
    url = reverse("cases:student_notice", args=[referral.pk])
    r = kaisa.post(url, {"method": ""})
    assert r.status_code == 200 and not Referral.objects.get().student_notified_at
    assert kaisa.post(url, {"method": "puhelimessa"}).status_code == 302
    assert Referral.objects.get().student_notice_method == "puhelimessa"


def test_lifting_a_prohibition_lets_the_guardian_see_again(cast):
    case = onni_prohibited_case(cast)
    prohibition = cast.onni.guardian_prohibitions.get()
    liisa = client_for(cast.guardian_onni)
    assert liisa.get(reverse("records:case", args=[case.pk])).status_code == 404
    url = reverse("cases:lift_prohibition", args=[prohibition.pk])
    assert client_for(cast.supervisor).post(url).status_code == 404  # not in Onni's group
    assert client_for(cast.kuraattori).post(url).status_code == 302
    assert (
        client_for(cast.guardian_onni).get(reverse("records:case", args=[case.pk])).status_code
        == 200
    )
    assert client_for(cast.kuraattori).post(url).status_code == 404  # already lifted


def test_read_only_pages_refuse_post(cast):
    case = open_aino_case(cast)
    kaisa = client_for(cast.kuraattori)
    assert kaisa.post(reverse("records:case", args=[case.pk])).status_code == 405
    assert kaisa.post(reverse("cases:index")).status_code == 405
    assert client_for(cast.student).post(reverse("records:pdf", args=[case.pk])).status_code == 405
    assert client_for(cast.student).post(reverse("records:my_log")).status_code == 405


def test_referral_names_its_recipients_before_and_after_sending(cast):
    """Issue 19: the teacher sees who receives the contact before sending; the confirmation
    names them and the date by which the student is contacted (the §16 limit)."""
    from opiskeluhuolto.cases.actions import student_notice_due

    teacher = client_for(cast.teacher)
    url = reverse("cases:refer_student", args=[cast.aino.pk])
    form = teacher.get(url).text
    assert cast.kuraattori.display_name in form
    due = student_notice_due(cast.aino, cast.today)
    assert f"{due.day}.{due.month}.{due.year}" in form
    teacher.post(url, {"channel": "staff", "reason": "Väsynyt"})
    referral = Referral.objects.get()
    assert referral.student_notice_due == due
    page = teacher.get(reverse("cases:referral", args=[referral.pk])).text
    assert "Yhteydenottosi on vastaanotettu" in page
    assert cast.kuraattori.display_name in page
    assert f"{due.day}.{due.month}.{due.year}" in page


def test_referral_recipients_are_exactly_who_may_handle_it(cast):
    from opiskeluhuolto.access.cases import referral_recipients
    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.organisation import actions as org
    from opiskeluhuolto.organisation.models import Campus

    other = Campus.objects.create(institution=cast.lukio, name="Toinen kampus")
    kirsi = User.objects.create_user(username="kirsi", password="x-very-long-1")
    org.assign_role(
        kirsi,
        role="social_worker",
        provider=cast.provider,
        institution=cast.lukio,
        campus=other,
        valid_from=cast.today,
    )
    referral = _staff_referral(cast)
    named = {r.user_id for r in referral_recipients(cast.aino, cast.today)}
    handlers = {u.pk for u in User.objects.all() if Permissions(u).handle_referral(referral)}
    assert named == handlers and cast.kuraattori.pk in named and kirsi.pk not in named
