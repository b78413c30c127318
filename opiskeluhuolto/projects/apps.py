from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Development projects (hankkeet): funder, period, goals and measures linked to the
    plan's indicators, and their results for the funder (issue 20)."""

    name = "opiskeluhuolto.projects"
    label = "projects"
    verbose_name = _("Development projects")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (navigation)
