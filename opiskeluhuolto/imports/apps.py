from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Imports of rosters, attendance and study progress."""

    name = "opiskeluhuolto.imports"
    label = "imports"
    verbose_name = _("Imports of rosters, attendance and study progress")

    def ready(self) -> None:
        from . import rollup_upkeep

        rollup_upkeep.connect()
