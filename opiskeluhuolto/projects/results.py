"""A project's results: each goal's indicator at the start and at the end of the project
(the value of the year the project starts and of the year it ends, of the project's campus
or, without one, of its institution). A value from fewer than five respondents is not
shown (the small-cell rule, PRODUCT.md §5)."""

from __future__ import annotations

from opiskeluhuolto.meetings.models import DataPoint

from .models import Project

MIN_RESPONDENTS = 5


def _value(indicator_id: int, project: Project, year: int) -> float | None:
    points = DataPoint.objects.filter(
        indicator_id=indicator_id, institution_id=project.institution_id, year=year
    )
    if project.campus_id:
        points = points.filter(campus_id=project.campus_id)
    else:
        points = points.filter(campus__isnull=True)
    point = points.order_by("-pk").first()
    if point is None:
        return None
    if point.respondents is not None and point.respondents < MIN_RESPONDENTS:
        return None
    return point.value


def results(project: Project) -> list[dict]:
    rows = []
    for goal in project.goals.select_related("indicator"):
        ind = goal.indicator
        start = end = None
        if ind is not None:
            start = _value(ind.pk, project, project.starts_on.year)
            end = _value(ind.pk, project, project.ends_on.year)
        rows.append(
            {
                "goal": goal.text,
                "measures": goal.measure_list(),
                "indicator": ind.label if ind else None,
                "unit": ind.unit_label if ind else None,
                "target": ind.target if ind else None,
                "start": start,
                "end": end,
                "change": None if start is None or end is None else round(end - start, 2),
            }
        )
    return rows


def results_pdf(project: Project) -> bytes:
    import logging

    from django.template.loader import render_to_string
    from weasyprint import HTML

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)
    html = render_to_string(
        "projects/results_pdf.html", {"project": project, "rows": results(project)}
    )
    return HTML(string=html).write_pdf()
