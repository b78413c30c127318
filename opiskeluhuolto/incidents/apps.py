from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """Incidents: bullying, violence, harassment and substance use, reported and followed up."""

    name = "opiskeluhuolto.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from . import (
            panels,  # noqa: F401  (navigation and the handler's home panel)
            retention,  # noqa: F401  (incidents in the provider's retention classes)
        )
