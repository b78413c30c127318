"""An import process killed with SIGKILL leaves nothing half-written (issue 21, durability).

A real `manage.py import_attendance` subprocess is killed while it reads the file, while it
writes the days, while it writes the week summaries, and while it merges a re-exported term
over stored weeks; after each kill the stored marks are exactly what they were, and the
next run imports the file. On SQLite the subprocess works on a file copy of the test
database (SQLite's backup API); on PostgreSQL on the test database itself.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from opiskeluhuolto.imports import actions
from opiskeluhuolto.imports.models import AttendanceDay, ImportRun, WeeklyAbsence

ROOT = Path(settings.BASE_DIR)
# Big enough that each phase outlasts the test's reaction to the progress bar (at 600
# students, about 450,000 marks: the shortest window, summarising the first load, lasts
# about 0.3 s, against milliseconds for the kill); no bigger, since every run of the
# import costs in proportion (1,200 students took twice as long).
STUDENTS = 600


class Database:
    """The database the subprocesses use, and reading it back from the test."""

    def __init__(self, tmp_path: Path):
        self.env = {**os.environ, "LOG_LEVEL": "WARNING"}
        self.file: Path | None
        if connection.vendor == "sqlite":
            self.file = tmp_path / "killed.sqlite3"
            target = sqlite3.connect(self.file)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            self.env.pop("DATABASE_URL", None)
            self.env["SQLITE_PATH"] = str(self.file)
        else:
            s = connection.settings_dict
            self.file = None
            self.env["DATABASE_URL"] = (
                f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
            )

    def rows(self, sql: str) -> list[tuple]:
        if self.file is not None:
            with sqlite3.connect(self.file) as db:
                return db.execute(sql).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def fingerprint(self) -> tuple[int, int, str]:
        """Rows of the stored days and week summaries, and a digest of their content."""
        days = AttendanceDay._meta.db_table
        weeks = WeeklyAbsence._meta.db_table
        content = self.rows(f"SELECT * FROM {days} ORDER BY 1") + self.rows(  # noqa: S608
            f"SELECT * FROM {weeks} ORDER BY 1"  # noqa: S608
        )
        digest = hashlib.sha256(repr([tuple(map(str, r)) for r in content]).encode()).hexdigest()
        n_days = self.rows(f"SELECT count(*) FROM {days}")[0][0]  # noqa: S608
        n_weeks = self.rows(f"SELECT count(*) FROM {weeks}")[0][0]  # noqa: S608
        return n_days, n_weeks, digest

    def runs(self) -> list[str]:
        table = ImportRun._meta.db_table
        return [r[0] for r in self.rows(f"SELECT status FROM {table} ORDER BY id")]  # noqa: S608

    def import_command(self, path: Path, slug: str) -> list[str]:
        return [
            sys.executable,
            str(ROOT / "manage.py"),
            "import_attendance",
            str(path),
            "--institution",
            slug,
            "--progress",
            "--no-warning",
        ]

    def kill_in(self, phase: str, path: Path, slug: str) -> None:
        """Start the import and SIGKILL it as soon as its progress bar shows `phase`."""
        proc = subprocess.Popen(  # noqa: S603 -- our own command line
            self.import_command(path, slug),
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert proc.stderr is not None
        seen = b""
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            chunk = os.read(proc.stderr.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
            if phase.encode() in seen.rsplit(b"\r", 1)[-1] or phase.encode() in chunk:
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=60)
        assert proc.returncode == -signal.SIGKILL, (
            f"the import ended before the phase {phase!r} could be interrupted: "
            f"{seen.decode(errors='replace')[-500:]}"
        )

    def run(self, path: Path, slug: str) -> str:
        done = subprocess.run(  # noqa: S603 -- our own command line
            self.import_command(path, slug),
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout


@pytest.mark.django_db(transaction=True)
def test_a_killed_import_leaves_nothing_half_written_and_the_next_run_imports(cast, tmp_path):
    institution = cast.lukio
    call_command(
        "generate_attendance_csv",
        "--students",
        str(STUDENTS),
        "--out",
        str(tmp_path),
        "--weeks",
        "30",
    )
    roster = actions.create_run(
        institution, kind="roster", path=tmp_path / "roster.csv", file_name="roster.csv"
    )
    assert actions.run_import(roster).status == ImportRun.Status.SUCCEEDED
    db = Database(tmp_path)
    attendance = tmp_path / "attendance.csv"
    empty = db.fingerprint()
    assert empty[:2] == (0, 0)

    for phase in ("reading", "writing", "summarising"):
        db.kill_in(phase, attendance, institution.slug)
        assert db.fingerprint() == empty, f"something was left after a kill while {phase}"
        assert db.runs()[-1] == ImportRun.Status.RUNNING  # reported interrupted when stale

    out = db.run(attendance, institution.slug)
    assert "Imported" in out
    full = db.fingerprint()
    assert full[0] > STUDENTS and full[1] > 0

    # A re-exported term over the stored weeks (the usual daily export): every mark of the
    # first 5,000 lines changes (present ↔ unexplained absence), so the merge rewrites those weeks.
    lines = attendance.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = [lines[0]] + [_other_mark(line) for line in lines[1:5001]] + lines[5001:]
    reexport = tmp_path / "reexport.csv"
    reexport.write_text("".join(changed), encoding="utf-8")
    for phase in ("writing", "summarising"):
        db.kill_in(phase, reexport, institution.slug)
        assert db.fingerprint() == full, f"the stored term changed after a kill while {phase}"
    db.run(reexport, institution.slug)
    merged = db.fingerprint()
    assert merged[2] != full[2] and merged[0] == full[0]


def _other_mark(line: str) -> str:
    fields = line.rstrip("\r\n").split(";")
    fields[-1] = "X" if fields[-1] == "+" else "+"
    return ";".join(fields) + "\n"
