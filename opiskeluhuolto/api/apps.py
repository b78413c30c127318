from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "opiskeluhuolto.api"
    label = "api"
    verbose_name = "API"
