"""The appointments API: free times, requests (with their legal deadline) and bookings.

No rules of its own: `access` decides who sees what; `actions` change state.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema, Status

from opiskeluhuolto.access import appointments as access
from opiskeluhuolto.access import fetch, for_user
from opiskeluhuolto.access.api import api_policy
from opiskeluhuolto.lib.apierrors import ApiError
from opiskeluhuolto.records.models import AccessLogEntry

from . import actions, display, free_times
from .models import AppointmentRequest, Booking, Service
from .reads import log_shown

router = Router(tags=["appointments"])


class SlotOut(Schema):
    professional_id: int
    professional_name: str
    service: str
    starts_at: datetime
    ends_at: datetime
    mode: str
    place: str


class RequestOut(Schema):
    id: int
    student_id: int
    service: str
    status: str
    requested_by: str
    channel: str
    requested_at: datetime
    request_day: date
    urgent: bool
    deadline: date | None
    working_days_left: int | None
    deadline_flag: str
    first_offer_start: datetime | None
    deadline_met: bool | None


class RequestIn(Schema):
    service: Service
    student_id: int | None = None


class BookingOut(Schema):
    id: int
    student_id: int
    request_id: int | None
    professional_id: int
    professional_name: str
    service: str
    status: str
    starts_at: datetime
    ends_at: datetime
    mode: str
    place: str
    meeting_link: str


class BookingIn(Schema):
    professional_id: int
    starts_at: datetime


def _request(req: AppointmentRequest) -> dict:
    state = display.with_states([req])[0].state
    return {
        "id": req.pk,
        "student_id": req.student_id,
        "service": req.service,
        "status": req.status,
        "requested_by": req.requested_by,
        "channel": req.channel,
        "requested_at": req.requested_at,
        "request_day": req.request_day,
        "urgent": req.urgent,
        "deadline": req.deadline,
        "working_days_left": state.days_left,
        "deadline_flag": state.flag,
        "first_offer_start": req.first_offer_start,
        "deadline_met": req.deadline_met,
    }


def _booking(b: Booking) -> dict:
    return {
        "id": b.pk,
        "student_id": b.student_id,
        "request_id": b.request_id,
        "professional_id": b.professional_id,
        "professional_name": b.professional.display_name,
        "service": b.service,
        "status": b.status,
        "starts_at": b.starts_at,
        "ends_at": b.ends_at,
        "mode": b.mode,
        "place": b.place,
        "meeting_link": b.meeting_link,
    }


def _error(e: ValidationError) -> Status:
    errors = e.message_dict if hasattr(e, "error_dict") else {}
    return Status(422, {"detail": " ".join(e.messages), "errors": errors})


@router.get(
    "/availability",
    response=list[SlotOut],
    auth=api_policy("authenticated"),
    url_name="appointments-availability",
)
def availability(request, institution_id: int | None = None):
    """Free times of the next three weeks: a student's own institution by default."""
    can = for_user(request.user)
    if institution_id is None:
        if not can.own_student:
            raise Http404
        institution = can.own_student.institution
    else:
        institution = fetch.get_institution(request.user, institution_id)
    result = []
    for member, slots in free_times.next_free_times(institution, per_professional=0):
        result += [
            {
                "professional_id": s.professional_id,
                "professional_name": member.name,
                "service": member.role,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "mode": s.mode,
                "place": s.place,
            }
            for s in slots
        ]
    return result


@router.get(
    "/requests",
    response=list[RequestOut],
    auth=api_policy("authenticated"),
    url_name="appointments-requests",
)
def requests(request, open_only: bool = True):
    """Requests the person may see, by deadline, each with its deadline and working days left."""
    qs = access.requests_visible_to(request.user).select_related("institution")
    if open_only:
        qs = qs.unresolved()
    rows = list(qs.by_deadline()[:500])
    log_shown(request, requests=rows, purpose="API", action=AccessLogEntry.Action.API_READ)
    return [_request(r) for r in rows]


@router.post(
    "/requests",
    response={201: RequestOut, 422: ApiError},
    auth=api_policy("student_or_guardian"),
    url_name="appointments-request-create",
)
def create_request(request, payload: RequestIn):
    """A student (for themselves) or a guardian (for a minor child) asks for a time."""
    can = for_user(request.user)
    if payload.student_id is None:
        student = can.own_student
    else:
        student = fetch.get_student(request.user, payload.student_id)
    if student is None or not can.request_appointment_for(student):
        raise Http404
    by = (
        AppointmentRequest.RequestedBy.STUDENT
        if can.own_student and can.own_student.pk == student.pk
        else AppointmentRequest.RequestedBy.GUARDIAN
    )
    try:
        req = actions.create_request(
            student,
            service=payload.service,
            requested_by=by,
            channel=AppointmentRequest.Channel.ONLINE,
            actor=request.user,
        )
    except ValidationError as e:
        return _error(e)
    return Status(201, _request(req))


@router.get(
    "/requests/{request_id}",
    response=RequestOut,
    auth=api_policy("authenticated"),
    url_name="appointments-request",
)
def request_detail(request, request_id: int):
    req = access.get_appointment_request(request.user, request_id)
    log_shown(request, requests=[req], purpose="API", action=AccessLogEntry.Action.API_READ)
    return _request(req)


@router.get(
    "/bookings",
    response=list[BookingOut],
    auth=api_policy("authenticated"),
    url_name="appointments-bookings",
)
def bookings(request):
    """Active bookings from 30 days back on that the person may see."""
    since = timezone.now() - timedelta(days=30)
    qs = (
        access.bookings_visible_to(request.user)
        .active()
        .filter(starts_at__gte=since)
        .select_related("professional")
    )
    rows = list(qs[:500])
    log_shown(request, bookings=rows, purpose="API", action=AccessLogEntry.Action.API_READ)
    return [_booking(b) for b in rows]


@router.post(
    "/bookings",
    response={201: BookingOut, 422: ApiError},
    auth=api_policy("student_or_guardian"),
    url_name="appointments-booking-create",
)
def create_booking(request, payload: BookingIn):
    """A student books a free time for themselves; no guardian approval (LAW.md L-18-2)."""
    can = for_user(request.user)
    if not can.book_own_appointment():
        raise Http404
    student = can.own_student
    staff = {m.user.pk: m for m in free_times.welfare_staff(student.institution)}
    member = staff.get(payload.professional_id)
    if member is None:
        raise Http404
    try:
        booking = actions.book(
            student=student,
            professional=member.user,
            starts_at=payload.starts_at,
            actor=request.user,
            service=member.role,
        )
    except ValidationError as e:
        return _error(e)
    return Status(201, _booking(booking))
