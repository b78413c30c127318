"""A second process against the test database, as production runs its task worker and
its several app servers next to each other.

Hand-written: pytest-django gives one process its test database; the tests that show
what another process sees (the task worker, a second app server reading the shared
cache) need that process to reach the same data. They commit what they write
(`django_db(transaction=True)`).

- PostgreSQL: the second process opens the test database by its URL.
- SQLite: the test database lives in this process's memory, so `shared_database` copies
  it into a file for the second process (SQLite's backup API) and copies the file back
  when the block ends, so this process then sees what the other one wrote.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def shared_database(directory: Path) -> Iterator[dict[str, str]]:
    """The environment variables that point a second process at this test's database."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        user = quote(s["USER"] or "", safe="")
        password = quote(s["PASSWORD"] or "", safe="")
        auth = f"{user}:{password}@" if password else f"{user}@"
        yield {"DATABASE_URL": f"postgres://{auth}{s['HOST']}:{s['PORT']}/{s['NAME']}"}
        return
    if connection.vendor != "sqlite":
        raise ImproperlyConfigured(f"PostgreSQL or SQLite only, not {connection.vendor}")
    path = directory / "shared.sqlite3"
    path.unlink(missing_ok=True)
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    yield {"SQLITE_PATH": str(path)}
    with sqlite3.connect(path) as copy:
        copy.backup(connection.connection)


def manage(*args: str, env: dict[str, str], timeout: float = 120) -> str:
    """Run `manage.py args...` with the extra environment; its output, or AssertionError
    with its output when it fails."""
    result = subprocess.run(  # noqa: S603 - our manage.py with arguments from tests
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{output}"
    return result.stdout
