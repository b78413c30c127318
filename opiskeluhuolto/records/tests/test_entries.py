"""Entries, amendments, disclosures, rectification (LAW.md L-20-*, L-22-2, L-GDPR-3)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connections

from opiskeluhuolto.cases import expert_groups
from opiskeluhuolto.cases.tests.story import meeting
from opiskeluhuolto.records import actions
from opiskeluhuolto.records.models import (
    AccessLogEntry,
    AppendOnlyError,
    Disclosure,
    RecordEntry,
)

pytestmark = pytest.mark.django_db


def test_entry_author_time_profession_set_by_system(cast, case):
    entry = meeting(case, cast.supervisor)
    assert entry.author == cast.supervisor
    assert entry.author_profession == "ryhmänohjaaja" and entry.created_at
    case.refresh_from_db()
    assert case.next_follow_up_on == entry.follow_up_on
    assert AccessLogEntry.objects.filter(action="create", actor_id=cast.supervisor.pk).exists()


def test_meeting_entry_needs_every_section_20_field(cast, case):
    with pytest.raises(ValidationError) as e:
        actions.add_entry(
            case,
            by=cast.kuraattori,
            kind="meeting",
            participants=[{"name": "Kaisa", "position": ""}],
        )
    fields = set(e.value.message_dict)
    assert {
        "meeting_date",
        "decisions",
        "plan",
        "implementers",
        "followers",
        "participants",
    } <= fields


def test_students_own_wishes_have_a_place(cast, case):
    entry = actions.add_entry(
        case, by=cast.kuraattori, kind="student_view", text="Aino toivoo tapaamisia koululla."
    )
    assert entry.get_kind_display() == "opiskelijan omat toivomukset ja mielipiteet"


def test_non_member_cannot_write(cast, case):
    with pytest.raises(ValidationError, match="Vain asiantuntijaryhmän jäsenet"):
        actions.add_entry(case, by=cast.psykologi, kind="measure", text="x")


def test_entry_cannot_be_edited_in_place(cast, case_with_entry):
    entry = RecordEntry.objects.get(record__case=case_with_entry)
    entry.decisions = "muutettu"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_amendment_keeps_history_and_checks_version(cast, case_with_entry):
    entry = RecordEntry.objects.get(record__case=case_with_entry)
    loaded_by_kaisa = loaded_by_sanna = entry.version
    actions.amend_entry(
        entry,
        by=cast.kuraattori,
        text="Korjaus",
        reason="Väärä päivä",
        expected_version=loaded_by_kaisa,
    )
    with pytest.raises(ValidationError) as e:
        actions.amend_entry(
            entry, by=cast.supervisor, text="Toinen", reason="x", expected_version=loaded_by_sanna
        )
    assert e.value.code == "stale"
    entry.refresh_from_db()
    assert entry.version == 2 and entry.decisions == "Aino tapaa kuraattoria viikoittain."
    assert [a.text for a in entry.amendments.all()] == ["Korjaus"]


def test_amendment_needs_reason(cast, case_with_entry):
    entry = RecordEntry.objects.get(record__case=case_with_entry)
    with pytest.raises(ValidationError) as e:
        actions.amend_entry(entry, by=cast.kuraattori, text="x", reason="", expected_version=1)
    assert "reason" in e.value.message_dict


def test_disclosure_needs_basis_and_matching_recipient(cast, case):
    base = dict(by=cast.kuraattori, recipient="Lastensuojelu", data_items="Tapaamisten määrä")
    with pytest.raises(ValidationError) as e:
        actions.disclose(case, basis="statute", **base)
    assert "statute_reference" in e.value.message_dict
    consent = expert_groups.give_consent(
        cast.aino,
        recorded_by=cast.kuraattori,
        case=case,
        kind="disclosure",
        given_by="student",
        how="written",
        given_on=cast.today,
        recipient="Nuorisoasema",
    )
    with pytest.raises(ValidationError) as e:
        actions.disclose(case, basis="consent", consent=consent, **base)
    assert "recipient" in e.value.message_dict
    d = actions.disclose(
        case, basis="consent", consent=consent, **{**base, "recipient": "nuorisoasema"}
    )
    assert d.entry.kind == "disclosure" and "nuorisoasema" in d.entry.text
    s = actions.disclose(case, basis="statute", statute_reference="LsL 25 §", **base)
    assert Disclosure.objects.count() == 2 and s.statute_reference == "LsL 25 §"
    assert AccessLogEntry.objects.filter(action="disclose").count() == 2


def test_rectification_decision_becomes_an_entry(cast, case_with_entry):
    req = actions.request_rectification(
        case_with_entry, by=cast.student, text="Tapaamisia kahdesti."
    )
    actions.decide_rectification(
        req, by=cast.kuraattori, accepted=False, decision="Merkintä on oikein."
    )
    req.refresh_from_db()
    assert req.status == "rejected" and req.decision_entry.kind == "rectification"
    assert "Merkintä on oikein." in req.decision_entry.text
    with pytest.raises(ValidationError):
        actions.decide_rectification(req, by=cast.kuraattori, accepted=True, decision="x")


@pytest.mark.django_db(transaction=True)
def test_two_entries_at_the_same_moment_both_land(cast):
    """Two members write at once, each in its own connection and transaction."""
    from opiskeluhuolto.cases.tests.story import open_aino_case

    case = open_aino_case(cast)
    barrier = threading.Barrier(2, timeout=10)
    errors = []

    def write(user, text):
        try:
            barrier.wait()
            for _attempt in range(100):
                try:
                    actions.add_entry(case, by=user, kind="measure", text=text)
                    return
                except OperationalError as e:
                    # The test database is shared-cache in-memory SQLite, which reports a
                    # lock at once where a file database (busy_timeout) or PostgreSQL waits.
                    if "locked" not in str(e):
                        raise
                    time.sleep(0.02)
        except Exception as e:  # noqa: BLE001 (reported by the assertion below)
            errors.append(e)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=write, args=(cast.kuraattori, "Kaisan merkintä")),
        threading.Thread(target=write, args=(cast.supervisor, "Sannan merkintä")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    texts = sorted(RecordEntry.objects.filter(record__case=case).values_list("text", flat=True))
    assert texts == ["Kaisan merkintä", "Sannan merkintä"]
    from django.core.management import call_command

    call_command("verify_access_log")


def test_transfer_to_another_provider_needs_its_consent(cast, case):
    """LAW.md L-23-1: data go to the new provider only on a transfer consent naming it."""
    base = dict(by=cast.kuraattori, data_items="Tukitoimet", basis="consent")
    other = cast.other_provider.name
    participants = case.consents.get()  # the expert-group consent: not a transfer consent
    with pytest.raises(ValidationError) as e:
        actions.disclose(case, recipient=other, consent=participants, **base)
    assert "consent" in e.value.message_dict
    transfer = expert_groups.give_consent(
        cast.aino,
        recorded_by=cast.kuraattori,
        case=case,
        kind="transfer",
        given_by="student",
        how="written",
        given_on=cast.today,
        recipient_provider=cast.other_provider,
    )
    with pytest.raises(ValidationError):
        actions.disclose(case, recipient="Kolmas oppilaitos", consent=transfer, **base)
    d = actions.disclose(case, recipient=other, consent=transfer, **base)
    assert d.consent == transfer and d.entry.kind == "disclosure"
