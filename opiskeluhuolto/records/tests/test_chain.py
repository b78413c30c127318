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
    rows = list(
        AccessLogEntry.objects.order_by("seq").values(
            *chain.FIELDS, *chain.SUBJECT_FIELDS, "prev_hash", "hash"
        )
    )
    forged = {**rows[1], "actor_name": "Joku Muu"}
    new_hash = chain.row_hash(forged["prev_hash"], forged)
    AccessLogEntry.objects.filter(seq=rows[1]["seq"]).update(actor_name="Joku Muu", hash=new_hash)
    broken = chain.first_break(
        AccessLogEntry.objects.order_by("seq").values(
            *chain.FIELDS, *chain.SUBJECT_FIELDS, "prev_hash", "hash"
        )
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
            AccessLogEntry.objects.order_by("seq").values(
                *chain.FIELDS, *chain.SUBJECT_FIELDS, "prev_hash", "hash"
            )
        )
        is None
    )


def _in_thread(fn, errors):
    """`fn` in a thread with its own connection; an exception lands in `errors`."""
    import threading

    from django.db import connections

    def target():
        try:
            fn()
        except Exception as e:  # noqa: BLE001 (reported by the assertions)
            errors.append(e)
        finally:
            connections.close_all()

    return threading.Thread(target=target)


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

    first = _in_thread(holder, errors)
    first.start()
    assert holding.wait(10)
    second = _in_thread(lambda: _read_retrying(cast.supervisor, case), errors)
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


def _chain_holds():
    rows = AccessLogEntry.objects.order_by("seq").values(
        *chain.FIELDS, *chain.SUBJECT_FIELDS, "prev_hash", "hash"
    )
    return chain.first_break(rows) is None


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

    threads = [_in_thread(lambda u=u: reader(u), errors) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    rows = list(AccessLogEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert len(rows) == before + 30 and rows == list(range(1, len(rows) + 1))
    assert _chain_holds()


@pytest.mark.postgres_only  # on SQLite Python chains the rows: it would check itself
def test_the_chain_hashes_text_as_python_json_does(cast, case_with_entry):
    """The PostgreSQL trigger builds the hashed JSON itself: quotes, backslashes, control
    characters and non-ASCII text must come out as `chain.row_hash` makes them."""
    from django.db import transaction

    from opiskeluhuolto.records import log

    record = case_with_entry.record
    nasty = 'Äö "lainaus" \\ \t\n\r\b\f\x01\x1f \x7f \u2028 😀 </script>'
    with transaction.atomic():
        row = log.row_for(
            cast.kuraattori, action="read", basis="membership", purpose=nasty, record=record
        )
        row["actor_name"] = row["actor_role"] = nasty
        row["client_ip"] = "2001:db8::1"
        log.write([row, dict(row, purpose="toinen")])
    written = AccessLogEntry.objects.filter(purpose=nasty[:100]).get()
    assert written.actor_name == nasty and written.hash
    assert _chain_holds()
    call_command("verify_access_log")


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


def _two_providers_logged(cast, case):
    """Rows in two chains: ours (the case's reads) and the other provider's (two rows)."""
    from datetime import date

    from opiskeluhuolto.organisation import actions as org

    lotta = org.enrol_student(
        institution=cast.other_institution,
        first_name="Lotta",
        last_name="Naapuri",
        date_of_birth=date(2009, 5, 5),
    )
    _reads(cast, case, 3)
    _log_about(cast.outsider, lotta)
    _log_about(cast.kuraattori, cast.aino)


def test_each_provider_has_its_own_chain(cast, case_with_entry, capsys):
    """Issue 21: readers of different providers never queue behind one chain's lock."""
    _two_providers_logged(cast, case_with_entry)
    ours = list(AccessLogEntry.objects.filter(chain=cast.provider.pk).values_list("seq", flat=True))
    theirs = list(
        AccessLogEntry.objects.filter(chain=cast.other_provider.pk).values_list("seq", flat=True)
    )
    assert theirs == [1, 2]  # a chain of its own, from the first row
    assert ours == list(range(1, len(ours) + 1)) and len(ours) >= 5
    assert not AccessLogEntry.objects.filter(chain=0).exists()
    call_command("verify_access_log")
    assert "2 chains" in capsys.readouterr().out
    # A tampered row of one provider's chain is reported with its chain.
    victim = AccessLogEntry.objects.get(chain=cast.other_provider.pk, seq=2)
    AccessLogEntry.objects.filter(pk=victim.pk).update(purpose="muutettu")
    with pytest.raises(CommandError, match=f"chain {cast.other_provider.pk} broken at row 2"):
        call_command("verify_access_log")


@pytest.mark.parametrize("tampered", ["provider", "other_provider"])
@pytest.mark.parametrize("how", ["changed", "removed"])
def test_a_break_in_either_chain_is_found(cast, case_with_entry, tampered, how):
    """Each provider's chain is checked on its own: a changed or removed row of either is
    reported with its chain, and the other chain is not blamed."""
    _two_providers_logged(cast, case_with_entry)
    key, other = getattr(cast, tampered).pk, {cast.provider.pk, cast.other_provider.pk}
    other.discard(key)
    victim = AccessLogEntry.objects.get(chain=key, seq=1)
    if how == "changed":
        AccessLogEntry.objects.filter(pk=victim.pk).update(actor_name="Joku Muu")
        expected = f"chain {key} broken at row 1: its content"
    else:
        AccessLogEntry.objects.filter(pk=victim.pk).delete()
        expected = f"chain {key} broken at row 1: row 1 is missing"
    with pytest.raises(CommandError, match=expected) as raised:
        call_command("verify_access_log")
    assert f"chain {other.pop()} " not in str(raised.value)


def test_every_broken_chain_is_reported_not_only_the_first(cast, case_with_entry):
    _two_providers_logged(cast, case_with_entry)
    for key in (cast.provider.pk, cast.other_provider.pk):
        AccessLogEntry.objects.filter(chain=key, seq=2).update(purpose="muutettu")
    with pytest.raises(CommandError) as raised:
        call_command("verify_access_log")
    for key in (cast.provider.pk, cast.other_provider.pk):
        assert f"chain {key} broken at row 2: its content" in str(raised.value)
