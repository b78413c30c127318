"""Several writers of the access log at once: each waits only for the chain's lock, held
during a commit, and the chains stay unbroken (LAW.md L-906-3, issue 21)."""

import pytest
from django.core.management import call_command

from opiskeluhuolto.records import chain
from opiskeluhuolto.records.models import AccessLogEntry
from opiskeluhuolto.records.reading import read_record

from .chains import chain_holds, in_thread, seqs

pytestmark = pytest.mark.django_db


def _read_retrying(user, case):
    """One logged read. The test database is shared-cache in-memory SQLite, which reports
    a lock at once where a file database (busy_timeout) or PostgreSQL waits."""
    import threading

    from django.db import OperationalError

    for _attempt in range(500):
        try:
            read_record(user, case, purpose="x")
            return
        except OperationalError as e:
            if "locked" not in str(e):
                raise
            threading.Event().wait(0.02)
    raise AssertionError("the database stayed locked")


def _two_readers(cast, case, errors, *, chained_before_commit=False):
    """The kuraattori reads in a transaction that stays open until `release` is set; once
    that read is in, the supervisor reads in a thread of its own. With
    `chained_before_commit` the first transaction chains its row (and takes the chain's
    lock) at once, as the trigger does during a commit, on PostgreSQL."""
    import threading

    from django.db import connection, transaction

    holding, release = threading.Event(), threading.Event()

    def holder():
        with transaction.atomic():
            read_record(cast.kuraattori, case, purpose="x")
            if chained_before_commit and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS records_log_chain IMMEDIATE")
            holding.set()
            release.wait(10)

    first = in_thread(holder, errors)
    first.start()
    assert holding.wait(10)
    second = in_thread(lambda: _read_retrying(cast.supervisor, case), errors)
    second.start()
    return first, second, release


def _finish_and_check(first, second, errors, readers):
    """Both threads done without errors, the last two reads by `readers` in chain order,
    linked, and the whole chain intact."""
    first.join(10)
    second.join(10)
    assert errors == []
    reads = list(AccessLogEntry.objects.filter(action="read").order_by("seq"))
    assert [r.actor_id for r in reads[-2:]] == readers
    assert reads[-1].seq == reads[-2].seq + 1 and reads[-1].prev_hash == reads[-2].hash
    call_command("verify_access_log")


@pytest.mark.django_db(transaction=True)
def test_an_open_transaction_does_not_hold_up_other_readers_on_postgresql(cast):
    """On PostgreSQL a row is chained as its transaction commits (records migration 0003),
    so a reader whose transaction is still open makes no other reader wait, and rows are
    chained in the order their transactions commit. On SQLite the write transaction
    itself serialises the readers, in the order they began."""
    from django.db import connection

    from opiskeluhuolto.cases.tests.story import open_aino_case

    errors = []
    first, second, release = _two_readers(cast, open_aino_case(cast), errors)
    second.join(5 if connection.vendor == "postgresql" else 0.5)
    if connection.vendor == "postgresql":
        assert not second.is_alive(), "the second reader waited for an open transaction"
        expected = [cast.supervisor.pk, cast.kuraattori.pk]  # commit order
    else:
        assert second.is_alive(), "the second reader did not wait for the first"
        expected = [cast.kuraattori.pk, cast.supervisor.pk]
    release.set()
    _finish_and_check(first, second, errors, expected)


@pytest.mark.django_db(transaction=True)
def test_a_commit_waits_for_the_chain_lock_and_chains_after_its_holder(cast):
    """Whoever holds the chain's lock (a transaction in its commit) makes a committing
    reader wait; the reader then chains after the holder's row, not from an older
    snapshot. On SQLite a write transaction stands in for the lock."""
    import threading

    from django.db import connection

    from opiskeluhuolto.cases.tests.story import open_aino_case

    errors = []
    first, second, release = _two_readers(
        cast, open_aino_case(cast), errors, chained_before_commit=True
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # until the second reader's commit waits
            for _ in range(500):
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                )
                if cursor.fetchone()[0]:
                    break
                threading.Event().wait(0.01)
            else:
                pytest.fail("the second reader never waited for the lock")
    else:
        second.join(0.5)
        assert second.is_alive(), "the second reader did not wait for the first"
    release.set()
    _finish_and_check(first, second, errors, [cast.kuraattori.pk, cast.supervisor.pk])


@pytest.mark.django_db(transaction=True)
def test_concurrent_readers_leave_one_unbroken_chain(cast):
    from opiskeluhuolto.cases.tests.story import open_aino_case

    case = open_aino_case(cast)
    before = AccessLogEntry.objects.count()
    errors = []
    users = [cast.kuraattori, cast.supervisor] * 3

    def reader(user):
        for _ in range(5):
            _read_retrying(user, case)

    threads = [in_thread(lambda u=u: reader(u), errors) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    rows = list(AccessLogEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert len(rows) == before + 30 and rows == list(range(1, len(rows) + 1))
    assert chain_holds()


@pytest.mark.postgres_only  # on SQLite the write transaction serialises the writers
@pytest.mark.django_db(transaction=True)
def test_a_commit_takes_its_chains_locks_in_the_chains_order(cast):
    """A transaction writing about several students (a work list) takes their chains'
    locks at its commit in the order of the chains' numbers, not of its rows (records
    migration 0009), so two such transactions never each hold a lock the other waits for.
    Here another transaction holds the higher chain's lock: the committing one, whose rows
    came higher first, already holds the lower chain's lock while it waits."""
    import threading
    from datetime import date

    from django.db import connection, transaction

    from opiskeluhuolto.organisation import actions as org
    from opiskeluhuolto.records import log

    eetu = org.enrol_student(
        institution=cast.aino.institution,
        first_name="Eetu",
        last_name="Naapuri",
        date_of_birth=date(2009, 6, 6),
    )
    low, high = sorted([cast.aino, eetu], key=lambda s: s.pk)
    errors, holding, release = [], threading.Event(), threading.Event()

    def holder():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(906017, %s)", [chain.student_chain(high.pk)]
            )
            holding.set()
            release.wait(10)

    def row(student):
        return log.subject_row(
            cast.kuraattori,
            kind="booking",
            subject_id=student.pk,
            student_id=student.pk,
            role="",
            basis="welfare_staff",
            purpose="work list",
            action="read",
        )

    def writer():
        with transaction.atomic():
            log.write([row(high), row(low)])

    first = in_thread(holder, errors)
    first.start()
    assert holding.wait(10)
    second = in_thread(writer, errors)
    second.start()
    held = (
        "SELECT granted FROM pg_locks WHERE locktype = 'advisory' AND classid = 906017"
        " AND objid = %s AND objsubid = 2"
    )
    try:
        with connection.cursor() as cursor:
            for _ in range(500):
                cursor.execute(held, [chain.student_chain(low.pk)])
                low_held = [g for (g,) in cursor.fetchall()]
                cursor.execute(held, [chain.student_chain(high.pk)])
                high_held = sorted(g for (g,) in cursor.fetchall())
                if low_held == [True] and high_held == [False, True]:
                    break
                threading.Event().wait(0.01)
            else:
                pytest.fail(f"not waiting with the lower lock held: {low_held} {high_held}")
    finally:
        release.set()
        first.join(10)
        second.join(10)
    assert errors == []
    assert seqs(chain.student_chain(low.pk)) == [1] and seqs(chain.student_chain(high.pk)) == [1]
    call_command("verify_access_log")
