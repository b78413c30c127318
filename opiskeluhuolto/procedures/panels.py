"""Navigation, the home panel "procedures to confirm" and the public welfare page section."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.front.registry import home_panel, nav_item, public_section

from . import actions
from .models import Procedure


def _to_confirm(request, can) -> dict:
    return {"versions": actions.to_confirm(request.user)}


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
public_section("procedures", "procedures/public_section.html", _public, order=50)
