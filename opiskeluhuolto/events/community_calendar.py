"""The communal calendar of students and guardians: clock items and events of their campus.

Students and guardians of minors see the annual-clock items whose `community` reaches them
(layered for their campus, optionally for one group) and the events meant for them, in
their language. Who belongs where comes from `access.communication` (the scopes and the
two filters); this module only dates and merges what those allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from opiskeluhuolto.access import communication, for_user
from opiskeluhuolto.annualclock import layers
from opiskeluhuolto.annualclock.models import Clock, ClockItem


@dataclass(frozen=True)
class Entry:
    """One line of the calendar: an occurrence of a clock item, or an event."""

    key: str  # unique in the calendar, also the iCalendar UID's stem
    type: str  # a clock item type ("event" for events), for the wheel's tracks
    type_label: str
    title: str
    start: date
    end: date
    starts_at: datetime | None = None  # events only
    ends_at: datetime | None = None
    place: str = ""
    event_id: int | None = None


def _roots_for(student) -> list[Clock]:
    inst = student.institution
    return list(
        Clock.objects.roots()
        .filter(provider_id=inst.provider_id)
        .filter(Q(institution__isnull=True) | Q(institution=inst))
        .filter(Q(campus__isnull=True) | Q(campus_id=student.campus_id))
    )


def entries(user, start: date, end: date, language: str) -> list[Entry]:
    """Everything of the person's calendar between `start` and `end` (inclusive)."""
    scopes = for_user(user).calendar_scopes()
    found: dict[str, Entry] = {}
    same: set[tuple[str, date, date]] = set()
    for scope in scopes:
        student = scope.student
        unit = layers.Unit(student.institution, student.campus)
        terms = layers.terms_for(unit)
        for root in _roots_for(student):
            items = [
                i
                for i in layers.effective_items(root, unit)
                if communication.clock_item_for(scope, i)
            ]
            for d in layers.dated_items(items, start, end, terms):
                title = d.item.title_in(language)
                if (title, d.start, d.end) in same:
                    continue  # the same item on two clocks (e.g. a graduation) shows once
                same.add((title, d.start, d.end))
                key = f"clockitem-{d.item.pk}-{d.start.isoformat()}"
                found[key] = Entry(
                    key=key,
                    type=d.item.type,
                    type_label=str(ClockItem.Type(d.item.type).label),
                    title=title,
                    start=d.start,
                    end=d.end,
                )
    lo = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    hi = timezone.make_aware(datetime.combine(end + timedelta(days=1), datetime.min.time()))
    events = communication.community_events(scopes).filter(starts_at__lt=hi, ends_at__gte=lo)
    for e in events.order_by("starts_at"):
        key = f"event-{e.pk}"
        found[key] = Entry(
            key=key,
            type=ClockItem.Type.EVENT,
            type_label=str(ClockItem.Type.EVENT.label),
            title=e.title_in(language),
            start=timezone.localtime(e.starts_at).date(),
            end=timezone.localtime(e.ends_at).date(),
            starts_at=e.starts_at,
            ends_at=e.ends_at,
            place=e.place or e.remote_link,
            event_id=e.pk,
        )
    return sorted(found.values(), key=lambda x: (x.start, x.starts_at or timezone.now(), x.title))


def months(rows: list[Entry], year_start: date) -> list[tuple[date, list[Entry]]]:
    """The school year's twelve months from August, each with the entries touching it."""
    out = []
    first = year_start
    for _i in range(12):
        nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        out.append((first, [r for r in rows if r.start < nxt and r.end >= first]))
        first = nxt
    return out
