from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    """Appointments with welfare staff within the legal time limits."""

    name = "opiskeluhuolto.appointments"
    label = "appointments"
    verbose_name = _("Appointments with welfare staff within the legal time limits")

    def ready(self) -> None:
        from . import (
            panels,  # noqa: F401  (registers home panels and navigation)
            receivers,  # noqa: F401  (the §15 requests of referrals: cases.signals)
            retention,  # noqa: F401  (its documents in the provider's retention classes)
            slots,  # noqa: F401  (keeps the free-times versions current)
        )
