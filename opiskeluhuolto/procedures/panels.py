"""Navigation, home panels and the public welfare page section; the clock and plan seams."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.annualclock import extensions
from opiskeluhuolto.front.registry import home_panel, nav_item, public_section
from opiskeluhuolto.meetings import section_links

from . import actions, clock, safety
from .models import Procedure


def _to_confirm(request, can) -> dict:
    return {"versions": actions.to_confirm(request.user)}


def _for_me(request, can) -> dict:
    """Students and guardians: the procedures meant for them, in their language."""
    audience = set()
    if can.own_student is not None:
        audience.add("students")
    if can.is_guardian:
        audience.add("guardians")
    rows = []
    for p in can.procedures_scope().order_by("kind", "title"):
        current = p.current()
        if current is not None and audience & set(p.audience):
            rows.append((p, current.localized()))
    return {"rows": rows}


def _overdue(request, can) -> dict:
    return {"actions": list(safety.overdue_actions_for(request.user)[:8])}


def _public(request, institution) -> dict:
    # The audience is a short JSON list: filtered here, portably (SQLite has no `contains`).
    procedures = [
        p
        for p in Procedure.objects.filter(provider_id=institution.provider_id)
        if "public" in p.audience and p.institution_id in (None, institution.pk)
    ]
    rows = [(p, p.current()) for p in procedures]
    return {"rows": [(p, v.localized()) for p, v in rows if v is not None]}


nav_item(_("Procedures"), "procedures:index", lambda can: can.is_authenticated, order=60)
home_panel(
    "procedures_to_confirm",
    "procedures/panels/to_confirm.html",
    lambda can: can.is_school_staff,
    _to_confirm,
    order=30,
)
home_panel(
    "procedures_overdue_actions",
    "procedures/panels/overdue_actions.html",
    lambda can: can.is_school_staff,
    _overdue,
    order=32,
)
home_panel(
    "procedures_for_me",
    "procedures/panels/for_me.html",
    lambda can: can.own_student is not None or can.is_guardian,
    _for_me,
    order=60,
)
public_section("procedures", "procedures/public_section.html", _public, order=50)
extensions.item_section("procedures_drills", "procedures/clock_item.html", clock.item_drills)
extensions.clock_section("procedures_year", "procedures/clock_year.html", clock.clock_year)
section_links.register("procedures", clock.plan_links)
