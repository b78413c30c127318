"""A use whose only write is its log rows (a read) writes them as one statement committing
by itself on PostgreSQL, outside a transaction (`log.can_write_alone`, issue 21 item 3):
no BEGIN and COMMIT round trips, and the rows are chained and durable before the content
is shown. SQLite keeps its write transaction."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opiskeluhuolto.records import chain
from opiskeluhuolto.records.models import AccessLogEntry
from opiskeluhuolto.records.reading import Read, log_reads, read_record

from .chains import chain_holds

pytestmark = pytest.mark.django_db

#: What the log's write statements contain: the INSERT of a write in a transaction, and
#: the call of `records_log_append` (records migration 0010) of a write of its own.
_LOG_WRITE = "records_log"
_CHAINED = "SELECT records_log_append("


def _spy_autocommit(monkeypatch) -> list[bool]:
    """The autocommit changes made from now on: a transaction begins with `False`."""
    changes: list[bool] = []
    set_autocommit = connection.set_autocommit

    def spy(autocommit, **kwargs):
        changes.append(autocommit)
        return set_autocommit(autocommit, **kwargs)

    monkeypatch.setattr(connection, "set_autocommit", spy)
    return changes


@pytest.mark.django_db(transaction=True)
def test_a_read_outside_a_transaction_is_logged_by_one_statement_of_its_own(
    cast, case_with_entry, monkeypatch
):
    """A read writes nothing but its log row. On PostgreSQL, outside a transaction, the row
    is one INSERT that commits by itself (no BEGIN and COMMIT round trips: issue 21, item
    3), chained by the statement itself before the content is returned; on SQLite the
    write transaction chains it as before."""
    autocommit_changes = _spy_autocommit(monkeypatch)
    before = AccessLogEntry.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        view = read_record(cast.kuraattori, case_with_entry, purpose="x")
    monkeypatch.undo()
    assert view is not None and view.entries
    logged = [q["sql"] for q in ctx.captured_queries if _LOG_WRITE in q["sql"]]
    row = AccessLogEntry.objects.order_by("-pk").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert (row.actor_id, row.record_id_ref) == (cast.kuraattori.pk, view.record.pk)
    assert row.seq is not None and row.hash  # chained, and committed: seen from here
    assert chain_holds()
    if connection.vendor == "postgresql":
        assert autocommit_changes == []  # no transaction was opened
        assert len(logged) == 1 and logged[0].startswith(_CHAINED)
    else:
        assert autocommit_changes[0] is False  # the write transaction of SQLite


@pytest.mark.django_db(transaction=True)
def test_reads_of_requests_and_bookings_are_logged_by_one_statement_of_their_own(cast, monkeypatch):
    """The pages listing requests and bookings (`log_reads`) log their rows the same way:
    one statement committing by itself on PostgreSQL, the write transaction on SQLite; every
    row chained, one per document shown."""
    reads = [
        Read(AccessLogEntry.Subject.REQUEST, 11, cast.aino.pk, cast.aino.institution_id),
        Read(AccessLogEntry.Subject.BOOKING, 12, cast.aino.pk, cast.aino.institution_id),
    ]
    before = AccessLogEntry.objects.count()
    autocommit_changes = _spy_autocommit(monkeypatch)
    with CaptureQueriesContext(connection) as ctx:
        log_reads(cast.kuraattori, reads, purpose="x")
    monkeypatch.undo()
    logged = [q["sql"] for q in ctx.captured_queries if _LOG_WRITE in q["sql"]]
    rows = list(AccessLogEntry.objects.order_by("pk")[before:])
    assert [(r.subject_kind, r.subject_id) for r in rows] == [("request", 11), ("booking", 12)]
    assert all(r.seq is not None and r.hash for r in rows)  # chained and committed
    assert chain_holds()
    if connection.vendor == "postgresql":
        assert autocommit_changes == []
        assert len(logged) == 1 and logged[0].startswith(_CHAINED)
    else:
        assert autocommit_changes[0] is False


def _chains_hold() -> dict[int, int]:
    """Each chain's length, after checking that every chain holds."""
    rows = AccessLogEntry.objects.order_by("chain", "seq").values(
        "chain", *chain.FIELDS, *chain.SUBJECT_FIELDS, "prev_hash", "hash"
    )
    by_chain: dict[int, list] = {}
    for row in rows:
        by_chain.setdefault(row["chain"], []).append(row)
    for key, mine in by_chain.items():
        assert chain.first_break(mine) is None, key
    return {key: len(mine) for key, mine in by_chain.items()}


@pytest.mark.django_db(transaction=True)
def test_rows_chained_by_their_statement_continue_the_chains_the_trigger_writes(cast):
    """A write of its own chains its rows itself (`records_log_append` on PostgreSQL), a
    write in a transaction by the trigger at the commit: mixed, and with several rows about
    one student in one write, each student's chain holds and every row is in it once."""
    from django.db import transaction

    from opiskeluhuolto.records import log

    def rows(*students, purpose="x"):
        return [
            log.subject_row(
                cast.kuraattori,
                kind=AccessLogEntry.Subject.BOOKING,
                subject_id=i,
                student_id=s.pk,
                role="kuraattori",
                basis="membership",
                purpose=purpose,
                action="read",
            )
            for i, s in enumerate(students, start=1)
        ]

    before = _chains_hold()
    log.write_use(rows(cast.aino, cast.eero, cast.aino))  # alone on PostgreSQL
    with transaction.atomic():
        log.write(rows(cast.aino, cast.onni))  # chained by the trigger at the commit
    log.write_use(rows(cast.onni, cast.aino, purpose='y "quoted" ä'))
    after = _chains_hold()
    grew = {key: n - before.get(key, 0) for key, n in after.items() if n != before.get(key, 0)}
    assert grew == {
        chain.student_chain(cast.aino.pk): 4,
        chain.student_chain(cast.eero.pk): 1,
        chain.student_chain(cast.onni.pk): 2,
    }
    assert not AccessLogEntry.objects.filter(seq__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_rows_of_one_chain_in_one_write_are_chained_in_the_order_given(cast):
    """One write with a student's rows spread among others' (a page listing a student's
    request and bookings): each chain takes its rows in the order given, one after the
    other (`records_log_append` chains a chain's second row from its first, records
    migration 0016), and the rows are inserted in the order given."""
    from opiskeluhuolto.records import log

    order = [cast.aino, cast.eero, cast.aino, cast.onni, cast.aino, cast.aino, cast.eero]
    rows = [
        log.subject_row(
            cast.kuraattori,
            kind=AccessLogEntry.Subject.BOOKING,
            subject_id=i,
            student_id=s.pk,
            role="kuraattori",
            basis="membership",
            purpose="x",
            action="read",
        )
        for i, s in enumerate(order, start=1)
    ]
    log.write_use(rows)
    log.write_use(rows[:2])
    _chains_hold()
    written = list(AccessLogEntry.objects.order_by("pk").values_list("subject_id", "chain", "seq"))
    assert [subject for subject, _, _ in written] == [1, 2, 3, 4, 5, 6, 7, 1, 2]
    seqs: dict[int, list[int]] = {}
    for _, key, seq in written:
        seqs.setdefault(key, []).append(seq)
    assert seqs == {
        chain.student_chain(cast.aino.pk): [1, 2, 3, 4, 5],
        chain.student_chain(cast.eero.pk): [1, 2, 3],
        chain.student_chain(cast.onni.pk): [1],
    }
