"""Announcements on everyone's home page (read/unread), the nav item, the public archive."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.front.registry import home_panel, nav_item, public_section


def _panel_context(request, can):
    from .models import Delivery

    lang = (get_language() or "fi")[:2]
    rows = list(
        Delivery.objects.filter(user=request.user, announcement__status__in=["sending", "sent"])
        .select_related("announcement")
        .order_by("-announcement__sent_at")[:5]
    )
    for d in rows:
        d.title = d.announcement.title_in(lang)
    unread = Delivery.objects.filter(
        user=request.user, read_at__isnull=True, announcement__status__in=["sending", "sent"]
    ).count()
    return {"items": rows, "unread": unread}


def _public(request, institution):
    from .views import public_archive

    lang = (get_language() or "fi")[:2]
    items = public_archive(institution)[:5]
    for a in items:
        a.title = a.title_in(lang)
    return {"institution": institution, "items": items}


home_panel(
    "announcements",
    "announcements/panel.html",
    lambda can: can.is_authenticated,
    _panel_context,
    order=5,
)
nav_item(_("Announcements"), "announcements:index", lambda can: can.is_authenticated, order=70)
public_section("announcements", "announcements/_public_archive.html", _public, order=60)
