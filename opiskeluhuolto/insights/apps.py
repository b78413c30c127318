from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """Knowledge-based management: early warning, dashboards, exports."""

    name = "opiskeluhuolto.insights"
    label = "insights"
    verbose_name = _("Knowledge-based management")

    def ready(self) -> None:
        # Home panels and navigation; early warning after imports.
        from . import panels, receivers  # noqa: F401
        from .regional_links import register

        register()
