"""The home panel (surveys waiting for my answer) and the navigation item."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.front.registry import home_panel, nav_item


def _open_context(request, can):
    from . import actions

    return {"surveys": list(actions.open_for(request.user)[:5])}


def _has_open(can) -> bool:
    from . import actions

    return can.is_authenticated and actions.open_for(can.user, today=can.today).exists()


home_panel("surveys_to_answer", "surveys/panels/to_answer.html", _has_open, _open_context, order=5)
nav_item(
    _("Surveys"),
    "surveys:list",
    lambda can: can.is_staff_member or can.is_student or can.is_guardian,
    order=58,
)
