"""The audit trail through the API: the same readers, filters and pages as the HTML page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.paginator import EmptyPage, Paginator
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from opiskeluhuolto.access import audit as access_audit
from opiskeluhuolto.access.api import api_policy

from .forms import EventFilterForm
from .views import PAGE_SIZE

router = Router(tags=["audit"])


class EventOut(Schema):
    id: int
    at: datetime
    provider_id: int | None
    actor_id: int | None
    actor_name: str
    source: str
    kind: str
    object_type: str
    object_id: int
    student_id: int | None
    before: Any
    after: Any


class Filters(Schema):
    provider: int | None = None
    kind: str | None = None
    actor: int | None = None
    since: date | None = None
    until: date | None = None
    student: int | None = None
    page: int = 1


@router.get(
    "/events",
    response=list[EventOut],
    auth=api_policy("authenticated"),
    url_name="audit-events",
)
def events(request, filters: Query[Filters]):
    """Audit events of the providers the person administers (or whose register they are
    responsible for), newest first, 50 a page; 404 for anyone else."""
    scope = access_audit.events_scope(request.user)
    data = {k: v for k, v in filters.dict().items() if v is not None and k != "page"}
    form = EventFilterForm(
        data,
        providers=access_audit.readable_providers(request.user),
        actors=list(scope.exclude(actor_id=None).values_list("actor_id", "actor_name").distinct()),
    )
    if not form.is_valid():
        raise HttpError(
            422, "; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items())
        )
    rows = form.filter(scope).order_by("-at", "-pk")
    if filters.page < 1:
        raise HttpError(422, "page must be 1 or more")
    try:
        page = Paginator(rows, PAGE_SIZE).page(filters.page)
    except EmptyPage:
        return []
    return [
        {
            "id": e.pk,
            "at": e.at,
            "provider_id": e.provider_id_ref,
            "actor_id": e.actor_id,
            "actor_name": e.actor_name,
            "source": e.source,
            "kind": e.kind,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "student_id": e.student_id_ref,
            "before": e.before,
            "after": e.after,
        }
        for e in page
    ]
