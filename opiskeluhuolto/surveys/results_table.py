"""The results page's tables, precomputed: one row per unit with its numbers ready to show.

The page once rendered every cell through an included template, a simple tag and two
filters; at 20 questions × 6 units × 5 options that was most of the page's own cost
(issue 16, bench/README.md). Here each row is built once in Python and the template only
loops over plain values. What is shown does not change: the same labels, counts, shares
and suppression (the cells come from results.compute, suppression included).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import get_format
from django.utils.translation import gettext

from .models import Question, pick
from .results import Cell, QuestionResult


@dataclass
class Row:
    label: str
    hidden: bool
    n: int | None = None
    shares: list[tuple[str, str]] = field(default_factory=list)  # (bar width, shown share)
    mean: float | None = None


@dataclass
class Table:
    result: QuestionResult
    headers: list[str]
    rows: list[Row]

    @property
    def question(self) -> Question:
        return self.result.question

    @property
    def total(self) -> Cell:
        return self.result.total

    @property
    def texts(self) -> list[str]:
        return self.result.texts

    @property
    def is_number(self) -> bool:
        return self.question.kind == Question.Kind.NUMBER

    @property
    def slots(self) -> range:
        """The value cells of a row after its label: n, the options, the mean if any."""
        return range(1 + len(self.headers) + self.is_number)


def _shares(cell: Cell, values: list[int], decimal_sep: str) -> list[tuple[str, str]]:
    """(bar width, shown share) per option: the width unlocalised with one decimal (an SVG
    attribute, as `floatformat:'1u'`), the share localised as `{{ share|default:0 }}`
    showed it. Written out rather than `number_format` per cell, which looks the format up
    again for each of the page's hundreds of cells: a share is at most 100, so only the
    decimal separator applies (no thousands grouping)."""
    out = []
    for value in values:
        s = cell.share(value)
        out.append((f"{s or 0:.1f}", str(s).replace(".", decimal_sep) if s else "0"))
    return out


def tables(results: list[QuestionResult]) -> list[Table]:
    """The page's tables, one per question, rows in the page's order: all, then the units."""
    decimal_sep = get_format("DECIMAL_SEPARATOR")
    all_label, no_unit = gettext("All"), gettext("no unit recorded")
    out = []
    for r in results:
        options = r.question.options if r.question.kind != Question.Kind.TEXT else []
        values = [int(o["value"]) for o in options]
        rows = []
        for cell, label in [(r.total, all_label), *((c, c.label) for c in r.cells)]:
            label = label or no_unit
            if cell.suppressed:
                rows.append(Row(label, True))
            else:
                shares = _shares(cell, values, decimal_sep)
                rows.append(Row(label, False, cell.n, shares, cell.mean))
        out.append(Table(r, [pick(o) for o in options], rows))
    return out
