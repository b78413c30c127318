from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The data subject's rights over the whole project: the access copy, the register of
    data requests with their deadlines, and the register's privacy notice per provider
    (LAW.md L-GDPR-3, L-GDPR-4, L-GDPR-6). Reads every feature app; none reads it."""

    name = "opiskeluhuolto.privacy"
    label = "privacy"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (navigation)
