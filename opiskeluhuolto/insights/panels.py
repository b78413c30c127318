"""Home panels and navigation of knowledge-based management (UX.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.front.registry import home_panel, nav_item
from opiskeluhuolto.organisation.models import Role


def _principal_context(request, can) -> dict:
    from . import queries

    scope = can.dashboard_scope()
    start, end = queries.period(can.today)
    months = queries.trend_by_campus(scope, start, end)
    latest: dict = {}
    for r in months:
        latest.setdefault(r["unit"], r)
        latest[r["unit"]] = r
    # Deadline compliance has its own panel (appointments); the dashboard charts it too.
    return {"latest": sorted(latest.values(), key=lambda r: r["unit"])}


def _supervisor_context(request, can) -> dict:
    from opiskeluhuolto.access.insights import care_tasks_visible_to

    tasks = (
        care_tasks_visible_to(request.user)
        .open()
        .select_related("student", "step", "step__rule")
        .order_by("-triggered_on", "pk")
    )
    return {"tasks": tasks[:8], "count": tasks.count()}


def _admin_context(request, can) -> dict:
    from opiskeluhuolto.access.insights import import_runs_visible_to

    runs = import_runs_visible_to(request.user).select_related("institution")[:5]
    return {"runs": runs}


home_panel(
    "insights_principal",
    "insights/panels/principal.html",
    lambda can: can.has_role(Role.PRINCIPAL),
    _principal_context,
    order=35,
)
home_panel(
    "insights_care_tasks",
    "insights/panels/care_tasks.html",
    lambda can: can.has_role(Role.GROUP_SUPERVISOR),
    _supervisor_context,
    order=41,
)
home_panel(
    "imports_admin",
    "insights/panels/imports.html",
    lambda can: can.is_provider_admin(),
    _admin_context,
    order=31,
)
nav_item(_("Absences"), "insights:dashboard", lambda can: can.view_dashboard(), order=60)
nav_item(
    _("Care conversations"),
    "insights:tasks",
    lambda can: can.has_role(Role.GROUP_SUPERVISOR),
    order=61,
)
nav_item(_("Imports"), "imports:index", lambda can: can.is_provider_admin(), order=90)
