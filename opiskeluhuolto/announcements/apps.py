from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    """Announcements and newsletters to students, guardians, staff and welfare groups."""

    name = "opiskeluhuolto.announcements"
    label = "announcements"
    verbose_name = _("Announcements and newsletters")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (home panel, navigation, public archive section)
