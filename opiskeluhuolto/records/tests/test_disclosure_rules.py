"""Disclosure and transfer (issue 14 item 6; LAW.md L-20-7, L-22-2, L-23-1).

A statutory basis names its section; no section replaces the transfer consent of §23(3);
a closed case can still be disclosed from, by the register administration, and logged;
a staff member's print of the record is a disclosure and writes its entry first.
"""

import subprocess
import tempfile

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.cases import expert_groups
from opiskeluhuolto.records import actions
from opiskeluhuolto.records.models import AccessLogEntry, Disclosure, RecordEntry

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


BASE = {"recipient": "Lastensuojelu", "data_items": "Tapaamisten määrä"}


def test_a_statutory_basis_names_its_section(cast, case):
    with pytest.raises(ValidationError) as e:
        actions.disclose(
            case, by=cast.kuraattori, basis="statute", statute_reference="Lastensuojelulaki", **BASE
        )
    assert "statute_reference" in e.value.message_dict
    d = actions.disclose(
        case,
        by=cast.kuraattori,
        basis="statute",
        statute_reference="Lastensuojelulaki 417/2007 25 §",
        **BASE,
    )
    assert d.statute_reference == "Lastensuojelulaki 417/2007 25 §"


def test_a_section_of_law_does_not_replace_the_transfer_consent(cast, case):
    other = cast.other_provider
    base = dict(by=cast.kuraattori, data_items="Tukitoimet", basis="statute")
    for kwargs in (
        {"recipient": other.name},
        {"recipient": "Uusi koulu", "recipient_provider": other},
    ):
        with pytest.raises(ValidationError) as e:
            actions.disclose(case, statute_reference="OHL 23 § 3 mom.", **base, **kwargs)
        assert "basis" in e.value.message_dict
    # A disclosure consent naming the provider is not the transfer consent either.
    named = expert_groups.give_consent(
        cast.aino,
        recorded_by=cast.kuraattori,
        case=case,
        kind="disclosure",
        given_by="student",
        how="written",
        given_on=cast.today,
        recipient=other.name,
    )
    with pytest.raises(ValidationError) as e:
        actions.disclose(
            case,
            by=cast.kuraattori,
            recipient=other.name,
            data_items="x",
            basis="consent",
            consent=named,
        )
    assert "consent" in e.value.message_dict
    transfer = expert_groups.give_consent(
        cast.aino,
        recorded_by=cast.kuraattori,
        case=case,
        kind="transfer",
        given_by="student",
        how="written",
        given_on=cast.today,
        recipient_provider=other,
    )
    d = actions.disclose(
        case,
        by=cast.kuraattori,
        recipient=other.name,
        data_items="Tukitoimet",
        basis="consent",
        consent=transfer,
    )
    assert d.recipient_provider == other
    assert not Disclosure.objects.filter(basis="statute").exists()


def test_a_closed_case_is_disclosed_from_by_the_register_administration(cast, case):
    cast.provider.register_responsible = cast.admin
    cast.provider.save(update_fields=["register_responsible"])
    expert_groups.close_case(case, by=cast.kuraattori)
    case.refresh_from_db()
    args = dict(basis="statute", statute_reference="Lastensuojelulaki 25 §", **BASE)
    with pytest.raises(ValidationError):
        actions.disclose(case, by=cast.kuraattori, **args)
    d = actions.disclose(case, by=cast.admin, **args)
    assert d.entry.kind == "disclosure" and d.entry.author == cast.admin
    row = AccessLogEntry.objects.get(action="disclose")
    assert (row.actor_id, row.basis) == (cast.admin.pk, "register_admin")
    r = client_for(cast.admin).get(reverse("records:disclose", args=[case.pk]))
    assert r.status_code == 200


def _pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        return subprocess.run(  # noqa: S603
            ["pdftotext", f.name, "-"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def test_a_staff_print_is_a_disclosure_written_first(cast, case_with_entry):
    kaisa = client_for(cast.kuraattori)
    # The student's own copy is not for staff: their print is a disclosure.
    assert kaisa.get(reverse("records:pdf", args=[case_with_entry.pk])).status_code == 404
    url = reverse("records:print", args=[case_with_entry.pk])
    page = kaisa.get(url)
    assert page.status_code == 200 and "luovutus" in page.text.lower()
    r = kaisa.post(
        url, {"recipient": "Lastensuojelu", "data_items": "Koko kertomus", "basis": "statute"}
    )
    assert r.status_code == 200 and r["Content-Type"].startswith("text/html")  # no section
    assert not Disclosure.objects.exists()
    r = kaisa.post(
        url,
        {
            "recipient": "Lastensuojelu",
            "data_items": "Koko kertomus",
            "basis": "statute",
            "statute_reference": "Lastensuojelulaki 25 §",
        },
    )
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    d = Disclosure.objects.get()
    assert (d.recipient, d.disclosed_by, d.entry.kind) == (
        "Lastensuojelu",
        cast.kuraattori,
        "disclosure",
    )
    text = " ".join(_pdf_text(r.content).split())
    assert "Luovutettu vastaanottajalle Lastensuojelu" in text  # the copy shows its disclosure
    actions_logged = set(
        AccessLogEntry.objects.filter(actor_id=cast.kuraattori.pk).values_list("action", flat=True)
    )
    assert {"disclose", "print"} <= actions_logged
    assert RecordEntry.objects.filter(kind="disclosure").count() == 1
