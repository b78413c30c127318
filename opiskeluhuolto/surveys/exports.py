"""The results as CSV (lib/csvexport: no formulas) and as a PDF report (WeasyPrint)."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string

from opiskeluhuolto.lib.csvexport import csv_response

from . import results as results_mod
from .models import Survey

for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def csv_rows(survey: Survey, by: str | None):
    """One line per question × unit × option: suppressed cells give no numbers."""
    for r in results_mod.compute(survey, by=by):
        if r.question.kind == "text":
            continue
        for cell in [r.total, *r.cells]:
            label = cell.label if cell is not r.total else "*"
            if cell.suppressed:
                yield [r.question.position, r.question.display_text, label, "", "", "", ""]
                continue
            for o in r.question.options:
                value = int(o["value"])
                yield [
                    r.question.position,
                    r.question.display_text,
                    label,
                    cell.n,
                    r.question.option_label(value),
                    cell.counts.get(value, 0),
                    cell.share(value),
                ]


def results_csv(survey: Survey, by: str | None):
    header = ["question_no", "question", "unit", "n", "option", "count", "percent"]
    return csv_response(f"kysely-{survey.pk}.csv", header, csv_rows(survey, by))


def results_pdf(survey: Survey) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "surveys/results_pdf.html",
        {
            "survey": survey,
            "rows": results_mod.compute(survey),
            "respondents": results_mod.respondents(survey),
        },
    )
    return HTML(string=html).write_pdf()
