"""PDF of published minutes, made with WeasyPrint from an HTML template."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.utils import translation

# WeasyPrint reports every layout step at INFO; keep the logs for real problems.
for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def minutes_pdf(meeting) -> bytes:
    from weasyprint import HTML

    items = meeting.items.prefetch_related("follow_ups__owner")
    with translation.override("fi"):
        html = render_to_string("meetings/minutes_pdf.html", {"meeting": meeting, "items": items})
    return HTML(string=html).write_pdf()
