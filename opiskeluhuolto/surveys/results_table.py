"""The results page's tables, precomputed: one row per unit with its numbers ready to show.

The page once rendered every cell through an included template, a simple tag and two
filters; at 20 questions × 6 units × 5 options that was most of the page's own cost
(issue 16, bench/README.md). Here each row is built once in Python and the template only
loops over plain values. What is shown does not change: the same labels, counts, shares
and suppression (the cells come from results.compute, suppression included).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .models import Question, pick
from .results import Cell, QuestionResult


@dataclass
class Row:
    label: str
    hidden: bool
    n: int | None = None
    shares: SafeString = SafeString()  # the options' cells, a bar and a share each
    mean: float | None = None


@dataclass
class Table:
    result: QuestionResult
    headers: list[str]
    rows: list[Row]
    hidden_cells: SafeString = SafeString()  # a suppressed row's cells after its label

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


#: One option's cell: its bar (the width an SVG attribute, unlocalised) and its share.
SHARE_CELL = (
    '<td><svg class="bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" '
    'focusable="false"><rect class="bar__track" width="100" height="8"/><rect class="bar__fill" '
    'width="{}" height="8"/></svg> {} %</td>'
)
HIDDEN_CELL = '<td><span aria-hidden="true">–</span><span class="visually-hidden">{}</span></td>'


def _shares(cell: Cell, values: list[int], decimal_sep: str) -> SafeString:
    """The options' cells of a shown row, as `{{ share|default:0 }}` and
    `floatformat:'1u'` showed them: the share localised, the bar's width with one decimal.

    Written out rather than through `{% for %}` and `number_format` per cell: the page has
    hundreds of cells, and each one through the template engine and a format lookup was
    most of the page's own cost (issue 16, bench/README.md). Every value is a number
    formatted here (a share is at most 100: only the decimal separator applies, no
    thousands grouping), so there is nothing to escape."""
    out = []
    for value in values:
        s = cell.share(value)
        shown = str(s).replace(".", decimal_sep) if s else "0"
        out.append(SHARE_CELL.format(f"{s or 0:.1f}", shown))
    return mark_safe("".join(out))  # noqa: S308 -- numbers formatted here, no outside text


def tables(results: list[QuestionResult]) -> list[Table]:
    """The page's tables, one per question, rows in the page's order: all, then the units."""
    decimal_sep = get_format("DECIMAL_SEPARATOR")
    all_label, no_unit = gettext("All"), gettext("no unit recorded")
    hidden = format_html(HIDDEN_CELL, gettext("hidden: fewer than five"))
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
        table = Table(r, [pick(o) for o in options], rows)
        table.hidden_cells = mark_safe(hidden * len(table.slots))  # noqa: S308 -- escaped above
        out.append(table)
    return out
