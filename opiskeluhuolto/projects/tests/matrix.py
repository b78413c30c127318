"""Who reaches development projects. The lukio's project (funded by the Finnish National
Agency for Education) is read by every staff role covering the lukio, partners too."""

from __future__ import annotations

from opiskeluhuolto.access.matrix import Row

READERS = (
    "admin",
    "rehtori",
    "kuraattori",
    "psykologi",
    "nurse",
    "teacher",
    "supervisor",
    "external",
)


def setup(cast) -> None:
    from .conftest import make_project

    cast.project = make_project(cast)


def _to(members, status):
    return {"*": 404, "anonymous": 302, **{m: status for m in members}}


ROWS = [
    Row("projects:index", {"*": 200, "anonymous": 302}),
    Row("projects:project", _to(READERS, 200), kwargs=lambda c: {"pk": c.project.pk}),
    Row("projects:results_pdf", _to(READERS, 200), kwargs=lambda c: {"pk": c.project.pk}),
    Row(
        "api:projects-results",
        {"*": 404, "anonymous": 401, **{m: 200 for m in READERS}},
        kwargs=lambda c: {"project_id": c.project.pk},
    ),
]
