from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Individual welfare: referrals, consents, cases, expert groups."""

    name = "opiskeluhuolto.cases"
    label = "cases"
    verbose_name = _("Individual welfare")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (home panels and navigation)
