"""Navigation and the handler's home panel (incidents routed to them, overdue flagged)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.front.registry import home_panel, nav_item, public_section


def _mine(request, can) -> dict:
    rows = can.incidents_scope().open().select_related("campus").order_by("follow_up_on")[:8]
    today = timezone.localdate()
    return {"rows": [(i, i.is_overdue(today)) for i in rows]}


nav_item(_("Report an incident"), "incidents:report", lambda can: can.is_school_staff, order=65)
home_panel(
    "incidents_handling",
    "incidents/panels/handling.html",
    lambda can: can.is_school_staff,
    _mine,
    order=31,
)


def _tell_us(request, can) -> dict:
    student = can.own_student
    return {"slug": student.institution.slug if student else ""}


home_panel(
    "incidents_tell_us",
    "incidents/panels/tell_us.html",
    lambda can: can.own_student is not None,
    _tell_us,
    order=61,
)
public_section("incidents", "incidents/public_section.html", lambda request, inst: {}, order=55)
