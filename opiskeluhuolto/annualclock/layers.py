"""Layering of clocks and their occurrences in a date range.

The provider's clock is what every unit inherits; an institution adaptation
applies to the institution and its campuses, a campus adaptation on top of it
to that campus only. An adapted item replaces the inherited one; a hidden one
removes it; other items of an adaptation are added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from opiskeluhuolto.organisation.models import CalendarPeriod, Campus, Institution

from . import recurrence
from .models import Clock, ClockItem


@dataclass(frozen=True)
class Unit:
    """Where a clock is looked at from: the provider (both None), an institution or a campus."""

    institution: Institution | None = None
    campus: Campus | None = None

    @classmethod
    def of(cls, clock: Clock) -> Unit:
        return cls(clock.institution, clock.campus)


def layers_for(root: Clock, unit: Unit) -> list[Clock]:
    """The root clock and the adaptations that apply to `unit`, general first."""
    layers = [root]
    if unit.institution is None:
        return layers
    adaptations = root.adaptations.filter(institution=unit.institution)
    inst_level = [a for a in adaptations if a.campus_id is None]
    campus_level = [a for a in adaptations if unit.campus and a.campus_id == unit.campus.pk]
    return layers + inst_level + campus_level


def effective_items(clock: Clock, unit: Unit | None = None) -> list[ClockItem]:
    """The items of `clock` as seen from `unit` (default: the clock's own unit)."""
    root = clock.root
    unit = unit or Unit.of(clock)
    layers = layers_for(root, unit)
    items = ClockItem.objects.filter(clock__in=layers).select_related("owner_group", "clock")
    by_layer: dict[int, list[ClockItem]] = {c.pk: [] for c in layers}
    for item in items:
        by_layer[item.clock_id].append(item)
    result: dict[int, ClockItem] = {}  # keyed by the root item's id, so adaptations replace
    origin: dict[int, int] = {}
    for layer in layers:
        for item in by_layer[layer.pk]:
            key = origin.get(item.adapts_id, item.adapts_id) if item.adapts_id else item.pk
            origin[item.pk] = key
            result[key] = item
    return [i for i in result.values() if not i.is_hidden]


def terms_for(unit: Unit) -> list[tuple[date, date]]:
    """The unit's terms from its institution's calendar (empty at provider level)."""
    if unit.institution is None:
        return []
    periods = CalendarPeriod.objects.filter(
        school_year__institution=unit.institution, kind=CalendarPeriod.Kind.TERM
    )
    return [(p.starts_on, p.ends_on) for p in periods]


@dataclass(frozen=True)
class Dated:
    item: ClockItem
    start: date
    end: date


def dated_items(
    items: list[ClockItem], start: date, end: date, terms: list[tuple[date, date]]
) -> list[Dated]:
    found = [
        Dated(item, occ.start, occ.end)
        for item in items
        for occ in recurrence.occurrences(item.rule, start, end, terms=terms)
    ]
    return sorted(found, key=lambda d: (d.start, d.end, d.item.title))


def school_year_bounds(today: date) -> tuple[date, date]:
    """The school year (1.8.–31.7.) containing `today`: the clock starts from August."""
    y = today.year if today.month >= 8 else today.year - 1
    return date(y, 8, 1), date(y + 1, 7, 31)
