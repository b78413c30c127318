from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """Knowledge-based management: early warning, dashboards, exports."""

    name = "opiskeluhuolto.insights"
    label = "insights"
    verbose_name = _("Knowledge-based management")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (registers home panels and navigation)
