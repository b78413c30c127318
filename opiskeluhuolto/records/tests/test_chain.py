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
    _reads(cast, case, 3)
    _log_about(cast.outsider, lotta)
    _log_about(cast.kuraattori, cast.aino)
    _log_about(cast.kuraattori, eetu)
    return {"aino": cast.aino, "eetu": eetu, "lotta": lotta}


def _seqs(key):
    return list(AccessLogEntry.objects.filter(chain=key).values_list("seq", flat=True))


def test_each_student_has_a_chain_of_their_own(cast, case_with_entry, capsys):
    """Issue 21: readers about different students, of one provider or two, never queue
    behind one chain's lock; each student's chain starts from its first row."""
    students = _three_students_logged(cast, case_with_entry)
    aino, eetu, lotta = (chain.student_chain(s.pk) for s in students.values())
    assert _seqs(eetu) == [1, 2] and _seqs(lotta) == [1, 2]
    assert _seqs(aino) == list(range(1, len(_seqs(aino)) + 1)) and len(_seqs(aino)) >= 5
    assert set(AccessLogEntry.objects.values_list("chain", flat=True)) == {aino, eetu, lotta}
    call_command("verify_access_log")
    assert "3 chains" in capsys.readouterr().out
    # A tampered row of one student's chain is reported with its chain and student.
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
        AccessLogEntry.objects.filter(pk=victim.pk).update(actor_name="Joku Muu")
        expected = "broken at row 1: its content"
    else:
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
    _reads(cast, case_with_entry, 2)
    call_command("verify_access_log")
    assert "3 chains" in capsys.readouterr().out
    latest, _summary = readers_of(cast.aino)
    names = [row.actor_name for row in latest]
    assert names[-5:] == ["Vanha Lukija"] * 5 and "Vanha Lukija" not in names[:-5]
    AccessLogEntry.objects.filter(chain=cast.provider.pk, seq=2).update(purpose="muutettu")
    with pytest.raises(CommandError, match=f"chain {cast.provider.pk} broken at row 2") as raised:
        call_command("verify_access_log")
    assert "chain 0 " not in str(raised.value) and "student" not in str(raised.value)


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

    first = _in_thread(holder, errors)
    first.start()
    assert holding.wait(10)
    second = _in_thread(writer, errors)
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
    assert _seqs(chain.student_chain(low.pk)) == [1] and _seqs(chain.student_chain(high.pk)) == [1]
    call_command("verify_access_log")
