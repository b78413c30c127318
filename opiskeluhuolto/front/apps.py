from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "opiskeluhuolto.front"
    label = "front"
    verbose_name = "Front"

    def ready(self) -> None:
        from . import (
            panels,  # noqa: F401  (registers the foundation's home panels and navigation)
            services,  # noqa: F401  (keeps the service-break notice current)
        )
