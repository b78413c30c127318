"""Refusing access with its reason (LAW.md L-GDPR-5): the outcome of a data request, its
legal ground and reason, what the requester is told, and a guardian's refusal taking
effect on the self-served copy and every page that reads the same rule, audited.

Each effect is checked before the refusal too, so the tests fail if the data was never
there (or on the old code, where an answer was only a free text)."""

import json

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from opiskeluhuolto.access.models import AccessRestriction
from opiskeluhuolto.audit.models import AuditEvent
from opiskeluhuolto.cases.tests.story import prohibit_onni_guardian
from opiskeluhuolto.privacy import actions
from opiskeluhuolto.privacy.models import DataRequest
from opiskeluhuolto.privacy.tests.test_guardian_copy import (
    REASON_A,
    REASON_B,
    _guardian,
    _json,
    _pdf_text,
    _two_matters,
)

pytestmark = pytest.mark.django_db

WHY = "Tietojen antaminen vaarantaisi vakavasti Onnin hoidon."


def _admin(cast) -> Client:
    cast.provider.register_responsible = cast.admin
    cast.provider.save(update_fields=["register_responsible"])
    c = Client()
    c.force_login(cast.admin)
    return c


def _guardian_request(cast) -> DataRequest:
    return actions.register_request(cast.onni, by=cast.guardian_onni, kind="gdpr")


def _refuse(cast, req, **extra) -> DataRequest:
    data = {
        "outcome": "refused",
        "ground": "tsl34_health",
        "reason": WHY,
        "answer": "Päätös postitettu.",
    } | extra
    return actions.answer_request(req, by=cast.admin, **data)


# --- the outcome and its reason -------------------------------------------------------


def test_an_answer_without_an_outcome_is_refused_with_a_clear_error(cast):
    req = _guardian_request(cast)
    r = _admin(cast).post(reverse("privacy:answer", args=[req.pk]), {"answer": "Annettu."})
    assert r.status_code == 400 and "Valitse pyynnön lopputulos." in r.text
    req.refresh_from_db()
    assert req.status == DataRequest.Status.OPEN


@pytest.mark.parametrize("outcome", ["partly", "refused"])
def test_withholding_needs_a_legal_ground_and_a_reason(cast, outcome):
    req = _guardian_request(cast)
    url = reverse("privacy:answer", args=[req.pk])
    r = _admin(cast).post(url, {"outcome": outcome, "answer": "Päätös postitettu."})
    assert r.status_code == 400
    assert "Valitse epäämisen oikeusperuste." in r.text
    assert "Kirjoita epäämisen syy; se kerrotaan pyytäjälle." in r.text
    assert not AccessRestriction.objects.exists()

    barred, _other = _two_matters(cast)
    r = _admin(cast).post(
        url,
        {"outcome": outcome, "ground": "tsl34_others", "reason": WHY, "answer": "Postitettu."}
        | ({"cases": [barred.pk]} if outcome == "partly" else {}),
    )
    assert r.status_code == 302
    req.refresh_from_db()
    assert (req.outcome, req.ground, req.reason) == (outcome, "tsl34_others", WHY)


def test_the_errors_are_translated(cast):
    for lang, text in (
        ("sv", "Välj begärans utfall."),
        ("en", "Choose the outcome of the request."),
    ):
        with translation.override(lang):
            from django.core.exceptions import ValidationError

            with pytest.raises(ValidationError) as e:
                actions.answer_request(
                    _guardian_request(cast), by=cast.admin, answer="x", outcome=""
                )
            assert e.value.message_dict["outcome"] == [text]


def test_given_in_full_keeps_no_ground_or_reason(cast):
    req = actions.answer_request(
        _guardian_request(cast),
        by=cast.admin,
        answer="Kopio annettu.",
        outcome="given",
        ground="tsl34_health",
        reason="ei kuulu tähän",
    )
    assert (req.outcome, req.ground, req.reason) == ("given", "", "")
    assert not AccessRestriction.objects.exists()


def test_the_minors_prohibition_is_a_ground_only_while_it_is_in_force(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as e:
        _refuse(cast, _guardian_request(cast), ground="ohl18_2")
    assert "ground" in e.value.message_dict
    prohibit_onni_guardian(cast)
    req = _refuse(cast, _guardian_request(cast), ground="ohl18_2")
    assert req.outcome == "refused"
    # The prohibition itself keeps the guardian out; no second rule is recorded.
    assert not AccessRestriction.objects.exists()
    own = actions.register_request(cast.aino, by=cast.student, kind="gdpr")
    with pytest.raises(ValidationError) as e:
        _refuse(cast, own, ground="ohl18_2")
    assert "ground" in e.value.message_dict


def test_the_requester_sees_the_outcome_the_reason_and_the_ombudsman(cast):
    req = _guardian_request(cast)
    page = _guardian(cast).get(reverse("privacy:my_data"))
    assert "tietosuojavaltuutettu" not in page.text
    _refuse(cast, req)
    page = _guardian(cast).get(reverse("privacy:my_data"))
    assert page.status_code == 200
    assert "evätty" in page.text and WHY in page.text
    assert "Tietosuojalaki 34 §" in page.text and "tietosuojavaltuutetulle" in page.text
    with translation.override("sv"):
        assert "dataombudsmannen" in translation.gettext(
            "Where your request was refused or answered only in part, the reason is given "
            "above. You have the right to lodge a complaint with the Data Protection Ombudsman "
            "(tietosuojavaltuutettu, tietosuoja.fi) and to seek a remedy in court (GDPR Art "
            "12(4), Art 77)."
        )


# --- a guardian's refusal takes effect, and ends ---------------------------------------


def test_a_refused_guardian_gets_none_of_the_students_welfare_data(cast):
    barred, other = _two_matters(cast)
    before = _json(cast)
    assert before["referrals"] and before["consents"] and before["cases"]
    assert REASON_A in _pdf_text(cast)
    c = _guardian(cast)
    assert c.get(reverse("records:case", args=[other.pk])).status_code == 200
    assert len(c.get(reverse("api:cases-list")).json()) == 2

    _refuse(cast, _guardian_request(cast))
    after = _json(cast)
    assert after["referrals"] == [] and after["consents"] == [] and after["cases"] == []
    assert after["appointment_requests"] == [] and after["bookings"] == []
    body = json.dumps(after, ensure_ascii=False)
    for hidden in (REASON_A, REASON_B, "Kotitilanne", "Opintojen tuki", "Kaisa Kuraattori"):
        assert hidden not in body
    assert after["student"][0]["first_name"] == cast.onni.first_name
    text = _pdf_text(cast)
    assert REASON_A not in text and REASON_B not in text and cast.onni.last_name in text
    assert c.get(reverse("records:case", args=[other.pk])).status_code == 404
    assert c.get(reverse("api:cases-list")).json() == []


def test_recording_and_ending_a_refusal_are_audited_and_ending_restores_access(cast):
    _two_matters(cast)
    req = _refuse(cast, _guardian_request(cast))
    restriction = req.restrictions.get()
    recorded = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCESS_REFUSED)
    assert recorded.object_id == restriction.pk and recorded.student_id_ref == cast.onni.pk
    assert recorded.actor_id == cast.admin.pk and recorded.before is None
    assert recorded.after["person"] == cast.guardian_onni.pk
    assert recorded.after["ground"] == "tsl34_health" and recorded.after["ended_at"] is None
    assert WHY not in json.dumps(recorded.after)  # never the reason's text
    assert _json(cast)["cases"] == []

    admin = _admin(cast)
    page = admin.get(reverse("privacy:requests"))
    assert page.status_code == 200 and "Voimassa olevat epäämiset" in page.text
    r = admin.post(reverse("privacy:end_restriction", args=[restriction.pk]))
    assert r.status_code == 302
    restriction.refresh_from_db()
    assert restriction.ended_at is not None and restriction.ended_by == cast.admin
    ended = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCESS_REFUSAL_ENDED)
    assert ended.before["ended_at"] is None and ended.after["ended_at"] is not None
    assert len(_json(cast)["cases"]) == 2
    # Ended once: a second try is 404 (no longer in force).
    r = admin.post(reverse("privacy:end_restriction", args=[restriction.pk]))
    assert r.status_code == 404


def test_a_refusal_is_the_requesters_only(cast):
    """Another guardian of the same child keeps their access."""
    from opiskeluhuolto.organisation import actions as org

    _two_matters(cast)
    other = type(cast.guardian_onni).objects.create(username="toinen", first_name="Toinen")
    org.link_guardian(cast.onni, other)
    _refuse(cast, _guardian_request(cast))
    c = Client()
    c.force_login(other)
    r = c.get(reverse("privacy:copy_json", args=[cast.onni.pk]))
    assert len(json.loads(r.content)["sections"]["cases"]) == 2
    assert _json(cast)["cases"] == []


def test_only_the_register_administration_of_the_students_provider_ends_a_refusal(cast):
    restriction = _refuse(cast, _guardian_request(cast)).restrictions.get()
    for member in ("kuraattori", "rehtori", "guardian_onni"):
        c = Client()
        c.force_login(getattr(cast, member))
        r = c.post(reverse("privacy:end_restriction", args=[restriction.pk]))
        assert r.status_code == 404, member
    restriction.refresh_from_db()
    assert restriction.ended_at is None


# --- the student's own access ------------------------------------------------------------


def test_a_refusal_of_the_students_own_access_closes_her_welfare_data_until_it_ends(cast):
    from opiskeluhuolto.cases.tests.story import meeting, open_aino_case

    case = open_aino_case(cast)
    meeting(case, cast.kuraattori)
    aino = Client()
    aino.force_login(cast.student)

    def copy():
        r = aino.get(reverse("privacy:copy_json", args=[cast.aino.pk]))
        assert r.status_code == 200
        return json.loads(r.content)["sections"]

    before = copy()
    assert before["cases"] and before["referrals"] and before["consents"]
    assert aino.get(reverse("records:case", args=[case.pk])).status_code == 200
    assert len(aino.get(reverse("api:cases-list")).json()) == 1

    req = actions.register_request(cast.aino, by=cast.student, kind="gdpr")
    restriction = _refuse(cast, req).restrictions.get()
    assert restriction.person == cast.student and restriction.student == cast.aino
    after = copy()
    assert after["cases"] == [] and after["referrals"] == [] and after["consents"] == []
    assert after["student"][0]["first_name"] == cast.aino.first_name
    assert aino.get(reverse("records:case", args=[case.pk])).status_code == 404
    assert aino.get(reverse("api:cases-list")).json() == []
    page = aino.get(reverse("privacy:my_data"))
    assert WHY in page.text and "tietosuojavaltuutetulle" in page.text
    # Her guardian's access is the guardian's own matter: untouched.
    matti = Client()
    matti.force_login(cast.guardian)
    assert matti.get(reverse("records:case", args=[case.pk])).status_code == 200

    actions.end_restriction(restriction, by=cast.admin)
    assert len(copy()["cases"]) == 1
    assert aino.get(reverse("records:case", args=[case.pk])).status_code == 200


@override_settings(REQUIRE_STRONG_ID=True)
def test_the_ground_and_reason_need_a_strongly_identified_session(cast):
    """The page of one's requests is open in a weak session (registering a request shows
    nothing held); the ground and reason of a refusal speak of the student's health."""
    from opiskeluhuolto.access.identification import SESSION_KEY

    _refuse(cast, _guardian_request(cast))
    weak = _guardian(cast).get(reverse("privacy:my_data"))
    assert weak.status_code == 200 and "evätty" in weak.text
    assert "tietosuojavaltuutetulle" in weak.text
    assert WHY not in weak.text and "Tietosuojalaki 34 §" not in weak.text
    assert "Tunnistaudu vahvasti" in weak.text

    strong = _guardian(cast)
    session = strong.session
    session[SESSION_KEY] = {
        "provider": "suomifi",
        "acr": "http://ftn.ficora.fi/2017/loa3",
        "at": 0,
        "user": cast.guardian_onni.pk,
    }
    session.save()
    page = strong.get(reverse("privacy:my_data"))
    assert WHY in page.text and "Tietosuojalaki 34 §" in page.text


def test_the_form_shows_every_error_at_once(cast):
    req = _guardian_request(cast)
    r = _admin(cast).post(reverse("privacy:answer", args=[req.pk]), {"outcome": "refused"})
    assert r.status_code == 400
    assert "Kerro, miten pyyntöön vastattiin." in r.text
    assert "Valitse epäämisen oikeusperuste." in r.text
    assert "Kirjoita epäämisen syy; se kerrotaan pyytäjälle." in r.text
