"""Coming events on the home page of those they are meant for, the nav items, and the events
that fulfilled an annual clock item of type event on that item's page."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.annualclock import extensions
from opiskeluhuolto.front.registry import home_panel, nav_item


def _context(request, can):
    from opiskeluhuolto.access import communication

    lang = (get_language() or "fi")[:2]
    rows = list(
        communication.events_visible_to(request.user)
        .filter(ends_at__gte=timezone.now())
        .order_by("starts_at")[:5]
    )
    for e in rows:
        e.title = e.title_in(lang)
    return {"events": rows}


home_panel(
    "events",
    "events/panel.html",
    lambda can: can.is_authenticated,
    _context,
    order=8,
)
nav_item(_("Events"), "events:index", lambda can: can.is_authenticated, order=72)
nav_item(
    _("Calendar"),
    "events:calendar",
    lambda can: can.see_community_calendar(),
    order=73,
)


def _clock_item_events(request, item) -> dict:
    """The events (that the reader may see) that fulfilled the item, the item it adapts or
    its adaptations in the units."""
    if item.type != "event":
        return {}
    from opiskeluhuolto.access import communication

    ids = {item.pk} | set(item.adaptations.values_list("pk", flat=True))
    if item.adapts_id:
        ids.add(item.adapts_id)
    lang = (get_language() or "fi")[:2]
    rows = list(
        communication.events_visible_to(request.user)
        .filter(clock_item_id__in=ids)
        .select_related("institution")
        .order_by("-starts_at")
    )
    for e in rows:
        e.title = e.title_in(lang)
    return {"events": rows, "event_item": True}


extensions.item_section("events_fulfilled", "events/clock_item.html", _clock_item_events)
