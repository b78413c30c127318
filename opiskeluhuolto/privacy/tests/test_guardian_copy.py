"""A guardian's copy under a §18 prohibition (LAW.md L-18-1, L-GDPR-3): a prohibition on one
matter hides that matter's referral and consent, one covering all matters hides them all,
and the matters not barred still appear. Each test reads the copy before the prohibition
too, so it fails if the hidden text was never there."""

import json
import subprocess
import tempfile

import pytest
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.cases import actions, expert_groups
from opiskeluhuolto.cases.tests.story import prohibit_onni_guardian

pytestmark = pytest.mark.django_db

REASON_A = "Huoli kotitilanteesta."
SCOPE_A = "Kotitilanteen selvittely koulun kanssa."
REASON_B = "Matematiikan opinnot takkuavat."
CASE_OPENED = "asia avattu"


def _matter(cast, *, reason, subject, consent_by_guardian, members, scope):
    referral = actions.file_referral(cast.onni, by=cast.teacher, channel="staff", reason=reason)
    extra = (
        {
            "given_by": "guardian",
            "guardian": cast.guardian_onni,
            "capacity_assessment": "Onni ei pysty arvioimaan asian merkitystä.",
        }
        if consent_by_guardian
        else {"given_by": "student"}
    )
    consent = expert_groups.give_consent(
        cast.onni,
        recorded_by=cast.kuraattori,
        kind="expert_group",
        how="written",
        given_on=cast.today,
        named_members=members,
        scope=scope,
        **extra,
    )
    return expert_groups.open_case(
        referral,
        by=cast.kuraattori,
        subject=subject,
        background="Huoli opiskelijan jaksamisesta ja poissaoloista.",
        consent=consent,
        members=members,
        responsible=cast.kuraattori,
    )


def _two_matters(cast):
    """Matter A: the guardian consented to Kaisa and Pekka. Matter B: Onni consented to Kaisa."""
    barred = _matter(
        cast,
        reason=REASON_A,
        subject="Kotitilanne",
        consent_by_guardian=True,
        members=[cast.kuraattori, cast.psykologi],
        scope=SCOPE_A,
    )
    other = _matter(
        cast,
        reason=REASON_B,
        subject="Opintojen tuki",
        consent_by_guardian=False,
        members=[cast.kuraattori],
        scope="",
    )
    return barred, other


def _guardian(cast) -> Client:
    c = Client()
    c.force_login(cast.guardian_onni)
    return c


def _json(cast) -> dict:
    r = _guardian(cast).get(reverse("privacy:copy_json", args=[cast.onni.pk]))
    assert r.status_code == 200
    return json.loads(r.content)["sections"]


def _pdf_text(cast) -> str:
    r = _guardian(cast).get(reverse("privacy:copy_pdf", args=[cast.onni.pk]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(r.content)
        f.flush()
        return subprocess.run(
            ["pdftotext", f.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def _consent_text(copy) -> str:
    return json.dumps(copy["consents"], ensure_ascii=False)


def test_a_prohibition_on_one_matter_hides_its_referral_and_consent_in_the_json_copy(cast):
    barred, other = _two_matters(cast)
    before = _json(cast)
    assert {r["reason"] for r in before["referrals"]} == {REASON_A, REASON_B}
    assert SCOPE_A in _consent_text(before) and "Pekka Psykologi" in _consent_text(before)

    prohibit_onni_guardian(cast, case=barred)
    after = _json(cast)
    assert [r["reason"] for r in after["referrals"]] == [REASON_B]
    assert [r["status"] for r in after["referrals"]] == [CASE_OPENED]
    consents = _consent_text(after)
    assert SCOPE_A not in consents and "Pekka Psykologi" not in consents
    assert len(after["consents"]) == 1 and "Kaisa Kuraattori" in consents  # matter B's
    assert [c["subject"] for c in after["cases"]] == ["Opintojen tuki"]


def test_a_prohibition_on_one_matter_hides_its_referral_and_consent_in_the_pdf_copy(cast):
    barred, _other = _two_matters(cast)
    before = _pdf_text(cast)
    assert REASON_A in before and SCOPE_A in before and "Pekka Psykologi" in before
    assert before.count(CASE_OPENED) == 2

    prohibit_onni_guardian(cast, case=barred)
    after = _pdf_text(cast)
    assert REASON_A not in after and SCOPE_A not in after and "Pekka Psykologi" not in after
    assert after.count(CASE_OPENED) == 1  # matter B's referral only
    assert REASON_B in after and "Opintojen tuki" in after


def test_a_prohibition_on_all_matters_hides_every_referral_and_consent(cast):
    _two_matters(cast)
    before = _json(cast)
    assert before["referrals"] and before["consents"] and before["cases"]

    prohibit_onni_guardian(cast)
    after = _json(cast)
    assert after["referrals"] == [] and after["consents"] == [] and after["cases"] == []
    assert after["prohibitions"] == [] and after["appointment_requests"] == []
    body = json.dumps(after, ensure_ascii=False)
    for hidden in (REASON_A, REASON_B, SCOPE_A, "Pekka Psykologi", "Kaisa Kuraattori"):
        assert hidden not in body
    assert after["student"][0]["first_name"] == cast.onni.first_name  # the copy itself is there

    text = _pdf_text(cast)
    for hidden in (REASON_A, REASON_B, SCOPE_A, "Pekka Psykologi", "Kaisa Kuraattori"):
        assert hidden not in text
    assert CASE_OPENED not in text and cast.onni.last_name in text


def test_a_guardian_under_a_one_matter_prohibition_still_sees_the_other_matter(cast):
    barred, other = _two_matters(cast)
    prohibit_onni_guardian(cast, case=barred)
    c = _guardian(cast)
    assert c.get(reverse("records:case", args=[other.pk])).status_code == 200
    assert c.get(reverse("records:case", args=[barred.pk])).status_code == 404
    listed = c.get(reverse("api:cases-list")).json()
    assert [row["id"] for row in listed] == [other.pk]
