from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "opiskeluhuolto.access"
    label = "access"
    verbose_name = "Access"

    def ready(self) -> None:
        from opiskeluhuolto import checks  # noqa: F401  (registers the system checks)
