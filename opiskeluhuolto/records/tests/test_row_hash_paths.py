"""The database's one copy of the row hash (`records_log_row_hash`, records migration 0011)
hashes as Python's `chain.row_hash` does, through each path that chains rows on PostgreSQL:
the deferred trigger (a write inside a caller's transaction) and `records_log_append` (a
read's statement of its own); and the rows chained before, by the functions of each
earlier migration, keep verifying (LAW.md L-906-3).

On SQLite Python chains every row: these tests would check `chain.row_hash` against itself,
so they run in the PostgreSQL pass only."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from opiskeluhuolto.records import chain, log
from opiskeluhuolto.records.models import AccessLogEntry

from .chains import chain_holds

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

NASTY = "Äiti \"lainaus\" 'heittomerkki' \\ ä\tö\n\x01 😀 </script>"
_ARGS = ("prev", "seq", "at", *chain.FIELDS[2:], *chain.SUBJECT_FIELDS)


def _rows(student: int) -> list[dict]:
    """Rows of every kind about `student`: quotes, "ä" and control characters, missing
    ids (NULL), an empty and an IPv6 address."""
    base = {
        "actor_id": 7,
        "actor_name": NASTY,
        "actor_role": "kuraattori",
        "action": "read",
        "basis": "membership",
        "purpose": 'y "quoted" ä',
        "student_id_ref": student,
        "case_id_ref": None,
        "record_id_ref": None,
        "client_ip": "",
        "subject_kind": chain.RECORD,
        "subject_id": None,
    }
    return [
        {**base, "case_id_ref": 3, "record_id_ref": 4, "client_ip": "2001:db8::1"},
        {**base, "subject_kind": "copy", "subject_id": student, "basis": "own_data"},
        {**base, "subject_kind": "booking", "subject_id": None, "actor_role": "o'ä\""},
        {**base, "subject_kind": "request", "subject_id": 12, "case_id_ref": 3},
        {**base, "subject_kind": "referral", "subject_id": 5, "purpose": NASTY[:100]},
        {**base, "subject_kind": "incident", "subject_id": 6, "action": "print"},
    ]


def _sql_hash(prev: str, seq: int, at: datetime, content: dict) -> str:
    placeholders = ", ".join(["%s"] * len(_ARGS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT records_log_row_hash({placeholders})",
            [prev, seq, at, *(content[f] for f in _ARGS[3:])],
        )
        return cursor.fetchone()[0]


def _python_agrees_with_every_row() -> int:
    """Every stored hash is `chain.row_hash` of its row, each chain holds, and
    `verify_access_log` passes; the number of rows checked."""
    rows = list(
        AccessLogEntry.objects.order_by("chain", "seq").values(
            "chain", *chain.FIELDS, *chain.SUBJECT_FIELDS, "prev_hash", "hash"
        )
    )
    for row in rows:
        assert row["hash"] == chain.row_hash(row["prev_hash"], row), row
    call_command("verify_access_log")
    return len(rows)


def test_the_function_hashes_as_python_does():
    prev = "a" * 64
    for at in (
        datetime(2026, 12, 7, 17, 5, 9, 123456, tzinfo=UTC),
        datetime(2027, 1, 1, 0, 0, 0, 0, tzinfo=UTC),  # no microseconds: still six digits
    ):
        for seq, content in enumerate(_rows(42), start=1):
            expected = chain.row_hash(prev, {"seq": seq, "at": at, **content})
            assert _sql_hash(prev, seq, at, content) == expected, content


def test_the_trigger_and_the_statements_function_call_it_and_hash_nothing_themselves():
    """The hash format is written once in the database (ARCHITECTURE decision 11)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname, prosrc FROM pg_proc WHERE proname IN"
            " ('records_log_chain', 'records_log_append', 'records_log_row_hash')"
        )
        sources = dict(cursor.fetchall())
    assert set(sources) == {"records_log_chain", "records_log_append", "records_log_row_hash"}
    assert "sha256" in sources["records_log_row_hash"]
    for caller in ("records_log_chain", "records_log_append"):
        assert "records_log_row_hash(" in sources[caller]
        assert "sha256(" not in sources[caller] and "to_json(" not in sources[caller]


def test_the_chain_hashes_text_as_python_json_does(cast, case_with_entry):
    """The database builds the hashed JSON itself (`records_log_row_hash`, by the trigger
    here): quotes, backslashes, control characters and non-ASCII text must come out as
    `chain.row_hash` makes them."""
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
    assert chain_holds()
    call_command("verify_access_log")


def _by_trigger(rows):
    with transaction.atomic():
        log.write(rows)


def _by_statement(rows):
    log.write(rows, alone=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", [_by_trigger, _by_statement], ids=["trigger", "statement"])
def test_each_path_chains_rows_that_python_verifies(write):
    """Rows of every kind with awkward text, several about one student in one write,
    continuing a chain, through the trigger (a caller's transaction) or the function (a
    statement of its own)."""
    write(_rows(1) + _rows(2))
    write(_rows(1))
    assert not AccessLogEntry.objects.filter(seq__isnull=True).exists()
    assert _python_agrees_with_every_row() == 18
    assert list(
        AccessLogEntry.objects.filter(chain=chain.student_chain(1)).values_list("seq", flat=True)
    ) == list(range(1, 13))


def _insert_raw(rows, *, subject=True, chain_key=None):
    """Rows inserted unchained by plain SQL, in a transaction of their own: chained by the
    trigger of the migration the database is at, as when they were written. Without
    `subject`: the table has no `subject_kind` and `subject_id` yet (before 0004); with
    `chain_key` None, no `chain` (before 0008)."""
    columns = chain.FIELDS[1:] + (chain.SUBJECT_FIELDS if subject else ())
    if chain_key is not None:
        columns += ("chain",)
    at = datetime.now(UTC)
    with transaction.atomic(), connection.cursor() as cursor:
        for content in rows:
            values = [at, *(content[c] for c in columns[1:] if c != "chain")]
            if chain_key is not None:
                values.append(chain_key)
            cursor.execute(
                f"INSERT INTO records_accesslogentry ({', '.join(columns)})"  # noqa: S608
                f" VALUES ({', '.join(['%s'] * len(columns))})",
                values,
            )


def _migrate(target: str) -> None:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("records", target)])


def _records_leaf() -> str:
    """The newest records migration: the test leaves the database there, so later
    migrations (columns the models expect) are not undone for the tests that follow."""
    from django.db.migrations.executor import MigrationExecutor

    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes("records")
    assert len(leaves) == 1, leaves
    return leaves[0][1]


def _hashes() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, hash FROM records_accesslogentry")
        return dict(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_rows_of_every_earlier_migration_keep_verifying_and_the_migration_reverses():
    """Rows chained by the trigger of 0003 (one chain, about records only), of 0004 (one
    chain, any subject), of 0008 (a provider's chain), of 0009 (a student's), and by both
    paths of 0010, then of 0011: unchanged, all verify.
    Back to 0010 (the functions of 0009 and 0010 again) both paths still chain rows that
    verify, and forward again too."""
    latest = "0011_row_hash_written_once"
    assert not AccessLogEntry.objects.exists()
    try:
        _migrate("0003_chain_at_commit")
        about_records = [r for r in _rows(1) if r["record_id_ref"] is not None]
        _insert_raw(about_records * 2, subject=False)  # 0003 hashed no missing id
        _migrate("0007_incident_subject_and_document_type")
        _insert_raw(_rows(1))  # the one chain of 0004
        _migrate("0008_access_log_chain_per_provider")
        _insert_raw(_rows(1), chain_key=3)  # a provider's chain
        _migrate("0009_access_log_chain_per_student")
        _insert_raw(_rows(1), chain_key=chain.student_chain(1))
        _migrate("0010_log_chained_in_the_statement")
        _by_trigger(_rows(1))
        _by_statement(_rows(2))
        before = _hashes()
        _migrate(latest)
        assert _hashes() == before
        _by_trigger(_rows(1))
        _by_statement(_rows(2))
        assert _python_agrees_with_every_row() == 7 * 6 + 2
        _migrate("0010_log_chained_in_the_statement")
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = 'records_log_row_hash'")
            assert cursor.fetchone()[0] == 0
        _by_trigger(_rows(1))
        _by_statement(_rows(2))
        assert _python_agrees_with_every_row() == 9 * 6 + 2
    finally:
        _migrate(_records_leaf())
    _by_trigger(_rows(2))
    _by_statement(_rows(1))
    assert _python_agrees_with_every_row() == 11 * 6 + 2
    chains = set(AccessLogEntry.objects.values_list("chain", flat=True))
    assert chains == {0, 3, chain.student_chain(1), chain.student_chain(2)}
