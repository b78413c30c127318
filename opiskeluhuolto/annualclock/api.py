"""API of annual clocks: the clocks a person sees, and their occurrences in a date range."""

from __future__ import annotations

from datetime import date

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from opiskeluhuolto.access import communal
from opiskeluhuolto.access.api import api_policy

from . import layers

router = Router(tags=["annual clock"])


class ClockOut(Schema):
    id: int
    name: str
    kind: str
    unit: str
    adaptations: list[int]


class OccurrenceOut(Schema):
    item_id: int
    title: str
    type: str
    timing: str
    start: date
    end: date
    results_due: str
    owner_group_id: int | None


class Range(Schema):
    start: date
    end: date


@router.get(
    "/clocks", response=list[ClockOut], auth=api_policy("staff"), url_name="annualclock-clocks"
)
def clocks(request):
    rows = communal.clocks_visible_to(request.user).prefetch_related("adaptations")
    return [
        {
            "id": c.pk,
            "name": c.name,
            "kind": c.kind,
            "unit": str(c.unit),
            "adaptations": [a.pk for a in c.adaptations.all()],
        }
        for c in rows
    ]


@router.get(
    "/clocks/{clock_id}/occurrences",
    response=list[OccurrenceOut],
    auth=api_policy("authenticated"),
    url_name="annualclock-occurrences",
)
def occurrences(request, clock_id: int, period: Query[Range]):
    """Occurrences of the clock's items (as its unit sees them) overlapping [start, end]; at most 3 years."""
    clock = communal.get_clock(request.user, clock_id)
    if period.end < period.start or (period.end - period.start).days > 3 * 366:
        raise HttpError(422, "start must be before end, at most three years apart")
    unit = layers.Unit.of(clock)
    dated = layers.dated_items(
        layers.effective_items(clock, unit), period.start, period.end, layers.terms_for(unit)
    )
    return [
        {
            "item_id": d.item.pk,
            "title": d.item.title,
            "type": d.item.type,
            "timing": d.item.timing,
            "start": d.start,
            "end": d.end,
            "results_due": d.item.results_due,
            "owner_group_id": d.item.owner_group_id,
        }
        for d in dated
    ]
