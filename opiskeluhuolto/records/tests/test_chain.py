"""The access log's hash chain detects a tampered, removed or inserted row (LAW.md L-906-3)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opiskeluhuolto.records import chain
from opiskeluhuolto.records.models import AccessLogEntry, AppendOnlyError
from opiskeluhuolto.records.reading import read_record

pytestmark = pytest.mark.django_db


def _reads(cast, case, n=4):
    for _ in range(n):
        read_record(cast.kuraattori, case, purpose="x")


def test_chain_verifies(cast, case_with_entry, capsys):
    _reads(cast, case_with_entry)
    call_command("verify_access_log")
    assert "intact" in capsys.readouterr().out


def test_tampered_row_is_reported(cast, case_with_entry):
    _reads(cast, case_with_entry)
    victim = AccessLogEntry.objects.order_by("seq")[2]
    AccessLogEntry.objects.filter(pk=victim.pk).update(actor_name="Joku Muu")
    with pytest.raises(CommandError, match=f"row {victim.seq}: its content"):
        call_command("verify_access_log")


def test_removed_row_is_reported(cast, case_with_entry):
    _reads(cast, case_with_entry)
    victim = AccessLogEntry.objects.order_by("seq")[1]
    AccessLogEntry.objects.filter(pk=victim.pk).delete()
    with pytest.raises(CommandError, match=f"row {victim.seq} is missing"):
        call_command("verify_access_log")


def test_rehashed_row_breaks_the_next_link(cast, case_with_entry):
    _reads(cast, case_with_entry)
    rows = list(AccessLogEntry.objects.order_by("seq").values(*chain.FIELDS, "prev_hash", "hash"))
    forged = {**rows[1], "actor_name": "Joku Muu"}
    new_hash = chain.row_hash(forged["prev_hash"], forged)
    AccessLogEntry.objects.filter(seq=rows[1]["seq"]).update(actor_name="Joku Muu", hash=new_hash)
    broken = chain.first_break(
        AccessLogEntry.objects.order_by("seq").values(*chain.FIELDS, "prev_hash", "hash")
    )
    assert broken.seq == rows[2]["seq"] and "previous" in broken.problem


def test_log_rows_cannot_be_changed_or_deleted_through_the_model(cast, case_with_entry):
    _reads(cast, case_with_entry, 1)
    row = AccessLogEntry.objects.first()
    row.actor_name = "x"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()


def test_the_plain_sql_of_the_log_names_the_model_table_and_every_column():
    """log.write runs plain SQL under its lock: it must stay in step with the model."""
    from opiskeluhuolto.records import log

    assert AccessLogEntry._meta.db_table == "records_accesslogentry"
    columns = {f.column for f in AccessLogEntry._meta.concrete_fields if not f.primary_key}
    assert set(log._COLUMNS) == columns and len(log._COLUMNS) == len(columns)
    assert log._COLUMNS[: len(chain.FIELDS)] == chain.FIELDS


def test_rows_written_by_the_actions_and_the_reads_form_one_chain(cast, case_with_entry):
    from opiskeluhuolto.cases.tests.story import meeting

    _reads(cast, case_with_entry, 2)
    meeting(case_with_entry, cast.kuraattori)  # an entry, logged by the action
    _reads(cast, case_with_entry, 1)
    rows = list(AccessLogEntry.objects.order_by("seq"))
    assert [r.action for r in rows[-4:]] == ["read", "read", "create", "read"]
    assert (
        chain.first_break(
            AccessLogEntry.objects.order_by("seq").values(*chain.FIELDS, "prev_hash", "hash")
        )
        is None
    )


@pytest.mark.django_db(transaction=True)
def test_a_reader_waiting_for_the_lock_chains_after_the_holders_row(cast):
    """A second reader waits for the first one's transaction and chains after its row.

    On PostgreSQL the lock and the last row go in one round trip, as two statements, so the
    last row is read after the wait, not from a snapshot taken before the holder committed;
    on SQLite the write transaction itself makes the second reader wait."""
    import threading

    from django.db import OperationalError, connection, connections, transaction

    from opiskeluhuolto.cases.tests.story import open_aino_case

    case = open_aino_case(cast)
    holding, release, errors = threading.Event(), threading.Event(), []

    def run(fn):
        def target():
            try:
                fn()
            except Exception as e:  # noqa: BLE001 (reported by the assertion below)
                errors.append(e)
            finally:
                connections.close_all()

        return threading.Thread(target=target)

    def holder():
        with transaction.atomic():
            read_record(cast.kuraattori, case, purpose="x")  # takes the lock until the commit
            holding.set()
            release.wait(10)

    first = run(holder)
    first.start()
    assert holding.wait(10)

    def waiting_reader():
        for _attempt in range(500):
            try:
                read_record(cast.supervisor, case, purpose="x")
                return
            except OperationalError as e:
                # The test database is shared-cache in-memory SQLite, which reports a lock
                # at once where a file database (busy_timeout) or PostgreSQL waits.
                if "locked" not in str(e):
                    raise
                threading.Event().wait(0.02)

    second = run(waiting_reader)
    second.start()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # until the second reader waits for the lock
            for _ in range(500):
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                )
                if cursor.fetchone()[0]:
                    break
                threading.Event().wait(0.01)
            else:
                pytest.fail("the second reader never waited for the lock")
    else:  # SQLite: the second reader's write transaction waits for the first one's
        second.join(0.5)
        assert second.is_alive(), "the second reader did not wait for the first"
    release.set()
    first.join(10)
    second.join(10)
    assert errors == []
    reads = list(AccessLogEntry.objects.filter(action="read").order_by("seq"))
    assert [r.actor_id for r in reads[-2:]] == [cast.kuraattori.pk, cast.supervisor.pk]
    assert reads[-1].seq == reads[-2].seq + 1 and reads[-1].prev_hash == reads[-2].hash
    call_command("verify_access_log")
