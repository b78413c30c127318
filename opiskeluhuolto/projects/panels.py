"""The navigation item of development projects."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.front.registry import nav_item

nav_item(_("Projects"), "projects:index", lambda can: can.is_staff_member, order=75)
