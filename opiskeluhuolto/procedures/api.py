"""The procedures API: what the signed-in person may read, in their language."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema

from opiskeluhuolto.access import for_user
from opiskeluhuolto.access.api import api_policy

router = Router(tags=["procedures"])


class ProcedureStepOut(Schema):
    text: str
    role: str


class ProcedureOut(Schema):
    id: int
    kind: str
    title: str
    institution_id: int | None
    campus_id: int | None
    audience: list[str]
    version: int
    summary: str
    steps: list[ProcedureStepOut]
    review_on: date
    change_note: str


@router.get(
    "",
    response=list[ProcedureOut],
    auth=api_policy("authenticated"),
    url_name="procedures-list",
)
def list_procedures(request):
    """The current version of every procedure the signed-in person may read."""
    out = []
    for p in for_user(request.user).procedures_scope().order_by("kind", "title"):
        current = p.current()
        if current is None:
            continue
        text = current.localized()
        out.append(
            {
                "id": p.pk,
                "kind": p.kind,
                "title": text["title"],
                "institution_id": p.institution_id,
                "campus_id": p.campus_id,
                "audience": list(p.audience),
                "version": current.number,
                "summary": text["summary"],
                "steps": text["steps"],
                "review_on": current.review_on,
                "change_note": current.change_note,
            }
        )
    return out
