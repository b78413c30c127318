"""The whole-person access copy and the data requests (LAW.md L-GDPR-3, L-GDPR-4, L-GDPR-6)."""

import json
import subprocess
import tempfile
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.appointments import actions as appointments
from opiskeluhuolto.cases import actions as cases
from opiskeluhuolto.cases.tests.story import meeting, onni_prohibited_case, open_aino_case
from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.privacy import actions
from opiskeluhuolto.privacy.models import DataRequest
from opiskeluhuolto.records.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _story(cast):
    case = open_aino_case(cast)
    meeting(case, cast.kuraattori)
    cases.file_referral(cast.aino, by=cast.student, channel="self", reason="Haluan jutella.")
    appointments.create_request(
        cast.aino,
        service=Role.PSYCHOLOGIST,
        requested_by="student",
        channel="online",
        actor=cast.student,
    )
    return case


def test_the_json_copy_covers_everything_held_and_the_reads_are_logged(cast):
    _story(cast)
    r = client_for(cast.student).get(reverse("privacy:copy_json", args=[cast.aino.pk]))
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    copy = json.loads(r.content)["sections"]
    assert set(copy) >= {
        "student",
        "referrals",
        "consents",
        "prohibitions",
        "cases",
        "appointment_requests",
        "bookings",
        "absences",
        "care_tasks",
        "data_requests",
        "access_log",
    }
    reasons = {ref["reason"] for ref in copy["referrals"]}
    assert {"Poissaoloja ja väsymystä.", "Haluan jutella."} <= reasons
    assert "Aino tapaa kuraattoria viikoittain." in copy["cases"][0]["entries"][0]["text"]
    assert len(copy["appointment_requests"]) >= 2
    # The copy was read through the gate: the record and the other documents are logged.
    printed = AccessLogEntry.objects.filter(actor_id=cast.student.pk, action="print")
    assert {"record", "referral", "request"} <= set(printed.values_list("subject_kind", flat=True))
    call_command("verify_access_log")


def test_the_pdf_copy_is_a_pdf_with_the_record_and_the_referrals(cast):
    _story(cast)
    r = client_for(cast.student).get(reverse("privacy:copy_pdf", args=[cast.aino.pk]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(r.content)
        f.flush()
        text = subprocess.run(
            ["pdftotext", f.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    assert "Yhteydenotot opiskeluhuoltoon" in text and "Haluan jutella." in text
    assert "Aino tapaa kuraattoria viikoittain." in text
    assert "['" not in text and "\\n" not in text  # lists as lines, not as Python values


@pytest.mark.parametrize("who", ["student", "guardian"])
def test_the_copy_holds_the_background_of_the_matter(cast, who):
    """LAW.md L-20-1 (377/2022): the record's background is part of the data held."""
    _story(cast)
    client = client_for(getattr(cast, who))
    copy = json.loads(client.get(reverse("privacy:copy_json", args=[cast.aino.pk])).content)
    case = copy["sections"]["cases"][0]
    assert case["background"] == "Opettaja on huolissaan Ainon poissaoloista ja jaksamisesta."
    r = client.get(reverse("privacy:copy_pdf", args=[cast.aino.pk]))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(r.content)
        f.flush()
        text = subprocess.run(
            ["pdftotext", f.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    flat = " ".join(text.split())
    assert "asian tausta" in flat.lower()
    assert "Opettaja on huolissaan Ainon poissaoloista ja jaksamisesta." in flat


def test_a_guardian_gets_nothing_of_matters_under_a_prohibition(cast):
    onni_prohibited_case(cast)
    r = client_for(cast.guardian_onni).get(reverse("privacy:copy_json", args=[cast.onni.pk]))
    copy = json.loads(r.content)["sections"]
    assert copy["cases"] == [] and copy["prohibitions"] == [] and copy["referrals"] == []


def test_another_students_copy_is_404(cast):
    r = client_for(cast.student).get(reverse("privacy:copy_json", args=[cast.onni.pk]))
    assert r.status_code == 404


def test_requests_are_registered_with_their_legal_deadline(cast):
    r = client_for(cast.student).post(
        reverse("privacy:my_data"), {"student": cast.aino.pk, "kind": "gdpr"}
    )
    assert r.status_code == 302
    req = DataRequest.objects.get()
    assert req.due_on == DataRequest.deadline("gdpr", req.requested_on)
    assert DataRequest.deadline("gdpr", date(2026, 1, 31)) == date(2026, 2, 28)
    assert DataRequest.deadline("publicity", date(2026, 1, 31)) == date(2026, 2, 14)
    bad = client_for(cast.student).post(reverse("privacy:my_data"), {"student": cast.aino.pk})
    assert bad.status_code == 400 and "Valitse" in bad.text
    answered = actions.answer_request(req, by=cast.admin, answer="Kopio annettu.", outcome="given")
    assert answered.status == "answered"


def test_the_privacy_notice_names_the_controller(cast, client):
    provider = cast.aino.institution.provider
    r = client.get(reverse("privacy:notice", args=[provider.pk]))
    assert r.status_code == 200 and provider.name in r.text
    assert "Rekisterinpitäjä" in r.text


def test_the_copy_holds_the_words_and_messages_of_a_request(cast):
    """Issue 19: the request's own words and its messages are the student's data too."""
    from opiskeluhuolto.appointments import conversation

    req = appointments.create_request(
        cast.aino,
        service=Role.SOCIAL_WORKER,
        requested_by="student",
        channel="online",
        actor=cast.student,
        topic="mood",
        topic_text="Nukun huonosti.",
    )
    conversation.post_message(
        req, author=cast.student, body="Voisimmeko tavata Teamsissa?", from_staff=False
    )
    r = client_for(cast.student).get(reverse("privacy:copy_json", args=[cast.aino.pk]))
    text = json.dumps(json.loads(r.content)["sections"]["appointment_requests"], ensure_ascii=False)
    assert "Nukun huonosti." in text and "Voisimmeko tavata Teamsissa?" in text
