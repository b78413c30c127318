"""Verify the access log's hash chain and report the first broken link (LAW.md L-906-3)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from opiskeluhuolto.records import chain
from opiskeluhuolto.records.models import AccessLogEntry


class Command(BaseCommand):
    help = (
        "Check that no access-log row was changed, removed or inserted; exit 1 at the first break."
    )

    def handle(self, *args, **options):
        fields = (*chain.FIELDS, *chain.SUBJECT_FIELDS, "prev_hash", "hash")
        rows = AccessLogEntry.objects.order_by("seq").values(*fields).iterator(chunk_size=5000)
        broken = chain.first_break(rows)
        count = AccessLogEntry.objects.count()
        if broken is not None:
            raise CommandError(f"Access log chain broken at row {broken.seq}: {broken.problem}.")
        self.stdout.write(self.style.SUCCESS(f"Access log chain intact ({count} rows)."))
