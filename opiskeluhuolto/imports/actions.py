"""Running an import: parse → validate everything → write everything in one transaction.

All or nothing: every row is checked first (attendance as columns, see
columns.py, read in bounded blocks and spilled by student, see blocks.py); only a
file without a single error is written, in one transaction that also rewrites the
weekly summaries and the dashboards' rollups. A file imported once is recognised by its SHA-256 and adds
nothing the second time; overlapping files add nothing twice either, because
marks are keyed by student × day × lesson. A killed process rolls its
transaction back and the run can simply be started again.

The writing of each kind lives in its own module: attendance in `attendance_import`,
rosters and study progress in `roster_import`; the run's bookkeeping in `runs`.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path

from django.db import DatabaseError
from django.utils import timezone

from opiskeluhuolto.organisation.models import Institution

from . import parsing, runs
from .attendance_import import ensure_mark_codes, import_attendance
from .models import ImportRun
from .roster_import import import_progress, import_roster
from .runs import Progress, save_run, scan_file

__all__ = ["create_run", "ensure_mark_codes", "mark_stale_runs", "run_import", "scan_file"]

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(hours=2)


def create_run(
    institution: Institution,
    *,
    kind: str,
    path: Path,
    file_name: str,
    user=None,
    sha256: str = "",
) -> ImportRun:
    """A queued run of the file at `path`. With the file's `sha256` (hashed as it was
    uploaded), a file this institution has imported before is a finished duplicate at once,
    and nothing is queued; the import checks again when it runs (`runs.claim`)."""
    run = ImportRun.objects.create(
        institution=institution,
        kind=kind,
        file_name=file_name[:200],
        file_path=str(path),
        bytes_total=path.stat().st_size,
        started_by=user,
    )
    if sha256 and runs.imported_before(run, sha256):
        return _duplicate(run, sha256)
    return run


def mark_stale_runs() -> int:
    """Runs whose process died (killed, server restarted) are reported as interrupted."""
    cutoff = timezone.now() - STALE_AFTER
    return ImportRun.objects.filter(status=ImportRun.Status.RUNNING, started_at__lt=cutoff).update(
        status=ImportRun.Status.FAILED,
        errors=[{"line": 0, "code": "interrupted", "value": "", "other": 0}],
        error_count=1,
        finished_at=timezone.now(),
    )


def _duplicate(run: ImportRun, sha256: str) -> ImportRun:
    save_run(
        run,
        sha256=sha256,
        status=ImportRun.Status.DUPLICATE,
        errors=[],
        finished_at=timezone.now(),
        bytes_done=run.bytes_total,
        phase="done",
    )
    return run


def run_import(
    run: ImportRun, *, today: date | None = None, progress: Progress | None = None
) -> ImportRun:
    """Run one import to its end; returns the run with its status and error report."""
    today = today or timezone.localdate()
    path = Path(run.file_path)
    # An attendance file (up to gigabytes) is hashed while it is read (`blocks.read_into`)
    # and checked against earlier imports before anything is written; the small roster
    # and progress files are hashed first.
    scan = None if run.kind == ImportRun.Kind.ATTENDANCE else scan_file(path)
    if scan is not None and runs.imported_before(run, scan.sha256):
        return _duplicate(run, scan.sha256)
    save_run(
        run,
        sha256=scan.sha256 if scan else "",
        status=ImportRun.Status.RUNNING,
        started_at=timezone.now(),
        phase="reading",
        errors=[],
        error_count=0,
    )
    report = parsing.Report()
    try:
        handler = {
            ImportRun.Kind.ATTENDANCE: import_attendance,
            ImportRun.Kind.ROSTER: import_roster,
            ImportRun.Kind.PROGRESS: import_progress,
        }[ImportRun.Kind(run.kind)]
        written = handler(run, report, today, progress, scan)
    except runs.AlreadyImported as again:
        _duplicate(run, again.sha256)
        if progress:
            progress(run)
        return run
    except DatabaseError:
        log.exception("import run %s failed", run.uuid)
        report.add(0, "internal", str(run.uuid)[:8])
        written = 0
    if report.fatal:
        save_run(
            run,
            status=ImportRun.Status.FAILED,
            errors=[e.as_dict() for e in report.errors],
            error_count=report.error_count,
            rows_read=report.rows,
            rows_written=0,
            phase="done",
            finished_at=timezone.now(),
        )
    else:
        save_run(
            run,
            status=ImportRun.Status.SUCCEEDED,
            rows_read=report.rows,
            rows_written=written,
            phase="done",
            finished_at=timezone.now(),
        )
    if progress:
        progress(run)
    return run
