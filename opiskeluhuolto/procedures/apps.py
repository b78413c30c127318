from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    """Procedures library (toimintaohjeet) and campus safety: drills and safety walks."""

    name = "opiskeluhuolto.procedures"
    label = "procedures"
    verbose_name = _("Procedures and safety")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (registers navigation and public sections)
