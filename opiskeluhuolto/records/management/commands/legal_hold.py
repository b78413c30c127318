"""Put a case's welfare record under legal hold, or release it (LAW.md L-RET-5)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from opiskeluhuolto.records import actions
from opiskeluhuolto.records.models import WelfareRecord


class Command(BaseCommand):
    help = "Keep a record from destruction while a legal matter is open (or --release it)."

    def add_arguments(self, parser):
        parser.add_argument("case_id", type=int)
        parser.add_argument("--reason", default="", help="why the record must be kept")
        parser.add_argument("--release", action="store_true", help="remove the hold")

    def handle(self, *args, case_id: int, reason: str, release: bool, **options):
        if not release and not reason.strip():
            raise CommandError("Give --reason, or --release to remove the hold.")
        try:
            record = actions.set_legal_hold(case_id, reason="" if release else reason)
        except WelfareRecord.DoesNotExist:
            raise CommandError(f"Case {case_id} has no welfare record.") from None
        state = "under legal hold" if record.legal_hold else "released"
        self.stdout.write(self.style.SUCCESS(f"Record of case {case_id}: {state}."))
