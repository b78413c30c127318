from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """The welfare register: welfare records, disclosures, the access log, retention."""

    name = "opiskeluhuolto.records"
    label = "records"
    verbose_name = _("The welfare register")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (the register's side of cases.signals)
