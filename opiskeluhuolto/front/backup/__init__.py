"""Backup and restore of the whole system: the database, with the database's own tools, and
the uploaded files under MEDIA_ROOT (procedure attachments), in one tar archive.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --single-transaction` (the
dump is consistent, a restore is all or nothing). SQLite: the online backup API of
Python's `sqlite3` (consistent while the system runs; a restore copies every page back).
The archive is written with the standard library's `tarfile` (uncompressed: the dump is
compressed already, and so are most attachments) and read back with its `data` filter,
which refuses absolute paths, links and anything that would land outside MEDIA_ROOT. Not
a library of our own: the functions only choose the tools, pass the connection settings
Django already has, and order the steps so that a failed restore changes nothing.

The archive holds two members: `database` (the dump or the SQLite copy) and `media/` (the
tree under MEDIA_ROOT, written after the dump, so every file the dump refers to is in it
unless it was deleted in the seconds between: only a draft's removed attachment can be).
A file that is a bare dump (written before the archive existed) restores the database
only and leaves MEDIA_ROOT as it is.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections

DATABASE_MEMBER = "database"
MEDIA_MEMBER = "media"
#: Working directories that a restore makes inside MEDIA_ROOT (renames stay on one file
#: system); never part of a backup.
_WORK_PREFIXES = (".restore-", ".replaced-")


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


def _media_root(media_root: Path | None) -> Path:
    return Path(media_root if media_root is not None else settings.MEDIA_ROOT)


def _dump_database(target: Path, alias: str) -> None:
    conn = connections[alias]
    if conn.vendor == "postgresql":
        env, args = _pg_env_and_args(alias)
        name = str(conn.settings_dict["NAME"])
        _run([_tool("pg_dump"), *args, "--format=custom", "--file", str(target), name], env)
    elif conn.vendor == "sqlite":
        conn.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            conn.connection.backup(copy)
        finally:
            copy.close()
    else:  # pragma: no cover - settings refuse other databases
        raise BackupError(f"Unsupported database: {conn.vendor}")


def _not_work_dirs(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
    parts = info.name.split("/")
    if len(parts) > 1 and parts[1].startswith(_WORK_PREFIXES):
        return None
    return info


def backup(path: Path, alias: str = "default", media_root: Path | None = None) -> None:
    """Write the database and the files under MEDIA_ROOT to the archive `path` (replaced
    atomically: an interrupted backup never leaves a half-written file under that name)."""
    if not path.parent.is_dir():
        raise BackupError(f"No directory {path.parent} for the backup.")
    media = _media_root(media_root)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix=".backup-", dir=path.parent) as work:
            dump = Path(work) / DATABASE_MEMBER
            _dump_database(dump, alias)
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
                archive.add(dump, arcname=DATABASE_MEMBER)
                if media.is_dir():
                    archive.add(media, arcname=MEDIA_MEMBER, filter=_not_work_dirs)
                else:  # nothing uploaded yet: an empty tree, restored as such
                    empty = tarfile.TarInfo(MEDIA_MEMBER)
                    empty.type, empty.mode = tarfile.DIRTYPE, 0o755
                    archive.addfile(empty)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _restore_database(path: Path, alias: str) -> None:
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


def _swap_in(tree: Path, media: Path, staging: Path) -> None:
    """Replace what is under `media` with `tree` by renames inside `media` itself (one file
    system, so MEDIA_ROOT may be a mount point), then delete what was replaced."""
    replaced = Path(tempfile.mkdtemp(prefix=_WORK_PREFIXES[1], dir=media))
    try:
        for entry in list(media.iterdir()):
            if entry not in (staging, replaced):
                entry.rename(replaced / entry.name)
        if tree.is_dir():
            for entry in list(tree.iterdir()):
                entry.rename(media / entry.name)
    except OSError as e:
        raise BackupError(
            f"The database is restored, but moving the files into {media} failed ({e}): the "
            f"backup's files are in {tree}, the replaced ones in {replaced}."
        ) from e
    shutil.rmtree(replaced, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)


def restore(path: Path, alias: str = "default", media_root: Path | None = None) -> bool:
    """Replace the whole database and the files under MEDIA_ROOT with the backup at `path`.

    The archive is checked and unpacked beside the current files first (inside MEDIA_ROOT,
    so the dump needs room there, not in a small TMPDIR); then the database is restored
    (all or nothing); only then are the files swapped in. Anything failing before the
    swap leaves both as they were. Answers whether files were restored (False for a bare
    database dump of an older backup, which leaves MEDIA_ROOT alone)."""
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    if not tarfile.is_tarfile(path):
        _restore_database(path, alias)
        return False
    media = _media_root(media_root)
    media.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=_WORK_PREFIXES[0], dir=media))
    try:
        with tarfile.open(path, "r") as archive:
            members = archive.getmembers()
            if DATABASE_MEMBER not in {m.name for m in members}:
                raise BackupError(f"{path} is not a backup of this system (no database).")
            wanted = [
                m
                for m in members
                if m.name == DATABASE_MEMBER or m.name.split("/", 1)[0] == MEDIA_MEMBER
            ]
            archive.extractall(staging, members=wanted, filter="data")
        _restore_database(staging / DATABASE_MEMBER, alias)
    except tarfile.TarError as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"{path} cannot be restored: {e}") from e
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging / MEDIA_MEMBER, media, staging)
    return True
