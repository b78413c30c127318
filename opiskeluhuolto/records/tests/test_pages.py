"""Record pages: entry form, amendment conflict, PDF copy, API, who has read my data."""

import subprocess
import tempfile

import pytest
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.records import actions
from opiskeluhuolto.records.models import AccessLogEntry, RecordEntry

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_entry_form_keeps_what_was_typed_on_error(cast, case):
    r = client_for(cast.kuraattori).post(
        reverse("records:add_entry", args=[case.pk]),
        {"kind": "meeting", "decisions": "Sovittu asia", "participants": "Kaisa Kuraattori"},
    )
    assert r.status_code == 200 and "Sovittu asia" in r.text
    assert "nimi ja asema" in r.text  # participant without a position
    assert not RecordEntry.objects.exists()


def test_entry_form_saves_meeting(cast, case):
    r = client_for(cast.kuraattori).post(
        reverse("records:add_entry", args=[case.pk]),
        {
            "kind": "meeting",
            "meeting_date": cast.today.isoformat(),
            "participants": "Kaisa Kuraattori, kuraattori\nAino Opiskelija, opiskelija",
            "decisions": "Tapaamiset viikoittain",
            "plan": "Maanantaisin",
            "implementers": "Kaisa",
            "followers": "Sanna",
        },
    )
    assert r.status_code == 302
    entry = RecordEntry.objects.get()
    assert entry.participants[1] == {"name": "Aino Opiskelija", "position": "opiskelija"}


def test_stale_amendment_is_refused_with_clear_message(cast, case_with_entry):
    entry = RecordEntry.objects.get()
    actions.amend_entry(
        entry, by=cast.supervisor, text="Sannan korjaus", reason="x", expected_version=1
    )
    r = client_for(cast.kuraattori).post(
        reverse("records:amend", args=[entry.pk]),
        {"version": 1, "text": "Kaisan korjaus", "reason": "y"},
    )
    assert r.status_code == 200
    assert "Joku muu korjasi merkintää" in r.text and "Kaisan korjaus" in r.text
    assert "Sannan korjaus" in r.text  # the amendment already saved, shown with the entry
    assert entry.amendments.count() == 1


def test_pdf_copy_is_marked_confidential_and_logged(cast, case_with_entry):
    entry = RecordEntry.objects.get()
    actions.amend_entry(
        entry, by=cast.kuraattori, text="Tarkennettu.", reason="x", expected_version=1
    )
    r = client_for(cast.student).get(reverse("records:pdf", args=[case_with_entry.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(r.content)
        f.flush()
        text = subprocess.run(
            ["pdftotext", f.name, "-"], capture_output=True, text=True, check=True
        ).stdout  # noqa: S603,S607
    assert "SALASSA PIDETTÄVÄ (JulkL 24 §)" in text
    assert "Aino tapaa kuraattoria viikoittain." in text and "Tarkennettu." in text
    assert "Opiskeluhuoltokertomus" in text
    assert AccessLogEntry.objects.filter(action="print", actor_id=cast.student.pk).exists()


def _pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        return subprocess.run(
            ["pdftotext", f.name, "-"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def test_the_students_copy_holds_what_her_page_shows(cast, case_with_entry):
    """Issue 19: the expert group, the consents, the register keeper and who has read it."""
    case = case_with_entry
    cast.provider.register_responsible = cast.admin
    cast.provider.save()
    client_for(cast.kuraattori).get(reverse("records:case", args=[case.pk]))  # a read
    page = client_for(cast.student).get(reverse("records:case", args=[case.pk])).text
    assert cast.provider.name in page  # the register keeper on the page too
    text = _pdf_text(client_for(cast.student).get(reverse("records:pdf", args=[case.pk])).content)
    flat = " ".join(text.split())
    assert "Asiantuntijaryhmä" in flat and "Suostumukset" in flat
    assert cast.supervisor.display_name in flat and cast.kuraattori.display_name in flat
    assert "vastuuhenkilö" in flat and "kirjallinen" in flat.lower()
    assert "Rekisterinpitäjä" in flat and cast.provider.name in flat
    assert cast.admin.display_name in flat
    assert "Kuka on lukenut tietojani" in flat
    readers = flat.split("Kuka on lukenut tietojani", 1)[1]
    assert cast.kuraattori.display_name in readers


def test_api_reads_are_logged(cast, case_with_entry):
    entry = RecordEntry.objects.get()
    actions.amend_entry(entry, by=cast.kuraattori, text="Korjaus", reason="x", expected_version=1)
    r = client_for(cast.kuraattori).get(f"/api/v1/records/cases/{case_with_entry.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["confidential"].startswith("SALASSA") and body["entries"][0]["kind"] == "meeting"
    assert [a["text"] for a in body["entries"][0]["amendments"]] == ["Korjaus"]
    assert AccessLogEntry.objects.filter(action="api_read").count() == 1


def test_who_has_read_my_data(cast, case_with_entry):
    client_for(cast.kuraattori).get(reverse("records:case", args=[case_with_entry.pk]))
    page = client_for(cast.student).get(reverse("records:my_log")).text
    assert cast.kuraattori.display_name in page and "kuraattori" in page


def test_who_has_read_my_data_escapes_what_it_shows(cast, case_with_entry):
    """The latest events are joined outside the template engine: still escaped."""
    cast.kuraattori.title = '<b onclick="x">Kuraattori & co</b>'
    cast.kuraattori.save()
    client_for(cast.kuraattori).get(reverse("records:case", args=[case_with_entry.pk]))
    page = client_for(cast.student).get(reverse("records:my_log")).text
    assert "<b onclick" not in page
    assert "&lt;b onclick=&quot;x&quot;&gt;Kuraattori &amp; co&lt;/b&gt;" in page


def test_access_log_review_for_register_responsible_only(cast, case_with_entry):
    cast.provider.register_responsible = cast.admin
    cast.provider.save()
    client_for(cast.kuraattori).get(reverse("records:case", args=[case_with_entry.pk]))
    assert (
        cast.kuraattori.display_name
        in client_for(cast.admin).get(reverse("records:access_log")).text
    )
    assert client_for(cast.rehtori).get(reverse("records:access_log")).status_code == 404


def test_disclosure_page_refuses_without_basis(cast, case):
    r = client_for(cast.kuraattori).post(
        reverse("records:disclose", args=[case.pk]),
        {"recipient": "Lastensuojelu", "data_items": "Tiedot", "basis": "statute"},
    )
    assert r.status_code == 200 and "Lastensuojelu" in r.text and "lainkohta" in r.text


@pytest.mark.parametrize("few", [1000, 0])  # a few students' rows by student; a provider's by time
def test_access_log_review_pages_newest_first_without_counting(
    cast, case_with_entry, monkeypatch, few
):
    from django.db import connection

    from opiskeluhuolto.records import views

    monkeypatch.setattr(views, "FEW_STUDENTS", few)
    from django.test.utils import CaptureQueriesContext

    cast.provider.register_responsible = cast.admin
    cast.provider.save()
    kaisa = client_for(cast.kuraattori)
    for _ in range(110):
        kaisa.get(reverse("records:case", args=[case_with_entry.pk]))
    admin = client_for(cast.admin)
    with CaptureQueriesContext(connection) as ctx:
        first = admin.get(reverse("records:access_log")).text
    assert not any(
        "COUNT(" in q["sql"].upper() and "records_accesslogentry" in q["sql"]
        for q in ctx.captured_queries
    )
    assert "Sivu 1" in first and "?page=2" in first and "Vanhemmat" in first
    second = admin.get(reverse("records:access_log") + "?page=2").text
    assert "Sivu 2" in second and "?page=1" in second and "?page=3" not in second
    newest = AccessLogEntry.objects.order_by("-at", "-pk").first()
    oldest = AccessLogEntry.objects.order_by("at", "pk").first()
    assert f"<td>{newest.seq}</td>" in first and f"<td>{oldest.seq}</td>" in second


def test_access_log_page_shows_retention_runs(cast):
    from opiskeluhuolto.cases import actions as case_actions
    from opiskeluhuolto.records.models import RetentionClass
    from opiskeluhuolto.records.retention import run_retention

    cast.provider.register_responsible = cast.admin
    cast.provider.save()
    RetentionClass.objects.create(
        provider=cast.provider, document_type="referral", years=1, start_event="received"
    )
    case_actions.file_referral(
        cast.aino,
        by=cast.teacher,
        channel="staff",
        reason="Huoli.",
        received_on=cast.today.replace(year=cast.today.year - 2),
    )
    run_retention(cast.today, run_by="test", dry_run=True)
    page = client_for(cast.admin).get(reverse("records:access_log")).text
    assert "Hävitysajot" in page and "0 asiakirjaa" in page and "esikatselu" in page


def test_register_responsible_extracts_one_students_log(cast, case_with_entry):
    from opiskeluhuolto.cases.tests.story import onni_prohibited_case

    cast.provider.register_responsible = cast.admin
    cast.provider.save()
    onni = onni_prohibited_case(cast)
    kaisa = client_for(cast.kuraattori)
    kaisa.get(reverse("records:case", args=[case_with_entry.pk]))
    kaisa.get(reverse("records:case", args=[onni.pk]))
    admin = client_for(cast.admin)
    everything = admin.get(reverse("records:access_log")).text
    assert "Aino Opiskelija" in everything and "Onni Oppilas" in everything
    extract = admin.post(reverse("records:access_log"), {"q": "Aino"}).text
    assert "Aino Opiskelija" in extract and "Onni Oppilas" not in extract
