"""A chain of the access log cannot fork (LAW.md L-906-3): no two rows of one chain take the
same place, and a row linked to any but the row before it is reported.

On PostgreSQL a row's place is given under its chain's lock from the chain's last row:
`seq` is that row's `seq` + 1 and `prev_hash` that row's hash, both from the same row
(records migrations 0009, 0016). Two rows after the same row therefore share their
`(chain, seq)`, which is unique; a unique `(chain, prev_hash)` refused nothing more and was
dropped (records migration 0018). These tests hold the refusals to that one constraint."""

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from opiskeluhuolto.records import chain, log
from opiskeluhuolto.records.models import AccessLogEntry

from .chains import in_thread, seqs

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _row(cast):
    return log.subject_row(
        cast.kuraattori,
        kind="booking",
        subject_id=cast.aino.pk,
        student_id=cast.aino.pk,
        role="",
        basis="welfare_staff",
        purpose="work list",
        action="read",
    )


def test_a_commit_chaining_from_a_stale_snapshot_is_refused_by_chain_and_seq(cast):
    """A transaction whose snapshot was taken before another write to the chain committed
    (REPEATABLE READ) finds an old last row under the lock at its commit: the place it
    gives its row is taken, and `(chain, seq)` refuses the commit. The chain keeps one row
    in each place, unbroken."""
    key = chain.student_chain(cast.aino.pk)
    log.write_use([_row(cast)])
    errors: list = []
    with (
        pytest.raises(IntegrityError, match="records_log_unique_chain_seq"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT count(*) FROM records_accesslogentry")  # the snapshot
        other = in_thread(lambda: log.write_use([_row(cast)]), errors)
        other.start()
        other.join(10)
        log.write([_row(cast)])  # chained by the trigger at this commit
    assert errors == []
    assert seqs(key) == [1, 2]
    call_command("verify_access_log")


def test_a_row_given_a_taken_place_is_refused_and_a_row_linked_past_its_place_reported(cast):
    """Rows inserted already chained (a restored dump; the trigger leaves their `seq`
    alone): a second row after row 1 is refused by `(chain, seq)`; a row that takes a free
    place but links to an older row is stored and `verify_access_log` reports it, as it
    reports any row whose link or content was forged."""
    key = chain.student_chain(cast.aino.pk)
    log.write_use([_row(cast)])
    log.write_use([_row(cast)])
    first, second = AccessLogEntry.objects.filter(chain=key).order_by("seq")
    columns = ("chain", *chain.FIELDS, *chain.SUBJECT_FIELDS, "prev_hash", "hash")
    values = AccessLogEntry.objects.filter(pk=second.pk).values(*columns).get()
    forged = {**values, "actor_name": "Joku muu"}
    forged["hash"] = chain.row_hash(first.hash, forged)

    def insert(row):
        sql = (
            f"INSERT INTO records_accesslogentry ({', '.join(columns)})"  # noqa: S608
            f" VALUES ({', '.join(['%s'] * len(columns))})"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row[c] for c in columns])

    with pytest.raises(IntegrityError, match="records_log_unique_chain_seq"):
        insert(forged)  # seq 2 after row 1, as the stored row 2
    assert seqs(key) == [1, 2]
    call_command("verify_access_log")
    forged["seq"] = 3
    forged["hash"] = chain.row_hash(first.hash, forged)
    insert(forged)  # seq 3, but after row 1
    with pytest.raises(CommandError, match="broken at row 3"):
        call_command("verify_access_log")
