"""Helpers of the access log's tests (records/tests/test_chain*.py, test_row_hash_paths.py)."""

import contextlib
from importlib import import_module

from django.db import connection

from opiskeluhuolto.records import chain
from opiskeluhuolto.records.models import AccessLogEntry
from opiskeluhuolto.records.reading import read_record


def reads(cast, case, n=4):
    """`n` logged reads of the case's record by the kuraattori."""
    for _ in range(n):
        read_record(cast.kuraattori, case, purpose="x")


def chain_holds():
    """Whether the rows, in `seq` order, form one unbroken chain."""
    rows = AccessLogEntry.objects.order_by("seq").values(
        *chain.FIELDS, *chain.SUBJECT_FIELDS, "prev_hash", "hash"
    )
    return chain.first_break(rows) is None


def seqs(key):
    """The `seq` numbers of chain `key`'s rows."""
    return list(AccessLogEntry.objects.filter(chain=key).values_list("seq", flat=True))


def in_thread(fn, errors):
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


@contextlib.contextmanager
def tampering():
    """The log's append-only trigger (records migration 0012) switched off for the block, as
    an attacker who owns the database could: the tests of what the chain then detects."""
    guard = import_module(
        "opiskeluhuolto.records.migrations.0012_access_log_append_only_in_the_database"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE records_accesslogentry DISABLE TRIGGER records_log_append_only"
            )
        else:
            cursor.execute("DROP TRIGGER records_log_no_update")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "ALTER TABLE records_accesslogentry ENABLE TRIGGER records_log_append_only"
                )
            else:
                cursor.execute(guard.SQLITE_TRIGGER)
