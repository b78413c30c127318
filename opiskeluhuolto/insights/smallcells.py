"""Small-cell suppression: pure.

PRODUCT.md §5: any aggregate shown to someone without access to the
individuals hides cells based on fewer than five students, so that a number
cannot point at one identifiable student.
"""

from __future__ import annotations

from collections.abc import Iterable

MIN_CELL = 5


def hidden(students: int | None) -> bool:
    """A cell of 1–4 students is hidden; an empty cell (0) reveals nobody."""
    return students is not None and 0 < students < MIN_CELL


def suppress(rows: Iterable[dict], *, count_key: str, value_keys: Iterable[str]) -> list[dict]:
    """Copies of the rows with the values of small cells set to None and `hidden` True."""
    keys = tuple(value_keys)
    out = []
    for row in rows:
        row = dict(row)
        row["hidden"] = hidden(row.get(count_key))
        if row["hidden"]:
            for k in (count_key, *keys):
                row[k] = None
        out.append(row)
    return out
