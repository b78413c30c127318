"""The incidents API: a staff report, a student's anonymous report, the suppressed summary."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import ConfigDict

from opiskeluhuolto.access import for_user
from opiskeluhuolto.access.api import api_policy
from opiskeluhuolto.lib.apierrors import ApiError
from opiskeluhuolto.organisation.models import Campus, Institution

from . import actions, ratelimit, summary
from .models import Category

router = Router(tags=["incidents"])


class IncidentIn(Schema):
    category: Category
    campus_id: int
    occurred_at: datetime
    place: str = ""
    description: str = ""
    immediate_actions: str = ""
    student_ids: list[int] = []
    others: str = ""


class AnonymousIn(Schema):
    """Only these fields: a body naming the reporter's id (or anything else) is refused."""

    model_config = ConfigDict(extra="forbid")

    category: Category
    campus_id: int
    occurred_at: datetime
    place: str = ""
    description: str = ""
    name: str = ""
    wants_contact: bool = False
    contact: str = ""


class Created(Schema):
    id: int
    routed: bool


class SummaryCell(Schema):
    category: str
    campus: str
    month: str
    count: int | None
    suppressed: bool


class SummaryOut(Schema):
    since: date
    until: date
    cells: list[SummaryCell]
    followed_up_in_time: float | None


def _errors(e: ValidationError) -> dict:
    if hasattr(e, "error_dict"):
        return {k: ValidationError(v).messages for k, v in e.error_dict.items()}
    return {"request": [str(m) for m in e.messages]}


def _campus(campus_id: int) -> Campus | None:
    return Campus.objects.select_related("institution").filter(pk=campus_id).first()


@router.post(
    "",
    response={201: Created, 422: ApiError},
    auth=api_policy("school_staff"),
    url_name="incidents-report",
)
def report(request, payload: IncidentIn):
    """A staff member's report; routed to the responsible person under the procedure."""
    campus = _campus(payload.campus_id)
    if campus is not None and not for_user(request.user).roles_at(campus.institution):
        campus = None  # another unit's campus: as if it did not exist
    students = []
    if campus is not None and payload.student_ids:
        can = for_user(request.user)
        students = list(
            can.students_scope().filter(pk__in=payload.student_ids, institution=campus.institution)
        )
        if len(students) != len(set(payload.student_ids)):
            return Status(
                422,
                {
                    "detail": "The request is not valid.",
                    "errors": {"student_ids": ["Unknown student."]},
                },
            )
    try:
        incident = actions.report(
            by=request.user,
            campus=campus,
            category=payload.category,
            occurred_at=payload.occurred_at,
            place=payload.place,
            description=payload.description,
            immediate_actions=payload.immediate_actions,
            students=students,
            others=payload.others,
        )
    except ValidationError as e:
        return Status(422, {"detail": "The request is not valid.", "errors": _errors(e)})
    return Status(201, {"id": incident.pk, "routed": incident.handler_id is not None})


@router.post(
    "/anonymous",
    response={201: Created, 422: ApiError, 429: ApiError},
    # What she wrote is confidential (JulkL 24 §): no answer to it is stored.
    auth=api_policy("public", confidential=True),
    url_name="incidents-anonymous",
)
def report_anonymous(request, payload: AnonymousIn):
    """A student's report. No sign-in is used or stored: nothing identifies the reporter
    unless she writes her name. A body with any other field (a reporter id) is refused.
    A few reports an hour from one client (`ratelimit`); more are answered 429."""
    if ratelimit.limited(request):
        return Status(429, {"detail": ratelimit.message()})
    try:
        incident = actions.report_anonymously(
            campus=_campus(payload.campus_id),
            category=payload.category,
            occurred_at=payload.occurred_at,
            place=payload.place,
            description=payload.description,
            name=payload.name,
            wants_contact=payload.wants_contact,
            contact=payload.contact,
        )
    except ValidationError as e:
        return Status(422, {"detail": "The request is not valid.", "errors": _errors(e)})
    ratelimit.count(request)
    return Status(201, {"id": incident.pk, "routed": incident.handler_id is not None})


@router.get(
    "/summary",
    response={200: SummaryOut, 404: ApiError},
    auth=api_policy("school_staff"),
    url_name="incidents-summary",
)
def get_summary(request, institution_id: int, since: date | None = None):
    """Counts by category, campus and month; cells under 5 suppressed (count null)."""
    institution = Institution.objects.filter(pk=institution_id).first()
    if institution is None or not for_user(request.user).view_incident_summary(institution):
        return Status(404, {"detail": "Not found."})
    since = since or timezone.localdate() - timedelta(days=365)
    return summary.summary(institution, since)
