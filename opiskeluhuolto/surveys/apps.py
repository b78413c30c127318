from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """The provider's own surveys: built from templates, answered anonymously, released as evidence."""

    name = "opiskeluhuolto.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (home panel, navigation)
