"""API of communal welfare: groups, meetings with their agendas and minutes, the published plan."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from ninja import Router, Schema

from opiskeluhuolto.access import communal
from opiskeluhuolto.access.api import api_policy
from opiskeluhuolto.organisation.models import Institution

from . import plans

router = Router(tags=["communal welfare"])


class GroupOut(Schema):
    id: int
    name: str
    kind: str
    institution_id: int | None
    campus_id: int | None
    chair: str | None


class MemberOut(Schema):
    name: str
    role: str
    represents: str


class GroupDetailOut(GroupOut):
    members: list[MemberOut]


class MeetingOut(Schema):
    id: int
    group_id: int
    starts_at: datetime
    ends_at: datetime
    place: str
    status: str


class FollowUpOut(Schema):
    title: str
    owner: str | None
    due_on: date
    done: bool


class AgendaItemOut(Schema):
    title: str
    source: str
    detail: str
    minutes: str
    decision: str
    follow_ups: list[FollowUpOut]


class MeetingDetailOut(MeetingOut):
    attendees: str
    items: list[AgendaItemOut]


class SectionOut(Schema):
    title: str
    body: str
    statutory: bool


class PlanOut(Schema):
    title: str
    version: int
    approved_on: date | None
    approved_by: str
    sections: list[SectionOut]


def _group(g) -> dict:
    return {
        "id": g.pk,
        "name": g.name,
        "kind": g.kind,
        "institution_id": g.institution_id,
        "campus_id": g.campus_id,
        "chair": g.chair.display_name if g.chair else None,
    }


def _meeting(m) -> dict:
    return {
        "id": m.pk,
        "group_id": m.group_id,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "place": m.place,
        "status": m.status,
    }


@router.get(
    "/groups", response=list[GroupOut], auth=api_policy("authenticated"), url_name="meetings-groups"
)
def groups(request):
    rows = communal.welfare_groups_visible_to(request.user).select_related("chair")
    return [_group(g) for g in rows]


@router.get(
    "/groups/{group_id}",
    response=GroupDetailOut,
    auth=api_policy("authenticated"),
    url_name="meetings-group",
)
def group(request, group_id: int):
    g = communal.get_welfare_group(request.user, group_id)
    data = _group(g)
    data["members"] = [
        {"name": m.user.display_name, "role": m.role, "represents": m.represents}
        for m in g.memberships.select_related("user")
    ]
    return data


@router.get(
    "/groups/{group_id}/meetings",
    response=list[MeetingOut],
    auth=api_policy("authenticated"),
    url_name="meetings-group-meetings",
)
def group_meetings(request, group_id: int):
    g = communal.get_welfare_group(request.user, group_id)
    return [_meeting(m) for m in g.meetings.order_by("-starts_at")[:100]]


@router.get(
    "/meetings/{meeting_id}",
    response=MeetingDetailOut,
    auth=api_policy("authenticated"),
    url_name="meetings-meeting",
)
def meeting(request, meeting_id: int):
    m = communal.get_meeting(request.user, meeting_id)
    data = _meeting(m)
    data["attendees"] = m.attendees
    data["items"] = [
        {
            "title": i.title,
            "source": i.source,
            "detail": i.detail,
            "minutes": i.minutes,
            "decision": i.decision,
            "follow_ups": [
                {
                    "title": f.title,
                    "owner": f.owner.display_name if f.owner else None,
                    "due_on": f.due_on,
                    "done": f.done_at is not None,
                }
                for f in i.follow_ups.all()
            ],
        }
        for i in m.items.prefetch_related("follow_ups__owner")
    ]
    return data


@router.get(
    "/plans/published/{institution_id}",
    response=PlanOut,
    auth=api_policy("public"),
    url_name="meetings-plan-public",
)
def published_plan(request, institution_id: int):
    """The approved welfare plan of an institution: public like its web page (LAW.md L-13-3)."""
    institution = Institution.objects.filter(pk=institution_id).first()
    version = plans.published_version(institution) if institution else None
    if version is None:
        raise Http404
    return {
        "title": version.plan.title,
        "version": version.number,
        "approved_on": version.approved_on,
        "approved_by": version.approved_by_body,
        "sections": [
            {"title": s.title, "body": s.body, "statutory": s.is_statutory}
            for s in version.sections.all()
        ],
    }
