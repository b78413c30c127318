"""Evaluate the early-warning rules of every institution: run nightly from a timer."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from opiskeluhuolto.insights.actions import run_early_warning
from opiskeluhuolto.organisation.models import Institution


class Command(BaseCommand):
    help = "Open care-conversation tasks and send guardian notices (schedule nightly)."

    def add_arguments(self, parser):
        parser.add_argument("--institution", help="only this institution (slug)")
        parser.add_argument("--today", type=date.fromisoformat, help="evaluate as of this day")

    def handle(self, *args, institution=None, today=None, **options):
        today = today or timezone.localdate()
        institutions = Institution.objects.all()
        if institution:
            institutions = institutions.filter(slug=institution)
        for inst in institutions:
            tasks, notices = run_early_warning(inst, today=today)
            self.stdout.write(f"{inst.slug}: {tasks} new tasks, {notices} guardian notices")
