"""Recurrence rules of annual-clock items (vuosikello): pure, no ORM, no clock.

A rule says when an item happens within a year:

- ``date``: a fixed day (the safety survey on 11.2.);
- ``weeks``: an ISO week range (the guardian survey in weeks 43–44);
- ``months``: a month range, also over the new year (January–March; October–
  December; December–February);
- ``term``: the autumn or spring term, taken from the institution's calendar
  periods that the caller passes in.

Any rule may happen only every N-th year, counted from an anchor year (the
school health survey every second spring, last in 2025; TEA even years
October–December). For ranges over the new year the year of the start counts.

`validate(rule)` raises `InvalidRule` with a translated message and the field
it concerns; `occurrences(rule, start, end, terms=...)` lists the date ranges
(inclusive) that overlap [start, end].
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

DATE, WEEKS, MONTHS, TERM = "date", "weeks", "months", "term"
KINDS = (DATE, WEEKS, MONTHS, TERM)
AUTUMN, SPRING = "autumn", "spring"

DateRange = tuple[date, date]


class InvalidRule(ValueError):
    """The rule cannot happen. `field` names the offending part, `message` is translated."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Rule:
    kind: str
    day: int | None = None  # DATE
    month: int | None = None  # DATE
    first_week: int | None = None  # WEEKS
    last_week: int | None = None
    first_month: int | None = None  # MONTHS
    last_month: int | None = None
    term: str | None = None  # TERM: "autumn" | "spring"
    every_years: int = 1
    anchor_year: int | None = None

    def __str__(self) -> str:
        return describe(self)


@dataclass(frozen=True)
class Occurrence:
    start: date
    end: date

    def overlaps(self, start: date, end: date) -> bool:
        return self.start <= end and self.end >= start


def _need[T](value: T | None, field: str, message: str) -> T:
    if value is None:
        raise InvalidRule(field, message)
    return value


def _set(value: int | None) -> int:
    """A part of the rule that `validate` has found to be there."""
    if value is None:
        raise AssertionError("the rule was not validated")
    return value


def validate(rule: Rule) -> Rule:
    """Return the rule when it can happen; raise InvalidRule otherwise."""
    if rule.kind not in KINDS:
        raise InvalidRule("kind", _("Choose how the item recurs."))
    if rule.kind == DATE:
        month = _need(rule.month, "date", _("Enter the date as day and month, e.g. 11.2."))
        day = _need(rule.day, "date", _("Enter the date as day and month, e.g. 11.2."))
        if not 1 <= month <= 12:
            raise InvalidRule("date", _("There is no month %(month)s.") % {"month": month})
        # A leap year is used so that 29.2. is accepted (it falls on 28.2. in other years).
        if not 1 <= day <= calendar.monthrange(2024, month)[1]:
            raise InvalidRule(
                "date",
                _("The date %(day)s.%(month)s. does not exist.") % {"day": day, "month": month},
            )
    elif rule.kind == WEEKS:
        for field, value in (("first_week", rule.first_week), ("last_week", rule.last_week)):
            week = _need(value, field, _("Enter the ISO week numbers, e.g. 43 and 44."))
            if not 1 <= week <= 53:
                raise InvalidRule(
                    field,
                    _("There is no week %(week)s: ISO weeks are numbered 1–53.") % {"week": week},
                )
    elif rule.kind == MONTHS:
        for field, value in (("first_month", rule.first_month), ("last_month", rule.last_month)):
            bound = _need(value, field, _("Choose the first and the last month."))
            if not 1 <= bound <= 12:
                raise InvalidRule(field, _("There is no month %(month)s.") % {"month": bound})
    elif rule.kind == TERM and rule.term not in (AUTUMN, SPRING):
        raise InvalidRule("term", _("Choose the autumn or the spring term."))
    if rule.every_years is None or rule.every_years < 1:
        raise InvalidRule("every_years", _("“Every N-th year” must be at least 1."))
    if rule.every_years > 1 and rule.anchor_year is None:
        raise InvalidRule(
            "anchor_year",
            _("Give a year in which the item happens, so that its turn can be counted."),
        )
    if rule.anchor_year is not None and not 1900 <= rule.anchor_year <= 2200:
        raise InvalidRule("anchor_year", _("Enter a year between 1900 and 2200."))
    return rule


def happens_in(rule: Rule, year: int) -> bool:
    """Whether an occurrence starting in `year` is on its turn (every N-th year)."""
    if rule.every_years <= 1:
        return True
    return (year - (rule.anchor_year or 0)) % rule.every_years == 0


def _weeks_in(year: int) -> int:
    return date(year, 12, 28).isocalendar().week


def _candidate(rule: Rule, year: int) -> Occurrence | None:
    """The occurrence whose start falls in calendar (or ISO) year `year`, if any."""
    if rule.kind == DATE:
        month = _set(rule.month)
        day = min(_set(rule.day), calendar.monthrange(year, month)[1])
        d = date(year, month, day)
        return Occurrence(d, d)
    if rule.kind == WEEKS:
        first_week, last_week = _set(rule.first_week), _set(rule.last_week)
        if first_week > _weeks_in(year):
            return None
        start = date.fromisocalendar(year, first_week, 1)
        end_year = year if last_week >= first_week else year + 1
        last_week = min(last_week, _weeks_in(end_year))
        end = date.fromisocalendar(end_year, last_week, 7)
        return Occurrence(start, end)
    if rule.kind == MONTHS:
        first_month, last_month = _set(rule.first_month), _set(rule.last_month)
        start = date(year, first_month, 1)
        end_year = year if last_month >= first_month else year + 1
        end = date(end_year, last_month, calendar.monthrange(end_year, last_month)[1])
        return Occurrence(start, end)
    raise AssertionError(rule.kind)


def _is_autumn(term: DateRange) -> bool:
    return term[0].month >= 7


def occurrences(
    rule: Rule, start: date, end: date, *, terms: tuple[DateRange, ...] | list = ()
) -> list[Occurrence]:
    """The occurrences of `rule` that overlap [start, end], in order.

    `terms` are the institution's terms (calendar periods of kind "term"); a
    term rule without them has no occurrences.
    """
    validate(rule)
    if end < start:
        return []
    found: list[Occurrence] = []
    if rule.kind == TERM:
        for t_start, t_end in sorted(terms):
            wanted = _is_autumn((t_start, t_end)) == (rule.term == AUTUMN)
            occ = Occurrence(t_start, t_end)
            if wanted and happens_in(rule, t_start.year) and occ.overlaps(start, end):
                found.append(occ)
        return found
    # One year earlier: a range that started last year may still run (Dec–Feb, week 52–2).
    for year in range(start.year - 1, end.year + 1):
        candidate = _candidate(rule, year)
        if candidate and happens_in(rule, year) and candidate.overlaps(start, end):
            found.append(candidate)
    return found


def next_occurrence(rule: Rule, after: date, *, terms=()) -> Occurrence | None:
    """The first occurrence that has not ended before `after` (looking up to 10 years ahead)."""
    found = occurrences(rule, after, after + timedelta(days=3660), terms=terms)
    return found[0] if found else None


def month_name(month: int) -> str:
    names = {
        1: _("January"),
        2: _("February"),
        3: _("March"),
        4: _("April"),
        5: _("May"),
        6: _("June"),
        7: _("July"),
        8: _("August"),
        9: _("September"),
        10: _("October"),
        11: _("November"),
        12: _("December"),
    }
    return names[month]


def describe(rule: Rule) -> str:
    """A short human description in the active language ("weeks 43–44, every 2nd year (2026)")."""
    if rule.kind == DATE:
        text = f"{rule.day}.{rule.month}."
    elif rule.kind == WEEKS:
        if rule.first_week == rule.last_week:
            text = _("week %(week)s") % {"week": rule.first_week}
        else:
            text = _("weeks %(first)s–%(last)s") % {
                "first": rule.first_week,
                "last": rule.last_week,
            }
    elif rule.kind == MONTHS:
        if rule.first_month == rule.last_month:
            text = month_name(_set(rule.first_month))
        else:
            text = f"{month_name(_set(rule.first_month))}–{month_name(_set(rule.last_month))}"
    else:
        text = _("autumn term") if rule.term == AUTUMN else _("spring term")
    if rule.every_years > 1:
        text += ", " + _("every %(n)s. year (e.g. %(year)s)") % {
            "n": rule.every_years,
            "year": rule.anchor_year,
        }
    return text
