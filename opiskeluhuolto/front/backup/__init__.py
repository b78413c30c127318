"""Backup and restore of the whole database, with the database's own tools.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --single-transaction` (the
dump is consistent, a restore is all or nothing). SQLite: the online backup API of
Python's `sqlite3` (consistent while the system runs; a restore copies every page back).
Not a library of our own: the functions only choose the tool and pass the connection
settings Django already has, so `manage.py backup` and `manage.py restore` work the same
on either database.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    pass


def _pg_env_and_args(alias: str) -> tuple[dict[str, str], list[str]]:
    s = connections[alias].settings_dict
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = []
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    return env, args


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client).")
    return found


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed: {done.stderr.strip()}")


def backup(path: Path, alias: str = "default") -> None:
    """Write a consistent copy of the whole database to `path` (replaced atomically)."""
    conn = connections[alias]
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    if conn.vendor == "postgresql":
        env, args = _pg_env_and_args(alias)
        name = str(conn.settings_dict["NAME"])
        _run([_tool("pg_dump"), *args, "--format=custom", "--file", str(partial), name], env)
    elif conn.vendor == "sqlite":
        conn.ensure_connection()
        target = sqlite3.connect(partial)
        try:
            conn.connection.backup(target)
        finally:
            target.close()
    else:  # pragma: no cover - settings refuse other databases
        raise BackupError(f"Unsupported database: {conn.vendor}")
    os.replace(partial, path)


def restore(path: Path, alias: str = "default") -> None:
    """Replace the whole database with the backup at `path`, all or nothing."""
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    conn = connections[alias]
    if conn.vendor == "postgresql":
        env, args = _pg_env_and_args(alias)
        name = str(conn.settings_dict["NAME"])
        conn.close()
        _run(
            [
                _tool("pg_restore"),
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                name,
                str(path),
            ],
            env,
        )
    elif conn.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is not an intact SQLite database.")
            conn.ensure_connection()
            source.backup(conn.connection)
        except sqlite3.DatabaseError as e:
            raise BackupError(f"{path} is not an SQLite backup: {e}") from e
        finally:
            source.close()
    else:  # pragma: no cover
        raise BackupError(f"Unsupported database: {conn.vendor}")
