from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualclockConfig(AppConfig):
    """Annual clocks (vuosikello) and their recurring items."""

    name = "opiskeluhuolto.annualclock"
    label = "annualclock"
    verbose_name = _("Annual clocks (vuosikello) and their recurring items")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (registers the home panel and navigation)
