"""Test databases migrated once and copied for every worker (docs/testing.md).

Migrating (~120 migrations, mostly Django rendering the migration state, not SQL) took
about half of the test setup's CPU, in every xdist worker of every pass. Now the first
process to need a test database migrates its own as before and saves a copy of it as a
template, keyed by a hash of everything the migrations run; every other worker, and
every later run with the same migrations, copies the template instead:

- SQLite: the in-memory test database is saved to var/test-databases/sqlite-<key>.sqlite3
  and loaded back with SQLite's backup API.
- PostgreSQL: a template database `test_<name>_tmpl_<key>`; a worker's database is
  `CREATE DATABASE test_<name>_gwN TEMPLATE test_<name>_tmpl_<key>`.

An fcntl lock under var/test-databases/ makes the workers take turns: one migrates, the
others wait and copy. Saving a template removes the templates of other keys (a template
in use is left alone). OH_TEST_DB_TEMPLATE=0 migrates every worker's database as before;
deleting var/test-databases/ (SQLite) or dropping the template database (PostgreSQL)
forces a new migration.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

DIRECTORY = Path(__file__).resolve().parents[2] / "var" / "test-databases"
_IMPORT = re.compile(
    r"^\s*(?:from|import)\s+(opiskeluhuolto[\w.]*)(?:\s+import\s+([\w, ]+))?", re.M
)


def enabled() -> bool:
    return os.environ.get("OH_TEST_DB_TEMPLATE", "1") not in ("0", "false", "")


def _module_file(name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


def _migration_files() -> list[Path]:
    """Every installed app's migration files, and the project modules they import (the
    trigger SQL lives in opiskeluhuolto/access/triggers.py), transitively."""
    files: list[Path] = []
    for app in apps.get_app_configs():
        module, _ = MigrationLoader.migrations_module(app.label)
        if module is None:
            continue
        try:
            spec = importlib.util.find_spec(module)
        except ImportError:
            continue
        for directory in (spec and spec.submodule_search_locations) or ():
            files += sorted(Path(directory).glob("*.py"))
    seen = set(files)
    queue = list(files)
    while queue:
        for match in _IMPORT.finditer(queue.pop().read_text(encoding="utf-8")):
            base, names = match.group(1), match.group(2)
            candidates = [base] + [f"{base}.{n.strip()}" for n in (names or "").split(",")]
            for name in candidates:
                path = _module_file(name) if name.strip(".") == name else None
                if path is not None and path not in seen:
                    seen.add(path)
                    files.append(path)
                    queue.append(path)
    return files


def template_key(connection: BaseDatabaseWrapper) -> str:
    """Changes when anything the migrations (or createcachetable) run changes."""
    digest = hashlib.sha256()
    versions = f"{django.get_version()} {connection.vendor} {sqlite3.sqlite_version}"
    digest.update(versions.encode())
    caches = [c for c in settings.CACHES.values() if "DatabaseCache" in c["BACKEND"]]
    digest.update(repr(caches).encode())
    for path in _migration_files():
        digest.update("/".join(path.parts[-3:]).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def _locked(name: str) -> Iterator[None]:
    DIRECTORY.mkdir(parents=True, exist_ok=True)
    with open(DIRECTORY / f"{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _use(connection: BaseDatabaseWrapper, test_name: str) -> None:
    """Point the connection at its test database, as create_test_db does."""
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()


# --- SQLite --------------------------------------------------------------------------------


def _sqlite(connection: BaseDatabaseWrapper, original: Callable[..., str], **kwargs: Any) -> str:
    creation: Any = connection.creation  # its private helpers are not in the stubs
    test_name = creation._get_test_db_name()
    path = DIRECTORY / f"sqlite-{template_key(connection)}.sqlite3"
    with _locked("sqlite"):
        if not path.exists():
            test_name = original(**kwargs)
            partial_file = path.with_name(f"{path.name}.{os.getpid()}.partial")
            with closing(sqlite3.connect(partial_file)) as target:
                connection.connection.backup(target)
            os.replace(partial_file, path)
            for other in DIRECTORY.glob("sqlite-*"):
                if other != path:
                    other.unlink(missing_ok=True)
            return test_name
        if kwargs.get("verbosity", 1) >= 1:
            creation.log(f"Copying the test database for alias {connection.alias!r} from {path}")
        _use(connection, test_name)
        with closing(sqlite3.connect(path)) as source:
            source.backup(connection.connection)
    call_command("createcachetable", database=connection.alias)
    return test_name


# --- PostgreSQL ----------------------------------------------------------------------------


def _databases(connection: BaseDatabaseWrapper, prefix: str) -> list[str]:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_catalog.pg_database")
        return [name for (name,) in cursor.fetchall() if name.startswith(prefix)]


def _postgresql(
    connection: BaseDatabaseWrapper, original: Callable[..., str], **kwargs: Any
) -> str:
    creation: Any = connection.creation  # its private helpers are not in the stubs
    quote = connection.ops.quote_name
    s = connection.settings_dict
    prefix = f"test_{s['NAME']}"[:40] + "_tmpl_"
    template = prefix + template_key(connection)
    lock = re.sub(r"[^\w.-]", "_", f"postgresql-{s['HOST']}-{s['PORT']}-{s['NAME']}")
    with _locked(lock):
        if template not in _databases(connection, template):
            test_name = original(**kwargs)
            # CREATE DATABASE ... TEMPLATE wants no connection to its source.
            connection.close()
            connection.close_pool()  # type: ignore[attr-defined]  # PostgreSQL's own
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(test_name)}")
                for other in _databases(connection, prefix):
                    if other != template:
                        # Refused while another run copies it: left for later.
                        with suppress(DatabaseError):
                            cursor.execute(f"DROP DATABASE {quote(other)}")
            connection.ensure_connection()
            return test_name
        if kwargs.get("verbosity", 1) >= 1:
            creation.log(
                f"Copying the test database for alias {connection.alias!r} from {template}"
            )
        test_settings = s["TEST"]
        before = test_settings.get("TEMPLATE")
        test_settings["TEMPLATE"] = template
        try:  # autoclobber: a database left by an earlier run is dropped first
            test_name = creation._create_test_db(kwargs.get("verbosity", 1), True, False)
        finally:
            test_settings["TEMPLATE"] = before
        _use(connection, test_name)
    call_command("createcachetable", database=connection.alias)
    return test_name


# --- Wiring ----------------------------------------------------------------------------


def _create_test_db(
    connection: BaseDatabaseWrapper, original: Callable[..., str], **kwargs: Any
) -> str:
    creation: Any = connection.creation  # its private helpers are not in the stubs
    if kwargs.get("keepdb") or kwargs.get("serialize") is not None:
        return original(**kwargs)
    if connection.vendor == "sqlite" and creation.is_in_memory_db(creation._get_test_db_name()):
        return _sqlite(connection, original, **kwargs)
    if connection.vendor == "postgresql":
        return _postgresql(connection, original, **kwargs)
    return original(**kwargs)


@contextmanager
def from_templates() -> Iterator[None]:
    """While the block runs, `create_test_db` (Django's `setup_databases`) copies each
    test database from its template, migrating and saving the template first if needed."""
    if not enabled():
        yield
        return
    patched = []
    for connection in connections.all():
        creation: Any = connection.creation  # its private helpers are not in the stubs
        original = creation.create_test_db
        creation.create_test_db = partial(_create_test_db, connection, original)
        patched.append(creation)
    try:
        yield
    finally:
        for creation in patched:
            del creation.create_test_db


def main() -> None:
    """`python -m opiskeluhuolto.testing.databases`: migrate the template of the
    configured database now if it is missing (.ci/run does it while lint runs)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opiskeluhuolto.settings")
    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    for db in settings.DATABASES.values():  # never the name a test run's database has
        if db["ENGINE"].endswith("postgresql"):
            db.setdefault("TEST", {})["NAME"] = f"test_{db['NAME']}_template_build"
    with from_templates():
        old = setup_databases(verbosity=1, interactive=False)
    teardown_databases(old, verbosity=1)


if __name__ == "__main__":
    main()
