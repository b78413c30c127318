"""The annual clock on the home page of principals and provider admins (UX.md), and its nav item."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.front.registry import home_panel, nav_item
from opiskeluhuolto.organisation.models import Role


def _clock_for(request, can):
    from opiskeluhuolto.access import communal

    roots = list(communal.clocks_visible_to(request.user).order_by("pk")[:10])
    if not roots:
        return None
    # The welfare groups' clock first: it is the one the principal leads with.
    root = min(roots, key=lambda c: (c.kind != "welfare", c.pk))
    # A principal of a campus sees the campus's own adaptation when there is one.
    campus_ids = {g.campus_id for g in can.grants if g.campus_id}
    adapted = root.adaptations.filter(campus_id__in=campus_ids).first() if campus_ids else None
    return adapted or root


def _panel_context(request, can):
    from . import layers, views, wheel

    clock = _clock_for(request, can)
    if clock is None:
        return {}
    today = can.today
    year_start, year_end = layers.school_year_bounds(today)
    dated = views.clock_year(clock, year_start)
    drawn = wheel.build(
        year_start, [(i, d.item.type, d.start, d.end) for i, d in enumerate(dated)], today
    )
    soon = [d for d in dated if d.end >= today and d.start <= today + timedelta(days=60)][:6]
    return {
        "clock": clock,
        "wheel": drawn,
        "marks": [(m, dated[m.key]) for m in drawn.marks],
        "soon": soon,
        "year_start": year_start,
        "year_end": year_end,
    }


home_panel(
    "annual_clock",
    "annualclock/panel.html",
    lambda can: can.has_role(Role.PRINCIPAL, Role.PROVIDER_ADMIN),
    _panel_context,
    order=25,
)
nav_item(_("Annual clock"), "annualclock:clocks", lambda can: can.is_staff_member, order=60)
