"""Access rules for development projects (issue 20, docs/spaces-and-projects.md).

A project of an institution is read by every staff role covering the institution
(partners, external members, too: they work in the project) and by its coordinator.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from opiskeluhuolto.access.primitives import RulePrimitives


class ProjectRules(RulePrimitives):
    def view_project(self, project) -> bool:
        if project.coordinator_id is not None and project.coordinator_id == getattr(
            self.user, "pk", None
        ):
            return True
        return any(
            g.provider_id == project.provider_id
            and (g.institution_id is None or g.institution_id == project.institution_id)
            for g in self.grants
        )


def get_project(user, pk):
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.projects.models import Project

    try:
        project = Project.objects.select_related("institution", "coordinator").get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not for_user(user).view_project(project):
        raise Http404
    return project


def projects_visible_to(user) -> QuerySet:
    """The list scope of `view_project`."""
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.projects.models import Project

    can = for_user(user)
    if not can.is_authenticated:
        return Project.objects.none()
    q = Q(coordinator_id=user.pk)
    for g in can.grants:
        if g.institution_id is None:
            q |= Q(provider_id=g.provider_id)
        else:
            q |= Q(provider_id=g.provider_id, institution_id=g.institution_id)
    return Project.objects.filter(q)
