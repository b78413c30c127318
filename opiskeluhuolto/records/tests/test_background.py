"""The matter's background in the record (LAW.md L-20-1, 377/2022): carried from the case,
shown on the page, in the PDF copy and over the API; old records say it was not recorded."""

import io
import subprocess
import tempfile

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.records.models import WelfareRecord

pytestmark = pytest.mark.django_db

BACKGROUND = "Opettaja on huolissaan Ainon poissaoloista ja jaksamisesta."


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        text = subprocess.run(
            ["pdftotext", f.name, "-"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return " ".join(text.split())


def test_the_record_carries_the_background_of_the_case(case):
    record = WelfareRecord.objects.get(case=case)
    assert case.background == BACKGROUND
    assert record.background == BACKGROUND


def test_the_background_is_stored_encrypted(case):
    with connection.cursor() as c:
        c.execute("SELECT background FROM records_welfarerecord WHERE case_id = %s", [case.pk])
        (raw_record,) = c.fetchone()
        c.execute("SELECT background FROM cases_case WHERE id = %s", [case.pk])
        (raw_case,) = c.fetchone()
    assert "Opettaja" not in raw_record and "Opettaja" not in raw_case


@pytest.mark.parametrize("who", ["kuraattori", "student", "guardian"])
def test_the_record_page_shows_the_background(cast, case, who):
    page = client_for(getattr(cast, who)).get(reverse("records:case", args=[case.pk]))
    assert page.status_code == 200
    facts = page.text.split('id="h-facts"', 1)[1]
    assert "<dt>Tausta</dt>" in facts and BACKGROUND in facts


def test_the_pdf_copy_shows_the_background_between_subject_and_initiator(cast, case):
    r = client_for(cast.student).get(reverse("records:pdf", args=[case.pk]))
    text = _pdf_text(r.content)
    assert "Tausta" in text and BACKGROUND in text
    assert text.index("Asian aihe") < text.index(BACKGROUND) < text.index("Vireillepanija")


def test_the_api_gives_the_background(cast, case):
    r = client_for(cast.kuraattori).get(f"/api/v1/records/cases/{case.pk}")
    assert r.status_code == 200 and r.json()["background"] == BACKGROUND


def test_a_record_made_before_the_field_says_not_recorded(cast, case):
    """What migration records 0012 leaves on an old record: an empty background."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The record refuses updates in the database (records migration 0017); this
            # stands in for an old row, so it borrows key rotation's permission to
            # rewrite an encrypted column.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL records.reencrypting = 'on'")
        WelfareRecord.objects.filter(case=case).update(background="")
    page = client_for(cast.kuraattori).get(reverse("records:case", args=[case.pk])).text
    facts = page.split('id="h-facts"', 1)[1]
    assert "<dt>Tausta</dt>" in facts and "ei kirjattu" in facts
    text = _pdf_text(client_for(cast.student).get(reverse("records:pdf", args=[case.pk])).content)
    assert "Tausta ei kirjattu" in text
    r = client_for(cast.kuraattori).get(f"/api/v1/records/cases/{case.pk}")
    assert r.status_code == 200 and r.json()["background"] == ""


def test_every_demo_matter_has_a_background():
    call_command("seed_demo", "--students", "20", stdout=io.StringIO())
    records = list(WelfareRecord.objects.all())
    assert len(records) >= 4
    for record in records:
        assert len(record.background) > 40 and record.background == record.case.background
