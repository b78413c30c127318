"""Which campus and group values an anonymous survey's responses may carry (F5 of the
data protection audit; docs/surveys.md, "What a response carries").

A response carrying a value that fewer than SMALL_CELL invitees share would be named by
the invitations' `has_answered`: in a group of three invitees, the one who has answered
wrote the group's response. So a campus is kept when at least SMALL_CELL invitees have
it, and the responses stored without a campus come from the invitees whose campus is
not kept: when those are 1 to SMALL_CELL - 1, the smallest kept campuses are left out
too, until they are none or at least SMALL_CELL. The same within each kept campus for
its groups. Every value a response can carry, (campus, group), (campus, none) and
(none, none), is then carried by none or at least SMALL_CELL invitees.

Plain Python rather than the small-cell suppression of `suppression.py`: that one hides
cells of published counts (and their differences); this one chooses, before any answer,
which values may be written at all, from the invitees alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .models import SMALL_CELL


def kept(sizes: dict) -> set:
    """The keys kept of {key or None: invitees}: at least SMALL_CELL each, and the
    smallest of them left out until the rest (None and the small ones) is 0 or at least
    SMALL_CELL."""
    rest = sum(n for k, n in sizes.items() if k is None or n < SMALL_CELL)
    big = sorted((n, k) for k, n in sizes.items() if k is not None and n >= SMALL_CELL)
    out, before = set(), 0
    for n, k in big:
        if not (rest > 0 and rest + before < SMALL_CELL):
            out.add(k)
        before += n
    return out


def kept_cells(records: Iterable[tuple]) -> tuple[set, set]:
    """The kept campuses and (campus, group) pairs of the invitees' (campus, group)
    records, one per invitee ((None, None) for an invitee who is no student)."""
    cells = Counter(records)
    campuses: Counter = Counter()
    for (campus, _group), n in cells.items():
        campuses[campus] += n
    kept_campuses = kept(campuses)
    kept_groups: set = set()
    for campus in kept_campuses:
        kept_groups |= {
            (campus, g) for g in kept({g: n for (c, g), n in cells.items() if c == campus})
        }
    return kept_campuses, kept_groups
