"""API of events: those I may see, registering and cancelling one's registration."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Router, Schema, Status

from opiskeluhuolto.access import communication
from opiskeluhuolto.access.api import api_policy
from opiskeluhuolto.lib.apierrors import ApiError

from . import actions
from .models import Registration

router = Router(tags=["events"])


class CommunityEventOut(Schema):
    id: int
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    place: str
    remote_link: str
    campaign: str | None
    registration: bool
    capacity: int | None
    taken: int
    my_status: str | None


class RegistrationOut(Schema):
    event: int
    status: str


def _language() -> str:
    lang = (get_language() or "fi")[:2]
    return lang if lang in ("fi", "sv", "en") else "fi"


@router.get(
    "", response=list[CommunityEventOut], auth=api_policy("authenticated"), url_name="events"
)
def events(request):
    """The coming events the signed-in person may see (from yesterday on), in their language,
    with their own registration status."""
    lang = _language()
    since = timezone.now() - timedelta(days=1)
    rows = list(
        communication.events_visible_to(request.user)
        .filter(ends_at__gte=since)
        .select_related("campaign")
        .order_by("starts_at")[:200]
    )
    ids = [e.pk for e in rows]
    mine = dict(
        Registration.objects.filter(user=request.user, event__in=ids).values_list(
            "event_id", "status"
        )
    )
    shown = set(  # a campaign is named only to those who may see it (`view_campaign`)
        communication.campaigns_visible_to(request.user)
        .filter(pk__in={e.campaign_id for e in rows if e.campaign_id})
        .values_list("pk", flat=True)
    )
    taken: dict[int, int] = {}
    for event_id in Registration.objects.filter(event__in=ids, status="registered").values_list(
        "event_id", flat=True
    ):
        taken[event_id] = taken.get(event_id, 0) + 1
    return [
        {
            "id": e.pk,
            "title": e.title_in(lang),
            "description": e.description_in(lang),
            "starts_at": e.starts_at,
            "ends_at": e.ends_at,
            "place": e.place,
            "remote_link": e.remote_link,
            "campaign": e.campaign.name_in(lang) if e.campaign_id in shown else None,
            "registration": e.registration,
            "capacity": e.capacity,
            "taken": taken.get(e.pk, 0),
            "my_status": mine.get(e.pk),
        }
        for e in rows
    ]


@router.post(
    "/{event_id}/registrations",
    response={201: RegistrationOut, 409: ApiError},
    auth=api_policy("authenticated"),
    url_name="events-register",
)
def register(request, event_id: int):
    """Register (or join the waiting list when full): 201 with the status; 409 when the
    event has no registration or has started; 404 for an event one may not see."""
    event = communication.get_event(request.user, event_id)
    try:
        reg = actions.register(event, request.user)
    except ValidationError as e:
        return Status(409, {"detail": " ".join(e.messages)})
    return Status(201, {"event": event.pk, "status": reg.status})


@router.delete(
    "/{event_id}/registrations/me",
    response={200: RegistrationOut},
    auth=api_policy("authenticated"),
    url_name="events-cancel",
)
def cancel(request, event_id: int):
    """Cancel one's registration (the first on the waiting list gets the place); 404 when
    there is none."""
    event = communication.get_event(request.user, event_id)
    reg = actions.cancel(event, request.user)
    if reg is None:
        raise Http404
    return {"event": event.pk, "status": reg.status}
