"""Free appointment times generated from a professional's weekly hours and exceptions.

`day_slots` is pure (hours, exceptions and busy ranges in, slots out); the
helpers below it read the database for one professional and a range of days.
Only the institution's working days carry slots (LAW.md L-15-2), so a time on
a day off is never offered.

`cached_free_slots_of` serves the pages that list free times (the student's booking
page and home panel): each professional's slots are cached under their
`FreeTimesVersion`, which database triggers change in the transaction of every write to
the tables the free times are read from (`FREE_TIMES_TABLES`; migration
`appointments/0004`, `access.triggers`), bulk writes and queryset updates included.
Booking itself always checks against the database (`find_slot`), and the database
refuses a double booking.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.utils import timezone

from opiskeluhuolto.lib import compiled
from opiskeluhuolto.lib.workdays import SchoolCalendar

from .models import Availability, AvailabilityException, Booking, FreeTimesVersion

Range = tuple[datetime, datetime]

#: The tables the free times are computed from; each has the trigger that changes the
#: professional's `FreeTimesVersion` (a test checks that the computation reads no other).
FREE_TIMES_TABLES = (
    "appointments_availability",
    "appointments_availabilityexception",
    "appointments_booking",
)


@dataclass(frozen=True)
class Slot:
    professional_id: int
    starts_at: datetime
    ends_at: datetime
    mode: str
    place: str

    @property
    def day(self) -> date:
        return timezone.localtime(self.starts_at).date()


@dataclass(frozen=True)
class Window:
    """A stretch of bookable time on one day, cut into slots of `minutes`."""

    start: time
    end: time
    minutes: int
    mode: str
    place: str


def _at(day: date, t: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, t))


def _overlaps(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def day_slots(
    professional_id: int,
    day: date,
    windows: Iterable[Window],
    away: Iterable[tuple[time, time] | None],
    busy: Sequence[Range],
    now: datetime,
) -> list[Slot]:
    """Slots of one day: each window cut into slots, minus time away, busy and past times.

    `away` holds (start, end) ranges, or None for the whole day.
    """
    away = list(away)
    if any(a is None for a in away):
        return []
    away_ranges = [(_at(day, a[0]), _at(day, a[1])) for a in away if a is not None]
    result = []
    for w in windows:
        start, end = _at(day, w.start), _at(day, w.end)
        step = timedelta(minutes=w.minutes)
        while start + step <= end:
            slot = (start, start + step)
            if (
                slot[0] > now
                and not any(_overlaps(slot, r) for r in away_ranges)
                and not any(_overlaps(slot, b) for b in busy)
            ):
                result.append(Slot(professional_id, slot[0], slot[1], w.mode, w.place))
            start += step
    return sorted(result, key=lambda s: s.starts_at)


def free_slots(
    professional_id: int,
    institution_id: int,
    calendar: SchoolCalendar,
    first_day: date,
    last_day: date,
    *,
    now: datetime | None = None,
    exclude_booking: int | None = None,
) -> list[Slot]:
    """Free bookable slots of one professional at one institution, days first_day..last_day."""
    return free_slots_of(
        [professional_id],
        institution_id,
        calendar,
        first_day,
        last_day,
        now=now,
        exclude_booking=exclude_booking,
    )[professional_id]


def free_slots_of(
    professional_ids: Iterable[int],
    institution_id: int,
    calendar: SchoolCalendar,
    first_day: date,
    last_day: date,
    *,
    now: datetime | None = None,
    exclude_booking: int | None = None,
) -> dict[int, list[Slot]]:
    """`free_slots` of several professionals at once: three queries however many there are."""
    now = now or timezone.now()
    ids = list(professional_ids)
    hours: dict[int, list[Availability]] = {pk: [] for pk in ids}
    for h in Availability.objects.filter(
        professional_id__in=ids,
        institution_id=institution_id,
        kind=Availability.Kind.BOOKABLE,
        valid_from__lte=last_day,
    ).exclude(valid_until__lt=first_day):
        hours[h.professional_id].append(h)
    exceptions: dict[int, list[AvailabilityException]] = {pk: [] for pk in ids}
    for e in AvailabilityException.objects.filter(
        professional_id__in=ids, day__gte=first_day, day__lte=last_day
    ):
        exceptions[e.professional_id].append(e)
    busy: dict[int, list[Range]] = {pk: [] for pk in ids}
    for pk, starts_at, ends_at in (
        Booking.objects.active()
        .filter(professional_id__in=ids)
        .exclude(pk=exclude_booking)
        .between(_at(first_day, time.min), _at(last_day + timedelta(days=1), time.min))
        .values_list("professional_id", "starts_at", "ends_at")
    ):
        busy[pk].append((starts_at, ends_at))
    days = [d for d in _days(first_day, last_day) if calendar.is_working_day(d)]
    return {
        pk: _free_slots(pk, institution_id, days, hours[pk], exceptions[pk], busy[pk], now)
        for pk in ids
    }


def _days(first_day: date, last_day: date) -> list[date]:
    return [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]


def _versions(*professional_ids: int):
    """The professionals' `FreeTimesVersion`s as (professional, version) pairs; compiled
    once per number of professionals (`compiled.rows`): every booking page asks."""
    versions = FreeTimesVersion.objects.filter(professional_id__in=professional_ids)
    return versions.values_list("professional_id", "version")


def cached_free_slots_of(
    professional_ids: Iterable[int],
    institution_id: int,
    calendar: SchoolCalendar,
    first_day: date,
    last_day: date,
    *,
    now: datetime | None = None,
) -> dict[int, list[Slot]]:
    """`free_slots_of`, cached per professional, institution and days under the
    professional's `FreeTimesVersion`: one query and one cache read when nothing changed.

    The cache holds the slots of every day from the start of `first_day` by day, working
    day or not; the school calendar (which has no version) and the clock are applied here.
    """
    now = now or timezone.now()
    ids = list(professional_ids)
    versions = dict(compiled.rows("free-times-versions", FreeTimesVersion, _versions, *ids))
    keys = {
        pk: f"free-times-by-day:{pk}:{versions.get(pk, 0)}:{institution_id}:{first_day}:{last_day}"
        for pk in ids
    }
    found = cache.get_many(keys.values())
    missing = [pk for pk in ids if keys[pk] not in found]
    if missing:
        # Every day, as if all were working days: the calendar is applied below.
        every_day = SchoolCalendar.build([(first_day, last_day)], (), _days(first_day, last_day))
        day_start = _at(first_day, time.min) - timedelta(microseconds=1)
        fresh = free_slots_of(
            missing, institution_id, every_day, first_day, last_day, now=day_start
        )
        by_day = {pk: _by_day(slots) for pk, slots in fresh.items()}
        cache.set_many({keys[pk]: days for pk, days in by_day.items()}, timeout=24 * 3600)
        found |= {keys[pk]: days for pk, days in by_day.items()}
    working = [d for d in _days(first_day, last_day) if calendar.is_working_day(d)]
    return {
        pk: [s for d in working for s in found[keys[pk]].get(d, ()) if s.starts_at > now]
        for pk in ids
    }


def _by_day(slots: Iterable[Slot]) -> dict[date, list[Slot]]:
    days: dict[date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(slot.day, []).append(slot)
    return days


def _free_slots(
    professional_id: int,
    institution_id: int,
    working_days: Iterable[date],
    hours: Sequence[Availability],
    exceptions: Sequence[AvailabilityException],
    busy: Sequence[Range],
    now: datetime,
) -> list[Slot]:
    slots: list[Slot] = []
    for day in working_days:
        windows = [
            Window(h.starts_at, h.ends_at, h.slot_minutes, h.mode, h.place)
            for h in hours
            if h.weekday == day.weekday() and h.valid_on(day)
        ]
        windows += [
            Window(e.starts_at, e.ends_at, e.slot_minutes, e.mode, e.place)  # type: ignore[arg-type]  # an extra time always has both times (AvailabilityException.clean)
            for e in exceptions
            if e.day == day
            and e.kind == AvailabilityException.Kind.EXTRA
            and e.institution_id == institution_id
        ]
        if not windows:
            continue
        away = [
            None if e.starts_at is None else (e.starts_at, e.ends_at)
            for e in exceptions
            if e.day == day and e.kind == AvailabilityException.Kind.AWAY
        ]
        slots += day_slots(professional_id, day, windows, away, busy, now)  # type: ignore[arg-type]  # an absence with a start has an end (AvailabilityException.clean)
    return slots


def find_slot(
    professional_id: int,
    institution_id: int,
    calendar: SchoolCalendar,
    starts_at: datetime,
    *,
    exclude_booking: int | None = None,
    now: datetime | None = None,
) -> Slot | None:
    """The free slot starting exactly at `starts_at`, or None.

    `exclude_booking`: a booking being moved, whose own time counts as free.
    """
    day = timezone.localtime(starts_at).date()
    candidates = free_slots(
        professional_id,
        institution_id,
        calendar,
        day,
        day,
        now=now,
        exclude_booking=exclude_booking,
    )
    return next((s for s in candidates if s.starts_at == starts_at), None)
