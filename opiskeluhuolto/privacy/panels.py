"""Navigation of the data-protection pages."""

from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.front.registry import nav_item

nav_item(_("My data"), "privacy:my_data", lambda can: can.is_student or can.is_guardian, order=26)
nav_item(_("Data requests"), "privacy:requests", lambda can: can.is_register_admin(), order=91)
