"""Working days of an institution (oppilaitoksen työpäivä).

LAW.md L-15-2: deadlines count the institution's own school days: term days,
minus weekends, Finnish public holidays and the school's breaks and extra days
off. Public holidays come from the `holidays` library, never a hand-written
list. Pure: no database, no clock; the caller passes the calendar and the date.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays


class CalendarNotDefined(ValueError):
    """The school calendar does not reach far enough to answer."""


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Finland(years=year).keys())


def is_public_holiday(day: date) -> bool:
    return day in public_holidays(day.year)


DateRange = tuple[date, date]  # inclusive at both ends


@dataclass(frozen=True)
class SchoolCalendar:
    """The days an institution works.

    terms: ranges in which school runs; outside them (summer, between terms) no day is a working day.
    days_off: breaks (autumn, Christmas, winter, Easter) and extra days off inside the terms.
    extra_days: school days on a weekend or holiday (a "Saturday school day").
    """

    terms: tuple[DateRange, ...]
    days_off: tuple[DateRange, ...] = ()
    extra_days: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def build(
        cls,
        terms: Iterable[DateRange],
        days_off: Iterable[DateRange] = (),
        extra_days: Iterable[date] = (),
    ) -> SchoolCalendar:
        return cls(
            terms=tuple(sorted(terms)),
            days_off=tuple(sorted(days_off)),
            extra_days=frozenset(extra_days),
        )

    @property
    def last_day(self) -> date | None:
        return max((end for _, end in self.terms), default=None)

    def in_term(self, day: date) -> bool:
        return any(start <= day <= end for start, end in self.terms)

    def is_working_day(self, day: date) -> bool:
        if not self.in_term(day):
            return False
        if day in self.extra_days:
            return True
        if day.weekday() >= 5 or is_public_holiday(day):
            return False
        return not any(start <= day <= end for start, end in self.days_off)


def working_days_after(calendar: SchoolCalendar, day: date) -> Iterator[date]:
    """Yield the working days strictly after `day`, in order, while the calendar reaches."""
    last = calendar.last_day
    if last is None:
        return
    current = day + timedelta(days=1)
    while current <= last:
        if calendar.is_working_day(current):
            yield current
        current += timedelta(days=1)


def nth_working_day_after(calendar: SchoolCalendar, day: date, n: int) -> date:
    """Return the n-th working day strictly after `day` (n >= 1).

    LAW.md L-15-2: a non-urgent discussion is due by the 7th working day after
    the request day (n=7); L-15-3: an urgent one by the next working day (n=1),
    or the same day. Raises CalendarNotDefined when the calendar ends first.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    for count, working_day in enumerate(working_days_after(calendar, day), start=1):
        if count == n:
            return working_day
    raise CalendarNotDefined(f"the school calendar ends before working day {n} after {day}")


def working_days_between(calendar: SchoolCalendar, start: date, end: date) -> int:
    """Count working days in (start, end]: 0 when end <= start."""
    if end <= start:
        return 0
    return sum(
        1
        for i in range(1, (end - start).days + 1)
        if calendar.is_working_day(start + timedelta(days=i))
    )
