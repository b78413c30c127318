"""Cases over the API: the same scopes and fetch helpers as the pages."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema

from opiskeluhuolto.access import cases as access
from opiskeluhuolto.access.api import api_policy

from . import signals
from .models import Case

router = Router(tags=["cases"])

#: What the case API's read is for, in the log: the case with its expert group, as the
#: case page shows them (the row's action says it was through the API).
API_READ_PURPOSE = "case page (API)"


class CaseOut(Schema):
    id: int
    student_id: int
    status: str
    opened_on: date
    closed_on: date | None
    next_follow_up_on: date | None


class CaseMemberOut(Schema):
    name: str
    position: str
    is_responsible: bool
    started_on: date
    ended_on: date | None


class CaseDetailOut(CaseOut):
    members: list[CaseMemberOut]


def _case(case) -> dict:
    return {
        "id": case.pk,
        "student_id": case.student_id,
        "status": case.status,
        "opened_on": case.opened_on,
        "closed_on": case.closed_on,
        "next_follow_up_on": case.next_follow_up_on,
    }


@router.get("/", response=list[CaseOut], auth=api_policy("authenticated"), url_name="cases-list")
def cases(request):
    """The cases the caller may see (member, register admin, own, guardian)."""
    return [
        _case(c) for c in access.cases_visible_to(request.user).order_by("-opened_on", "-pk")[:500]
    ]


@router.get(
    "/{case_id}",
    response=CaseDetailOut,
    auth=api_policy("authenticated"),
    url_name="cases-detail",
)
def case_detail(request, case_id: int):
    """One case with its expert group; 404 when missing or not visible to the caller, 403
    to a student or guardian in a session not strongly identified (LAW.md L-306-4). The
    read is logged by the register, as the case page's is (LAW.md L-906-1)."""
    case = access.get_case(request.user, case_id, request=request)
    members = [
        {
            "name": m.user.display_name,
            "position": m.position,
            "is_responsible": m.is_responsible,
            "started_on": m.started_on,
            "ended_on": m.ended_on,
        }
        for m in case.memberships.select_related("user")
    ]
    signals.cases_listed.send(
        sender=Case,
        user=request.user,
        cases=[case],
        purpose=API_READ_PURPOSE,
        request=request,
        api=True,
    )
    return {**_case(case), "members": members}
