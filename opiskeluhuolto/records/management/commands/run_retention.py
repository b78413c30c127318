"""Retention per controller (schedule daily): destroy what a person approved, then propose
what has become due (LAW.md L-RET-5, L-906-7)."""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand
from django.utils import timezone

from opiskeluhuolto.records.retention import run_retention


class Command(BaseCommand):
    help = (
        "Destroy the documents of approved destruction proposals, then propose per provider "
        "what has passed its retention class (approved in the app before anything goes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="preview only, destroy nothing")

    def handle(self, *args, dry_run: bool, **options):
        reports = run_retention(
            timezone.localdate(), run_by=f"run_retention ({getpass.getuser()})", dry_run=dry_run
        )
        for report in reports:
            self.stdout.write(
                f"Report {report.pk} (provider {report.provider_id}): {report.status}, "
                f"{len(report.destroyed)} documents, {len(report.held)} under legal hold, "
                f"{len(report.unhandled)} never handled (kept)."
            )
            for item in report.destroyed:
                self.stdout.write(
                    f"  {item['type']} "
                    + " ".join(f"{k}={v}" for k, v in item.items() if k != "type")
                )
        if not reports:
            self.stdout.write("Nothing to destroy or propose.")
