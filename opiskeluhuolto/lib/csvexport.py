"""The one CSV writer of the project: every CSV the project writes goes through it.

Why hand-written: Python's ``csv`` module quotes, but does not neutralise
spreadsheet formulas. A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is read by Excel and LibreOffice as a formula (OWASP
"CSV injection"), and names, group names and course codes come from imported
files that anyone at a school can edit. Such a cell is prefixed with an
apostrophe, which spreadsheets show as text. Numbers (int, float, Decimal) are
written as they are, so a negative number stays a number.

The files use semicolons and UTF-8 with a byte-order mark, as Finnish Excel
opens them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    """A cell that no spreadsheet evaluates: text starting like a formula gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def writer(fileobj) -> _SafeWriter:
    """A csv writer (semicolon-separated) whose rows are neutralised cell by cell."""
    return _SafeWriter(csv.writer(fileobj, delimiter=";"))


class _SafeWriter:
    def __init__(self, inner):
        self._inner = inner

    def writerow(self, row: Sequence[Any]) -> None:
        self._inner.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_response(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """An attachment response with a BOM, the header row and the rows, all neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 with a byte-order mark
    out = writer(response)
    out.writerow(header)
    out.writerows(rows)
    return response
