"""The navigation item of communal spaces."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.front.registry import nav_item

nav_item(
    _("Spaces"),
    "spaces:index",
    lambda can: can.is_staff_member or can.own_student is not None,
    order=74,
)
