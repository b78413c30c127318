"""Destroy welfare-register documents whose retention period has ended (schedule daily)."""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand
from django.utils import timezone

from opiskeluhuolto.records.retention import run_retention


class Command(BaseCommand):
    help = "Destroy documents past their retention class, except under legal hold; keep a report."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report only, destroy nothing")

    def handle(self, *args, dry_run: bool, **options):
        report = run_retention(
            timezone.localdate(), run_by=f"run_retention ({getpass.getuser()})", dry_run=dry_run
        )
        verb = "Would destroy" if dry_run else "Destroyed"
        self.stdout.write(
            f"{verb} {len(report.destroyed)} documents; {len(report.held)} under legal hold."
        )
        for item in report.destroyed:
            self.stdout.write(
                f"  {item['type']} " + " ".join(f"{k}={v}" for k, v in item.items() if k != "type")
            )
        for item in report.held:
            self.stdout.write(f"  HELD case={item['case']} record={item['record']}")
        self.stdout.write(f"Destruction report {report.pk} saved.")
