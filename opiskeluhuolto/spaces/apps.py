from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    """Communal spaces of a campus: bookings by groups, partners and staff, service hours
    of partners, and the use of the space counted (issue 20)."""

    name = "opiskeluhuolto.spaces"
    label = "spaces"
    verbose_name = _("Communal spaces")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (navigation)
