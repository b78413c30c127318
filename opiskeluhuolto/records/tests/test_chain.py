"""The access log's hash chain detects a tampered, removed or inserted row (LAW.md L-906-3).

The chains of several writers at once: test_chain_concurrency.py; one chain per student:
test_chains_per_student.py; the database's row hash against Python's: test_row_hash_paths.py."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from opiskeluhuolto.records import chain
from opiskeluhuolto.records.models import AccessLogEntry, AccessLogHead, AppendOnlyError

from .chains import chain_holds, reads, tampering

pytestmark = pytest.mark.django_db


def test_chain_verifies(cast, case_with_entry, capsys):
    reads(cast, case_with_entry)
    call_command("verify_access_log")
    assert "intact" in capsys.readouterr().out


def test_tampered_row_is_reported(cast, case_with_entry):
    reads(cast, case_with_entry)
    victim = AccessLogEntry.objects.order_by("seq")[2]
    with tampering():
        AccessLogEntry.objects.filter(pk=victim.pk).update(actor_name="Joku Muu")
    with pytest.raises(CommandError, match=f"row {victim.seq}: its content"):
        call_command("verify_access_log")


def test_removed_row_is_reported(cast, case_with_entry):
    reads(cast, case_with_entry)
    victim = AccessLogEntry.objects.order_by("seq")[1]
    with tampering():
        AccessLogEntry.objects.filter(pk=victim.pk).delete()
    with pytest.raises(CommandError, match=f"row {victim.seq} is missing"):
        call_command("verify_access_log")


def test_rows_cut_from_the_end_of_a_chain_are_reported(cast, case_with_entry):
    """What is left of a chain cut short still links; its head (records migration 0013)
    shows the cut."""
    reads(cast, case_with_entry)
    last = AccessLogEntry.objects.order_by("seq").last()
    assert AccessLogHead.objects.get(chain=last.chain).seq == last.seq
    with tampering():
        AccessLogEntry.objects.filter(pk=last.pk).delete()
    assert chain_holds()
    with pytest.raises(
        CommandError,
        match=rf"\(student {cast.aino.pk}\) broken at its end: its last row is {last.seq - 1}, "
        rf"its head is row {last.seq}\.",
    ):
        call_command("verify_access_log")


def test_a_chain_removed_whole_is_reported(cast, case_with_entry):
    reads(cast, case_with_entry, 2)
    with tampering():
        AccessLogEntry.objects.all().delete()
    with pytest.raises(
        CommandError, match=r"broken at its end: its head is row \d+, and it has no rows"
    ):
        call_command("verify_access_log")


def test_a_chain_head_only_moves_forward(cast, case_with_entry):
    reads(cast, case_with_entry, 2)
    head = AccessLogHead.objects.get()
    with pytest.raises(DatabaseError, match="only moves forward"), transaction.atomic():
        AccessLogHead.objects.filter(pk=head.pk).update(seq=head.seq - 1)
    reads(cast, case_with_entry, 1)
    assert AccessLogHead.objects.get().seq == head.seq + 1


def test_a_chain_head_is_not_moved_to_another_chain_nor_deleted(cast, case_with_entry):
    """The guard refuses what is not a move forward (records migration 0016 calls it only
    then): a head given another chain, even forward, and a head deleted."""
    reads(cast, case_with_entry, 2)
    head = AccessLogHead.objects.get()
    with pytest.raises(DatabaseError, match="only moves forward"), transaction.atomic():
        AccessLogHead.objects.filter(pk=head.pk).update(chain=head.chain + 1, seq=head.seq + 1)
    if connection.vendor == "postgresql":  # SQLite's test databases are emptied by DELETE
        with pytest.raises(DatabaseError, match="only moves forward"), transaction.atomic():
            AccessLogHead.objects.filter(pk=head.pk).delete()
    assert AccessLogHead.objects.get() == head and AccessLogHead.objects.get().seq == head.seq


def test_rehashed_row_breaks_the_next_link(cast, case_with_entry):
    reads(cast, case_with_entry)
    rows = list(
        AccessLogEntry.objects.order_by("seq").values(
            *chain.FIELDS, *chain.SUBJECT_FIELDS, "prev_hash", "hash"
        )
    )
    forged = {**rows[1], "actor_name": "Joku Muu"}
    new_hash = chain.row_hash(forged["prev_hash"], forged)
    with tampering():
        AccessLogEntry.objects.filter(seq=rows[1]["seq"]).update(
            actor_name="Joku Muu", hash=new_hash
        )
    broken = chain.first_break(
        AccessLogEntry.objects.order_by("seq").values(
            *chain.FIELDS, *chain.SUBJECT_FIELDS, "prev_hash", "hash"
        )
    )
    assert broken.seq == rows[2]["seq"] and "previous" in broken.problem


def test_log_rows_cannot_be_changed_or_deleted_through_the_model(cast, case_with_entry):
    reads(cast, case_with_entry, 1)
    row = AccessLogEntry.objects.first()
    row.actor_name = "x"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()


def test_the_database_refuses_to_change_or_delete_a_log_row(cast, case_with_entry, capsys):
    """Records migration 0012: not only the model; a queryset or plain SQL is refused too.
    SQLite refuses updates only (its test databases are emptied with DELETE)."""
    reads(cast, case_with_entry, 2)
    row = AccessLogEntry.objects.order_by("seq").first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=row.pk).update(purpose="muutettu")
    if connection.vendor == "postgresql":
        # A chained row's links cannot be rewritten either (only a NULL seq is set once).
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AccessLogEntry.objects.filter(pk=row.pk).update(hash="0" * 64)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AccessLogEntry.objects.filter(pk=row.pk).delete()
    assert AccessLogEntry.objects.get(pk=row.pk).purpose == row.purpose
    call_command("verify_access_log")
    assert "intact" in capsys.readouterr().out


def test_the_plain_sql_of_the_log_names_the_model_table_and_every_column():
    """log.write runs plain SQL under its lock: it must stay in step with the model."""
    from opiskeluhuolto.records import log

    assert AccessLogEntry._meta.db_table == "records_accesslogentry"
    columns = {f.column for f in AccessLogEntry._meta.concrete_fields if not f.primary_key}
    assert set(log._COLUMNS) == columns and len(log._COLUMNS) == len(columns)
    assert log._COLUMNS[: len(chain.FIELDS)] == chain.FIELDS


def test_rows_written_by_the_actions_and_the_reads_form_one_chain(cast, case_with_entry):
    from opiskeluhuolto.cases.tests.story import meeting

    reads(cast, case_with_entry, 2)
    meeting(case_with_entry, cast.kuraattori)  # an entry, logged by the action
    reads(cast, case_with_entry, 1)
    rows = list(AccessLogEntry.objects.order_by("seq"))
    assert [r.action for r in rows[-4:]] == ["read", "read", "create", "read"]
    assert (
        chain.first_break(
            AccessLogEntry.objects.order_by("seq").values(
                *chain.FIELDS, *chain.SUBJECT_FIELDS, "prev_hash", "hash"
            )
        )
        is None
    )


def test_a_time_in_another_zone_hashes_as_the_same_instant():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from opiskeluhuolto.records import chain

    row = {f: None for f in chain.FIELDS} | {"seq": 1, "action": "read"}
    utc = datetime(2026, 12, 7, 18, 0, 0, 123456, tzinfo=UTC)
    helsinki = utc.astimezone(ZoneInfo("Europe/Helsinki"))
    assert helsinki.isoformat() != utc.isoformat()
    same = chain.row_hash(chain.GENESIS, row | {"at": helsinki})
    assert same == chain.row_hash(chain.GENESIS, row | {"at": utc})
    assert same != chain.row_hash(chain.GENESIS, row | {"at": utc.replace(microsecond=0)})
