"""The browser tests' demo, seeded once per process and restored for each test
(tests/browser/conftest.py `demo`, docs/testing.md).

`seed_demo --students 60` took about 10 s of CPU before every browser test, in both
database passes of `.ci/run`. Now the first test of a process (an xdist worker) seeds as
before and keeps a copy of the seeded database; each later test gets the copy back
instead of seeding again, so it starts from the same rows (ids, sequences, the access
facts token and the access log's chain included) as the first one did:

- SQLite: a backup (SQLite's backup API) into an in-memory database of this process,
  backed up into the test database again. The live server shares the in-memory test
  database's connection (pytest-django), so it sees the restored rows at once.
- PostgreSQL: `CREATE DATABASE <test db>_demo TEMPLATE <test db>` once; for each test
  `DROP DATABASE <test db> WITH (FORCE)` (the live server's lingering connections
  included) and `CREATE DATABASE <test db> TEMPLATE <test db>_demo`. A file-level copy:
  the triggers see nothing, nothing is bypassed. The copy is dropped when the session
  ends (`discard`).

What the seed leaves outside the database is put back too: the e-mail it sent (the
announcements seed sends through Django's in-memory backend, so `mail.outbox` held it
after seeding). What processes keep in memory about the rows is emptied: the default
cache (access facts, slots, insights; derived from the rows, computed again on demand)
and the content types' cache (their ids change with every flush).

The seed writes times relative to now and dates relative to today, so the copy is used
only on the day it was seeded and for MAX_AGE_SECONDS; then the demo is seeded anew.
`OH_TEST_DEMO_SNAPSHOT=0` seeds before every test as before.
"""

from __future__ import annotations

import copy
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core import mail
from django.core.cache import cache
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

#: A copy older than this is seeded anew: the seed's times are relative to when it ran
#: (a message "two hours ago", an incident "30 minutes ago"), and a test must not find
#: them much older than seeding just before it would have made them.
MAX_AGE_SECONDS = 15 * 60


def enabled() -> bool:
    return os.environ.get("OH_TEST_DEMO_SNAPSHOT", "1") not in ("0", "false", "")


@dataclass
class _Copy:
    day: date
    taken: float  # time.monotonic()
    outbox: list[Any]
    sqlite: sqlite3.Connection | None = None
    postgresql: str | None = None  # the copy's database name


def _connection() -> BaseDatabaseWrapper | None:
    """The default database's connection, if its copy can be kept (SQLite, PostgreSQL,
    and no other test database the seed could write to)."""
    from django.conf import settings

    others = [
        alias
        for alias, db in settings.DATABASES.items()
        if alias != "default" and not db.get("TEST", {}).get("MIRROR")
    ]
    connection = connections["default"]
    if others or connection.vendor not in ("sqlite", "postgresql"):
        return None
    return connection


class DemoSnapshot:
    """The seeded demo of one test session (process), for its default database."""

    def __init__(self) -> None:
        self._copy: _Copy | None = None

    def seeded(self, seed: Callable[[], None]) -> None:
        """Leave the demo in the test database: the copy restored if it is fresh, else
        `seed()` run (into the database as the test found it) and a copy kept."""
        connection = _connection() if enabled() else None
        if connection is None:
            seed()
            return
        kept = self._copy
        if (
            kept is not None
            and kept.day == timezone.localdate()
            and time.monotonic() - kept.taken < MAX_AGE_SECONDS
        ):
            _restore(connection, kept)
            return
        self.discard()
        seed()
        self._copy = _take(connection)

    def discard(self) -> None:
        """Drop the copy (the session ends, or a new one is seeded)."""
        kept, self._copy = self._copy, None
        if kept is None:
            return
        if kept.sqlite is not None:
            kept.sqlite.close()
        if kept.postgresql is not None:
            connection = connections["default"]
            with connection._nodb_cursor() as cursor:
                quote = connection.ops.quote_name
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(kept.postgresql)}")


def _take(connection: BaseDatabaseWrapper) -> _Copy:
    kept = _Copy(
        day=timezone.localdate(),
        taken=time.monotonic(),
        outbox=copy.deepcopy(list(getattr(mail, "outbox", []))),
    )
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        kept.sqlite = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(kept.sqlite)
    else:
        kept.postgresql = _pg_take(connection)
    return kept


def _restore(connection: BaseDatabaseWrapper, kept: _Copy) -> None:
    if kept.sqlite is not None:
        connection.ensure_connection()
        kept.sqlite.backup(connection.connection)
    elif kept.postgresql is not None:
        _pg_restore(connection, kept.postgresql)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    cache.clear()
    if hasattr(mail, "outbox"):
        mail.outbox[:] = copy.deepcopy(kept.outbox)


# --- PostgreSQL ----------------------------------------------------------------------------


def _pg_close(connection: BaseDatabaseWrapper) -> None:
    """This thread's connection closed: CREATE DATABASE ... TEMPLATE wants none to its
    source, DROP DATABASE none to its target. The live server's request threads keep
    theirs while a browser's keep-alive connection lasts: `_pg_take` ends them, DROP
    DATABASE ... WITH (FORCE) in `_pg_restore` too."""
    connection.close()
    connection.close_pool()  # type: ignore[attr-defined]  # PostgreSQL's own


def _pg_take(connection: BaseDatabaseWrapper) -> str:
    quote = connection.ops.quote_name
    name = connection.settings_dict["NAME"]
    snapshot = f"{name}"[:58] + "_demo"
    _pg_close(connection)
    with connection._nodb_cursor() as cursor:
        # One left by a run of this test database that was killed before its end.
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(snapshot)}")
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        cursor.execute(f"CREATE DATABASE {quote(snapshot)} TEMPLATE {quote(name)}")
    return snapshot


def _pg_restore(connection: BaseDatabaseWrapper, snapshot: str) -> None:
    quote = connection.ops.quote_name
    name = connection.settings_dict["NAME"]
    _pg_close(connection)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE {quote(name)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(snapshot)}")
