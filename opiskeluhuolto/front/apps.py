from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontConfig(AppConfig):
    name = "opiskeluhuolto.front"
    label = "front"
    verbose_name = "Front"

    def ready(self) -> None:
        # Django 6's empty choice ("- Select an option -") has no Finnish or Swedish in
        # Django's catalogues: every select of the project says it in the user's language.
        from django.db.models import fields

        from . import (
            panels,  # noqa: F401  (registers the foundation's home panels and navigation)
            services,  # noqa: F401  (keeps the service-break notice current)
        )

        fields.BLANK_CHOICE_LABEL = _("– choose –")
