"""Verify the access log's hash chains and report the first broken link (LAW.md L-906-3).

One chain per student (issue 21), and the chains of the rows logged before: chain 0
(before records migration 0008) and one per provider (0008 until the split per student).
Every chain is checked from its first row, and a break in one chain does not stop the
check of the others: every broken chain is reported.
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter

from django.core.management.base import BaseCommand, CommandError

from opiskeluhuolto.records import chain
from opiskeluhuolto.records.models import AccessLogEntry


class Command(BaseCommand):
    help = "Check that no access-log row was changed, removed or inserted; exit 1 naming every broken chain."

    def handle(self, *args, **options):
        fields = ("chain", *chain.FIELDS, *chain.SUBJECT_FIELDS, "prev_hash", "hash")
        rows = (
            AccessLogEntry.objects.order_by("chain", "seq")
            .values(*fields)
            .iterator(chunk_size=5000)
        )
        chains, breaks = 0, []
        for key, chain_rows in groupby(rows, key=itemgetter("chain")):
            chains += 1
            broken = chain.first_break(chain_rows)
            if broken is not None:
                breaks.append(
                    f"Access log {chain.describe(key)} broken at row {broken.seq}: {broken.problem}."
                )
        if breaks:
            raise CommandError(" ".join(breaks))
        count = AccessLogEntry.objects.count()
        self.stdout.write(
            self.style.SUCCESS(f"Access log chains intact ({chains} chains, {count} rows).")
        )
