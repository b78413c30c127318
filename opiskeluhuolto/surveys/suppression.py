"""The small-cell rule across the three breakdowns (campus, group, starting year).

`suppress(sizes)`: within one breakdown whose cells add up to a published total, the
cells to hide: every cell under `SMALL_CELL`, then more (smallest first) until at least
two are hidden holding at least `SMALL_CELL` together; the whole breakdown when that is
impossible.

`hidden_cells(atoms, year_of)` applies it to all three breakdowns of one question at once,
so that no breakdown gives away what another hides:

- the campus and starting-year breakdowns are two ways of adding up the same
  respondents (a campus × year table whose margins are published). Each is suppressed
  on its own, then every hidden margin is checked against the published ones (the total,
  the shown campuses, the shown years): when it is their linear combination (e.g. a
  campus whose students all started in one year, and that year hidden), the smallest
  shown margin overlapping it is hidden too, until none can be computed;
- the groups nest in both: a group of a hidden campus or hidden year is hidden, and
  within every shown campus and every shown year (whose totals are published) the
  hidden groups are again at least two holding at least `SMALL_CELL`, repeated until
  nothing changes.

An atom is a (campus id, group id) pair, the finest cell the counts keep; a group's
starting year comes from its name (`year_of`), None when unknown (its own cell).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from .models import SMALL_CELL


def suppress(sizes: dict, threshold: int = SMALL_CELL, already: Iterable = ()) -> set:
    """The keys of the cells to hide, differencing included; `already`: keys hidden anyway."""
    hidden = {k for k, n in sizes.items() if n < threshold} | (set(already) & set(sizes))
    if not hidden:
        return hidden
    rest = sorted((n, str(k), k) for k, n in sizes.items() if k not in hidden)
    while rest and (len(hidden) < 2 or sum(sizes[k] for k in hidden) < threshold):
        hidden.add(rest.pop(0)[2])
    if len(hidden) < 2 or sum(sizes[k] for k in hidden) < threshold:
        return set(sizes)  # cannot be protected: withhold the whole breakdown
    return hidden


def _sum_by(atoms: dict, key: Callable) -> dict:
    out: dict = {}
    for atom, n in atoms.items():
        out[key(atom)] = out.get(key(atom), 0) + n
    return out


def _derivable(vector: list[int], published: list[list[int]]) -> bool:
    """Is `vector` a linear combination of the published ones (rank test)?"""
    import numpy as np

    if not published:
        return False
    base = np.array(published, dtype=float)
    both = np.vstack([base, np.array([vector], dtype=float)])
    return bool(np.linalg.matrix_rank(both) == np.linalg.matrix_rank(base))


def _protect_margins(atoms: dict, year_of: Callable) -> tuple[set, set]:
    """The hidden campuses and years, neither computable from the other's shown cells."""
    campus_sizes = _sum_by(atoms, lambda a: a[0])
    year_sizes = _sum_by(atoms, lambda a: year_of(a[1]))
    hidden = {("campus", k) for k in suppress(campus_sizes)}
    hidden |= {("year", k) for k in suppress(year_sizes)}
    cross = sorted({(a[0], year_of(a[1])) for a, n in atoms.items() if n}, key=str)
    cells = [("campus", k) for k in campus_sizes] + [("year", k) for k in year_sizes]
    size = {("campus", k): n for k, n in campus_sizes.items()}
    size |= {("year", k): n for k, n in year_sizes.items()}

    def vector(cell: tuple[str, Hashable]) -> list[int]:
        pos = 0 if cell[0] == "campus" else 1
        return [1 if x[pos] == cell[1] else 0 for x in cross]

    vectors = {c: vector(c) for c in cells}
    while True:
        published = [[1] * len(cross)] + [vectors[c] for c in cells if c not in hidden]
        leak = next((c for c in cells if c in hidden and _derivable(vectors[c], published)), None)
        if leak is None:
            break
        overlap = [
            c
            for c in cells
            if c not in hidden
            and any(a and b for a, b in zip(vectors[c], vectors[leak], strict=True))
        ]
        if not overlap:
            hidden = set(cells)  # cannot be protected: withhold both breakdowns
            break
        hidden.add(min(overlap, key=lambda c: (size[c], str(c))))
    return {k for d, k in hidden if d == "campus"}, {k for d, k in hidden if d == "year"}


def hidden_margins(atoms: dict, year_of: Callable) -> dict[str, set]:
    """For one question: the hidden cells of the campus and starting-year breakdowns, as
    `hidden_cells` gives them. The groups' protection (the costly part at a provider's
    size: a pass over every group of every shown campus and year, repeated) hides only
    groups, so a page by campus or by year does not need it."""
    hidden_campuses, hidden_years = _protect_margins(atoms, year_of)
    return {"campus": {(c,) for c in hidden_campuses}, "year": {(y,) for y in hidden_years}}


def hidden_cells(atoms: dict, year_of: Callable) -> dict[str, set]:
    """For one question: the hidden cells of each breakdown, keyed as the breakdowns key
    them: campus → {(campus,)}, year → {(year,)}, group → {(campus, group)}."""
    hidden_campuses, hidden_years = _protect_margins(atoms, year_of)
    groups = {a for a in atoms if a[0] in hidden_campuses or year_of(a[1]) in hidden_years}
    blocks = [(lambda a, c=c: a[0] == c) for c in set(a[0] for a in atoms) - hidden_campuses] + [
        (lambda a, y=y: year_of(a[1]) == y) for y in {year_of(a[1]) for a in atoms} - hidden_years
    ]
    changed = True
    while changed:
        changed = False
        for inside in blocks:
            part = {a: n for a, n in atoms.items() if inside(a)}
            more = suppress(part, already=groups & set(part)) - groups
            if more:
                groups |= more
                changed = True
    return {
        "campus": {(c,) for c in hidden_campuses},
        "year": {(y,) for y in hidden_years},
        "group": groups,
    }
