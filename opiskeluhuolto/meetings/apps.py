from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Communal welfare: groups, meetings, agendas, minutes, the welfare plan, goals."""

    name = "opiskeluhuolto.meetings"
    label = "meetings"
    verbose_name = _("Communal welfare")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (home panels, navigation, the public plan section)
