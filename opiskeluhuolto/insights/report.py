"""The steering group's PDF report: the dashboard's charts as SVG with their tables (WeasyPrint)."""

from __future__ import annotations

import base64
from datetime import date

from django.template.loader import render_to_string

from .charts import Chart, to_svg


def render_pdf(request, charts: list[Chart], start: date, end: date) -> bytes:
    from weasyprint import HTML

    items = []
    for chart in charts:
        image = None
        if chart.spec is not None:
            svg = to_svg(chart.spec).encode("utf-8")
            image = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
        items.append((chart, image))
    html = render_to_string(
        "insights/report.html", {"items": items, "start": start, "end": end}, request=request
    )
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
