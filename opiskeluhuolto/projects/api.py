"""API of development projects: a project's results for its funder."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema

from opiskeluhuolto.access import projects as access
from opiskeluhuolto.access.api import api_policy

from . import results

router = Router(tags=["projects"])


class ProjectGoalResultOut(Schema):
    goal: str
    measures: list[str]
    indicator: str | None
    unit: str | None
    target: float | None
    start: float | None
    end: float | None
    change: float | None


class ProjectResultsOut(Schema):
    id: int
    name: str
    funder: str
    starts_on: date
    ends_on: date
    partners: list[str]
    goals: list[ProjectGoalResultOut]


@router.get(
    "/{project_id}/results",
    response=ProjectResultsOut,
    auth=api_policy("authenticated"),
    url_name="projects-results",
)
def project_results(request, project_id: int):
    """Each goal with its measures and its indicator's value at the start and the end of
    the project (the institution's value of those years; null when not measured)."""
    project = access.get_project(request.user, project_id)
    return {
        "id": project.pk,
        "name": project.name,
        "funder": project.funder,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "partners": project.partner_list(),
        "goals": results.results(project),
    }
