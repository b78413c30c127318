from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Events and campaigns of communal welfare: registration, attendance, participation."""

    name = "opiskeluhuolto.events"
    label = "events"
    verbose_name = _("Events and campaigns")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (home panel and navigation)
