"""A data request answered in part under the Data Protection Act 34 § (LAW.md L-GDPR-5):
the matters ticked are withheld from the requester everywhere a whole refusal is (the
self-served copy, the case pages, the record, the case API), for that person only, until
the register responsible person ends each refusal.

Each effect is checked before the answer too, so the tests fail if the data was never
there, or on the old code, where an answer in part was only recorded and told."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from opiskeluhuolto.access.models import AccessRestriction
from opiskeluhuolto.audit.models import AuditEvent
from opiskeluhuolto.cases.tests.story import open_aino_case
from opiskeluhuolto.privacy import actions
from opiskeluhuolto.privacy.models import DataRequest
from opiskeluhuolto.privacy.tests.test_guardian_copy import (
    REASON_A,
    REASON_B,
    SCOPE_A,
    _guardian,
    _json,
    _pdf_text,
    _two_matters,
)
from opiskeluhuolto.privacy.tests.test_refusal import WHY, _admin, _guardian_request

pytestmark = pytest.mark.django_db

ANSWER = "Kopio annettu osittain."


def _answer_in_part(cast, req, cases) -> DataRequest:
    r = _admin(cast).post(
        reverse("privacy:answer", args=[req.pk]),
        {
            "outcome": "partly",
            "ground": "tsl34_health",
            "reason": WHY,
            "answer": ANSWER,
            "cases": [c.pk for c in cases],
        },
    )
    assert r.status_code == 302, r.text
    req.refresh_from_db()
    return req


def _case_ids(client) -> set[int]:
    return {c["id"] for c in client.get(reverse("api:cases-list")).json()}


# --- a guardian ----------------------------------------------------------------------------


def test_a_guardian_answered_in_part_loses_exactly_the_ticked_matter(cast):
    from opiskeluhuolto.organisation import actions as org

    barred, other = _two_matters(cast)
    other_guardian = type(cast.guardian_onni).objects.create(username="toinen", first_name="T")
    org.link_guardian(cast.onni, other_guardian)
    c = _guardian(cast)
    before = _json(cast)
    assert len(before["cases"]) == 2
    assert {r["reason"] for r in before["referrals"]} == {REASON_A, REASON_B}
    assert SCOPE_A in json.dumps(before["consents"], ensure_ascii=False)
    assert c.get(reverse("records:case", args=[barred.pk])).status_code == 200
    assert _case_ids(c) == {barred.pk, other.pk}

    req = _answer_in_part(cast, _guardian_request(cast), [barred])
    row = req.restrictions.get()
    assert (row.case, row.person, row.student) == (barred, cast.guardian_onni, cast.onni)

    after = _json(cast)
    assert len(after["cases"]) == 1
    assert [r["reason"] for r in after["referrals"]] == [REASON_B]
    body = json.dumps(after, ensure_ascii=False)
    assert REASON_A not in body and SCOPE_A not in body and "Kotitilanne" not in body
    assert "Opintojen tuki" in body
    text = _pdf_text(cast)
    assert REASON_A not in text and REASON_B in text
    assert c.get(reverse("records:case", args=[barred.pk])).status_code == 404
    assert c.get(reverse("records:case", args=[other.pk])).status_code == 200
    assert c.get(reverse("records:pdf", args=[barred.pk])).status_code == 404
    assert _case_ids(c) == {other.pk}
    # Another guardian of the same child keeps their access.
    c2 = Client()
    c2.force_login(other_guardian)
    assert c2.get(reverse("records:case", args=[barred.pk])).status_code == 200
    assert _case_ids(c2) == {barred.pk, other.pk}
    # The requester is told the copy leaves something out.
    page = c.get(reverse("privacy:my_data"))
    assert "Pyyntöösi vastattiin osittain. Kopiosta puuttuvat" in page.text


def test_recording_and_ending_a_partial_refusal_are_audited_per_matter(cast):
    barred, other = _two_matters(cast)
    req = _answer_in_part(cast, _guardian_request(cast), [barred, other])
    rows = list(req.restrictions.order_by("case_id"))
    assert [r.case_id for r in rows] == sorted([barred.pk, other.pk])
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS_REFUSED)
    assert sorted(e.after["case"] for e in events) == sorted([barred.pk, other.pk])
    assert all(e.after["request"] == req.pk for e in events)
    assert _json(cast)["cases"] == []

    admin = _admin(cast)
    page = admin.get(reverse("privacy:requests"))
    assert f"Asia nro {barred.pk}, avattu" in page.text and "Kotitilanne" not in page.text
    r = admin.post(reverse("privacy:end_restriction", args=[rows[0].pk]))
    assert r.status_code == 302
    ended = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCESS_REFUSAL_ENDED)
    assert ended.after["case"] == rows[0].case_id and ended.after["request"] == req.pk
    c = _guardian(cast)
    assert _case_ids(c) == {rows[0].case_id}
    assert c.get(reverse("records:case", args=[rows[1].case_id])).status_code == 404
    admin.post(reverse("privacy:end_restriction", args=[rows[1].pk]))
    assert _case_ids(c) == {barred.pk, other.pk}
    assert len(_json(cast)["cases"]) == 2


# --- the student herself ---------------------------------------------------------------------


def _aino_second_case(cast):
    return open_aino_case(
        cast,
        members=[cast.kuraattori],
        reason="Kiusaamisepäily välitunnilla.",
        subject="Kiusaamisen selvittely",
        background="Välituntivalvoja huomasi tilanteen.",
    )


def test_a_student_answered_in_part_loses_exactly_the_ticked_matter_until_it_ends(cast):
    kept = open_aino_case(cast)
    barred = _aino_second_case(cast)
    aino = Client()
    aino.force_login(cast.student)

    def copy() -> str:
        r = aino.get(reverse("privacy:copy_json", args=[cast.aino.pk]))
        assert r.status_code == 200
        return r.content.decode()

    assert "Kiusaamisepäily" in copy() and "Poissaoloja ja väsymystä." in copy()
    assert aino.get(reverse("records:case", args=[barred.pk])).status_code == 200
    assert _case_ids(aino) == {kept.pk, barred.pk}

    req = actions.register_request(cast.aino, by=cast.student, kind="gdpr")
    req = _answer_in_part(cast, req, [barred])
    body = copy()
    assert "Kiusaamisepäily" not in body and "Kiusaamisen selvittely" not in body
    assert "Poissaoloja ja väsymystä." in body and "Opiskelujen tukeminen" in body
    assert len(json.loads(body)["sections"]["cases"]) == 1
    assert aino.get(reverse("records:case", args=[barred.pk])).status_code == 404
    assert aino.get(reverse("records:case", args=[kept.pk])).status_code == 200
    assert _case_ids(aino) == {kept.pk}
    # Her guardian's access is the guardian's own matter: untouched.
    matti = Client()
    matti.force_login(cast.guardian)
    assert matti.get(reverse("records:case", args=[barred.pk])).status_code == 200

    actions.end_restriction(req.restrictions.get(), by=cast.admin)
    assert "Kiusaamisepäily" in copy()
    assert aino.get(reverse("records:case", args=[barred.pk])).status_code == 200


# --- the form ---------------------------------------------------------------------------------


def test_an_answer_in_part_names_a_matter_with_every_error_at_once(cast):
    barred, _other = _two_matters(cast)
    req = _guardian_request(cast)
    admin = _admin(cast)
    page = admin.get(reverse("privacy:requests"))
    assert f'value="{barred.pk}"' in page.text and "Kotitilanne" not in page.text

    url = reverse("privacy:answer", args=[req.pk])
    r = admin.post(url, {"outcome": "partly"})
    assert r.status_code == 400
    for error in (
        "Rastita ainakin yksi asia, jonka tiedot jätetään antamatta.",
        "Valitse epäämisen oikeusperuste.",
        "Kirjoita epäämisen syy; se kerrotaan pyytäjälle.",
        "Kerro, miten pyyntöön vastattiin.",
    ):
        assert error in r.text, error
    data = {"outcome": "partly", "ground": "tsl34_health", "reason": WHY, "answer": ANSWER}
    r = admin.post(url, data)
    assert r.status_code == 400 and "Rastita ainakin yksi asia" in r.text
    req.refresh_from_db()
    assert req.status == DataRequest.Status.OPEN and not AccessRestriction.objects.exists()


def test_an_answer_in_part_names_only_the_students_own_matters(cast):
    from django.core.exceptions import ValidationError

    _two_matters(cast)
    ainos = open_aino_case(cast)
    with pytest.raises(ValidationError) as e:
        actions.answer_request(
            _guardian_request(cast),
            by=cast.admin,
            answer=ANSWER,
            outcome="partly",
            ground="tsl34_others",
            reason=WHY,
            cases=[ainos.pk],
        )
    assert "cases" in e.value.message_dict
    assert not AccessRestriction.objects.exists()


# --- what the requester is told, and the wording of the tables -----------------------------


def test_a_whole_refusal_is_told_on_my_data(cast):
    from opiskeluhuolto.privacy.tests.test_refusal import _refuse

    _refuse(cast, _guardian_request(cast))
    page = _guardian(cast).get(reverse("privacy:my_data"))
    assert "Pyyntösi evättiin. Kunnes epääminen päättyy, kopiossa ei ole" in page.text
    assert "vastattiin osittain" not in page.text
    for lang, text in (("sv", "Din begäran avslogs."), ("en", "Your request was refused.")):
        with translation.override(lang):
            assert translation.gettext(
                "Your request was refused. Until the refusal ends, the copy holds no welfare "
                "data: no contacts to student welfare, consents, cases, record entries or "
                "appointments."
            ).startswith(text)


def test_the_request_column_reads_request_not_contact(cast):
    _guardian_request(cast)
    for page in (
        _admin(cast).get(reverse("privacy:requests")),
        _guardian(cast).get(reverse("privacy:my_data")),
    ):
        assert '<th scope="col">Pyyntö</th>' in page.text
        assert "Yhteydenotto" not in page.text
    for lang, text in (("fi", "Pyyntö"), ("sv", "Begäran"), ("en", "Request")):
        with translation.override(lang):
            assert translation.pgettext("data request", "Request") == text
    with translation.override("fi"):  # the appointment requests' word is unchanged
        assert translation.gettext("Request") == "Yhteydenotto"


def test_the_due_date_column_says_by_when_to_answer(cast):
    """The column shows `due_on`: its heading says the answer is due by then, not who
    answered (the English msgid said "Answered by")."""
    req = _guardian_request(cast)
    for page in (
        _admin(cast).get(reverse("privacy:requests")),
        _guardian(cast).get(reverse("privacy:my_data")),
    ):
        assert '<th scope="col">Vastattava viimeistään</th>' in page.text
        assert f"<td>{req.due_on:%-d.%-m.%Y}</td>" in page.text
    for lang, text in (
        ("fi", "Vastattava viimeistään"),
        ("sv", "Ska besvaras senast"),
        ("en", "Answer due by"),
    ):
        with translation.override(lang):
            assert translation.gettext("Answer due by") == text
