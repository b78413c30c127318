"""Import a Wilma/Primus CSV file: attendance marks (default), a roster or study progress."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opiskeluhuolto.imports import actions
from opiskeluhuolto.imports.errors import message
from opiskeluhuolto.imports.models import ImportRun
from opiskeluhuolto.organisation.models import Institution


class ProgressBar:
    """A one-line progress bar on stderr (only when stderr is a terminal, or when forced)."""

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled, self.started = stream, enabled, time.monotonic()
        self.last, self.phase = 0.0, ""

    def __call__(self, run: ImportRun) -> None:
        """Redrawn at most five times a second, and at once when the phase changes."""
        now = time.monotonic()
        changed = run.phase != self.phase
        if not self.enabled or (now - self.last < 0.2 and not run.is_finished and not changed):
            return
        self.last, self.phase = now, run.phase
        width = 30
        filled = width * run.percent // 100
        phase = run.phase or "reading"
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {run.percent:3d}% {phase:<12} "
            f"{now - self.started:6.1f} s"
        )
        self.stream.flush()
        if run.is_finished:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Import a CSV file exported from Wilma or Primus (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--institution", required=True, help="the institution's address name (slug) or id"
        )
        parser.add_argument(
            "--kind", choices=[k for k, _ in ImportRun.Kind.choices], default="attendance"
        )
        parser.add_argument("--progress", action="store_true", help="show the bar also when piped")
        parser.add_argument(
            "--no-warning", action="store_true", help="do not evaluate early warning afterwards"
        )

    def handle(self, *args, file: Path, institution: str, kind: str, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        inst = Institution.objects.filter(slug=institution).first()
        if inst is None and institution.isdigit():
            inst = Institution.objects.filter(pk=int(institution)).first()
        if inst is None:
            raise CommandError(f"No institution {institution!r}")
        bar = ProgressBar(sys.stderr, options["progress"] or sys.stderr.isatty())
        started = time.monotonic()
        run = actions.create_run(inst, kind=kind, path=file.resolve(), file_name=file.name)
        run = actions.run_import(run, progress=bar)
        elapsed = time.monotonic() - started
        if run.status == ImportRun.Status.DUPLICATE:
            self.stdout.write("This file has already been imported; nothing was added.")
            return
        if run.status != ImportRun.Status.SUCCEEDED:
            for e in run.errors:
                self.stderr.write(f"line {e['line']}: {message(e)}")
            if run.error_count > len(run.errors):
                self.stderr.write(f"… and {run.error_count - len(run.errors)} more errors")
            raise CommandError(f"Nothing was imported: {run.error_count} errors.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {run.rows_read} rows ({run.rows_written} written) in {elapsed:.1f} s."
            )
        )
        if kind != ImportRun.Kind.ROSTER and not options["no_warning"]:
            from opiskeluhuolto.imports import signals

            for _receiver, line in signals.data_imported.send(sender=ImportRun, institution=inst):
                self.stdout.write(str(line))
