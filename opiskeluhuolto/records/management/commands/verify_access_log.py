"""Verify the access log's hash chains and report the first broken link (LAW.md L-906-3).

One chain per student (issue 21), and the chains of the rows logged before: chain 0
(before records migration 0008) and one per provider (0008 until the split per student).
Every chain is checked from its first row, and a break in one chain does not stop the
check of the others: every broken chain is reported.

Each chain's last row is also compared with the chain's head (`records.heads`, kept by the
database as it appends, records migration 0013): rows removed from a chain's end leave a
chain that still links, but not one that reaches its head.
"""

from __future__ import annotations

from collections import deque
from itertools import groupby
from operator import itemgetter

from django.core.management.base import BaseCommand, CommandError

from opiskeluhuolto.records import chain
from opiskeluhuolto.records.models import AccessLogEntry, AccessLogHead


def _end(key: int, last: dict | None, head: tuple[int, str] | None) -> str | None:
    """What is wrong with chain `key`'s end, its last row `last` against its head, or None."""
    if head is None:
        return f"Access log {chain.describe(key)} has no head record."
    if last is None:
        return f"Access log {chain.describe(key)} broken at its end: its head is row {head[0]}, and it has no rows."
    if last["seq"] != head[0]:
        return (
            f"Access log {chain.describe(key)} broken at its end: its last row is {last['seq']}, "
            f"its head is row {head[0]}."
        )
    if last["hash"] != head[1]:
        return f"Access log {chain.describe(key)} broken at its end: its last row's hash is not its head's."
    return None


def _tracking_last(rows, seen: list):
    """`rows`, each also left in `seen[0]` as it passes: the last one read."""
    for row in rows:
        seen[0] = row
        yield row


class Command(BaseCommand):
    help = "Check that no access-log row was changed, removed or inserted; exit 1 naming every broken chain."

    def handle(self, *args, **options):
        fields = ("chain", *chain.FIELDS, *chain.SUBJECT_FIELDS, "prev_hash", "hash")
        rows = (
            AccessLogEntry.objects.order_by("chain", "seq")
            .values(*fields)
            .iterator(chunk_size=5000)
        )
        heads = {
            key: (seq, digest)
            for key, seq, digest in AccessLogHead.objects.values_list("chain", "seq", "hash")
        }
        chains, breaks = 0, []
        for key, chain_rows in groupby(rows, key=itemgetter("chain")):
            chains += 1
            seen: list = [None]
            tracked = _tracking_last(chain_rows, seen)
            broken = chain.first_break(tracked)
            deque(tracked, maxlen=0)  # after a break: read on to the chain's last row
            if broken is not None:
                breaks.append(
                    f"Access log {chain.describe(key)} broken at row {broken.seq}: {broken.problem}."
                )
            end = _end(key, seen[0], heads.pop(key, None))
            if end is not None:
                breaks.append(end)
        # A chain whose every row is gone still has its head.
        breaks += [_end(key, None, head) for key, head in sorted(heads.items())]
        if breaks:
            raise CommandError(" ".join(breaks))
        count = AccessLogEntry.objects.count()
        self.stdout.write(
            self.style.SUCCESS(f"Access log chains intact ({chains} chains, {count} rows).")
        )
