"""API of communal spaces: a week's bookings of a space, and booking it."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ValidationError as PydanticError

from opiskeluhuolto.access import for_user
from opiskeluhuolto.access import spaces as access
from opiskeluhuolto.access.api import api_policy
from opiskeluhuolto.lib.apierrors import UNREADABLE_BODY, ApiError

from . import actions, week
from .models import Booking

router = Router(tags=["spaces"])


class SpaceBookingOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    kind: str
    #: The group, the booker and the purpose: to those who may book the space only.
    group: str | None
    booked_by: str | None
    purpose: str | None


class SpaceBookIn(Schema):
    starts_at: datetime
    ends_at: datetime
    group_id: int | None = Field(None, ge=1, le=2**31 - 1)
    purpose: str = Field("", max_length=200)


def _out(b: Booking, *, names: bool) -> dict:
    return {
        "id": b.pk,
        "starts_at": b.starts_at,
        "ends_at": b.ends_at,
        "kind": b.kind,
        "group": (b.group.name if b.group else None) if names else None,
        "booked_by": (b.booked_by.get_full_name() if b.booked_by else None) if names else None,
        "purpose": b.purpose if names else None,
    }


@router.get(
    "/{space_id}/bookings",
    response=list[SpaceBookingOut],
    auth=api_policy("authenticated"),
    url_name="spaces-bookings",
)
def bookings(request, space_id: int, week_of: date | None = None):
    """The active bookings of the week of `week_of` (default: this week). Students see
    the times only; staff and partners who may book the space see who booked and why."""
    space = access.get_space(request.user, space_id)
    monday = week.monday_of(week_of.isoformat() if week_of else None, timezone.localdate())
    names = for_user(request.user).book_space(space)
    return [_out(b, names=names) for b in week.bookings_of_week(space, monday)]


@router.post(
    "/{space_id}/book",
    response={201: SpaceBookingOut, 400: ApiError, 409: ApiError},
    auth=api_policy("staff"),
    url_name="spaces-book",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": SpaceBookIn.model_json_schema()}},
        }
    },
)
def book(request, space_id: int):
    """Book the space: 201 with the booking; 409 when the time is taken; 400 for a body
    that cannot be read, a time that ends before it starts, lasts over 12 hours or has no
    time zone, or a group one is not a member of.

    The body is read after the space is fetched, so that one who may not book it gets 404
    whatever they send."""
    space = access.get_space(request.user, space_id, need="book")
    try:
        payload = SpaceBookIn.model_validate_json(request.body)
    except (PydanticError, ValueError, UnicodeDecodeError):
        return Status(400, {"detail": UNREADABLE_BODY})
    if payload.starts_at.tzinfo is None or payload.ends_at.tzinfo is None:
        return Status(400, {"detail": "Give the times with their time zone."})
    group = None
    if payload.group_id is not None:
        group = access.groups_for_booking(request.user, space).filter(pk=payload.group_id).first()
        if group is None:
            return Status(400, {"detail": "No such group of yours.", "errors": {"group_id": []}})
    kind = Booking.Kind.GROUP if group else for_user(request.user).space_booking_kind(space)
    try:
        booking = actions.book(
            space,
            by=request.user,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            kind=kind,
            group=group,
            purpose=payload.purpose,
        )
    except ValidationError as e:
        errors = e.message_dict if hasattr(e, "error_dict") else {}
        status = 409 if actions.is_taken(e) else 400
        return Status(status, {"detail": " ".join(e.messages), "errors": errors})
    return Status(201, _out(booking, names=True))
