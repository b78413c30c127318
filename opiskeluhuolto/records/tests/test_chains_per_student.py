"""Each student has a chain of their own (issue 21); the rows chained before the split (one
chain, then one per provider) keep verifying (LAW.md L-906-3)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opiskeluhuolto.records import chain
from opiskeluhuolto.records.models import AccessLogEntry

from .chains import reads, seqs, tampering

pytestmark = pytest.mark.django_db


def _log_about(user, student):
    from django.db import transaction

    from opiskeluhuolto.records import log

    row = log.subject_row(
        user,
        kind="copy",
        subject_id=student.pk,
        student_id=student.pk,
        role="",
        basis="own_data",
        purpose="x",
        action="read",
    )
    with transaction.atomic():
        log.write([row, dict(row, purpose="y")])


def _three_students_logged(cast, case):
    """Rows about three students: Aino (the case's reads and two copies), Eetu of the same
    institution and Lotta of the other provider (two rows each)."""
    from datetime import date

    from opiskeluhuolto.organisation import actions as org

    lotta = org.enrol_student(
        institution=cast.other_institution,
        first_name="Lotta",
        last_name="Naapuri",
        date_of_birth=date(2009, 5, 5),
    )
    eetu = org.enrol_student(
        institution=cast.aino.institution,
        first_name="Eetu",
        last_name="Naapuri",
        date_of_birth=date(2009, 6, 6),
    )
    reads(cast, case, 3)
    _log_about(cast.outsider, lotta)
    _log_about(cast.kuraattori, cast.aino)
    _log_about(cast.kuraattori, eetu)
    return {"aino": cast.aino, "eetu": eetu, "lotta": lotta}


def test_each_student_has_a_chain_of_their_own(cast, case_with_entry, capsys):
    """Issue 21: readers about different students, of one provider or two, never queue
    behind one chain's lock; each student's chain starts from its first row."""
    students = _three_students_logged(cast, case_with_entry)
    aino, eetu, lotta = (chain.student_chain(s.pk) for s in students.values())
    assert seqs(eetu) == [1, 2] and seqs(lotta) == [1, 2]
    assert seqs(aino) == list(range(1, len(seqs(aino)) + 1)) and len(seqs(aino)) >= 5
    assert set(AccessLogEntry.objects.values_list("chain", flat=True)) == {aino, eetu, lotta}
    call_command("verify_access_log")
    assert "3 chains" in capsys.readouterr().out
    # A tampered row of one student's chain is reported with its chain and student.
    with tampering():
        AccessLogEntry.objects.filter(chain=lotta, seq=2).update(purpose="muutettu")
    with pytest.raises(
        CommandError, match=rf"chain {lotta} \(student {students['lotta'].pk}\) broken at row 2"
    ):
        call_command("verify_access_log")


@pytest.mark.parametrize("tampered", ["aino", "eetu", "lotta"])
@pytest.mark.parametrize("how", ["changed", "removed"])
def test_a_break_in_any_chain_is_found(cast, case_with_entry, tampered, how):
    """Each chain is checked on its own: a changed or removed row of any is reported with
    its chain, and the other chains are not blamed."""
    students = _three_students_logged(cast, case_with_entry)
    key = chain.student_chain(students.pop(tampered).pk)
    victim = AccessLogEntry.objects.get(chain=key, seq=1)
    if how == "changed":
        with tampering():
            AccessLogEntry.objects.filter(pk=victim.pk).update(actor_name="Joku Muu")
        expected = "broken at row 1: its content"
    else:
        with tampering():
            AccessLogEntry.objects.filter(pk=victim.pk).delete()
        expected = "broken at row 1: row 1 is missing"
    with pytest.raises(CommandError, match=f"chain {key} .*{expected}") as raised:
        call_command("verify_access_log")
    assert str(raised.value).count("broken") == 1
    for other in students.values():
        assert f"chain {chain.student_chain(other.pk)} " not in str(raised.value)


def test_every_broken_chain_is_reported_not_only_the_first(cast, case_with_entry):
    students = _three_students_logged(cast, case_with_entry)
    keys = [chain.student_chain(s.pk) for s in students.values()]
    for key in keys:
        with tampering():
            AccessLogEntry.objects.filter(chain=key, seq=1).update(purpose="muutettu")
    with pytest.raises(CommandError) as raised:
        call_command("verify_access_log")
    for key in keys:
        assert f"chain {key} (student {key - chain.STUDENT_CHAINS}) broken at row 1: its" in str(
            raised.value
        )


def _old_rows(key, student_id, n):
    """`n` rows chained as before the split per student, in chain `key` (0: one chain for
    all, before records migration 0008; a provider's id: that provider's, 0008 on)."""
    from datetime import timedelta

    from django.utils import timezone

    prev, at = chain.GENESIS, timezone.now() - timedelta(days=30 if key == 0 else 20)
    for seq in range(1, n + 1):
        row = {
            "seq": seq,
            "at": at + timedelta(minutes=seq),
            "actor_id": 1,
            "actor_name": "Vanha Lukija",
            "actor_role": "kuraattori",
            "action": "read",
            "basis": "membership",
            "purpose": f"vanha {key}",
            "student_id_ref": student_id,
            "case_id_ref": None,
            "record_id_ref": None,
            "client_ip": "",
        }
        digest = chain.row_hash(prev, row)
        AccessLogEntry.objects.bulk_create(
            [AccessLogEntry(chain=key, prev_hash=prev, hash=digest, **row)]
        )
        prev = digest


def test_rows_chained_before_the_split_still_verify_and_come_first(cast, case_with_entry, capsys):
    """The rows of chain 0 and of the provider's chain keep their chains and hashes: they
    verify as before beside the students' chains, a break in one is still found, and
    "who has read my data" lists a student's rows newest first across the three."""
    from opiskeluhuolto.records.reading import readers_of

    _old_rows(0, cast.aino.pk, 2)
    _old_rows(cast.provider.pk, cast.aino.pk, 3)
    reads(cast, case_with_entry, 2)
    call_command("verify_access_log")
    assert "3 chains" in capsys.readouterr().out
    latest, _summary = readers_of(cast.aino)
    names = [row.actor_name for row in latest]
    assert names[-5:] == ["Vanha Lukija"] * 5 and "Vanha Lukija" not in names[:-5]
    with tampering():
        AccessLogEntry.objects.filter(chain=cast.provider.pk, seq=2).update(purpose="muutettu")
    with pytest.raises(CommandError, match=f"chain {cast.provider.pk} broken at row 2") as raised:
        call_command("verify_access_log")
    assert "chain 0 " not in str(raised.value) and "student" not in str(raised.value)
