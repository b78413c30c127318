"""The legal deadline of a discussion request, and how close it is. Pure: no ORM, no clock.

LAW.md L-15-2: a non-urgent request is due by the 7th working day of the
institution after the request day. L-15-3: an urgent one the same or the next
working day. Working days come from `opiskeluhuolto.lib.workdays`: term days
minus weekends, public holidays and the school's own breaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opiskeluhuolto.lib.workdays import (
    CalendarNotDefined,
    SchoolCalendar,
    nth_working_day_after,
    working_days_between,
)

NORMAL_WORKING_DAYS = 7
URGENT_WORKING_DAYS = 1
#: A deadline this many working days away (or fewer) counts as "due soon".
DUE_SOON_WORKING_DAYS = 2


class DeadlineUnknown(ValueError):
    """The institution's school calendar does not reach the deadline; the message says what to do."""


def deadline_for(calendar: SchoolCalendar, request_day: date, *, urgent: bool) -> date:
    """The last day on which the discussion must be possible.

    Raises DeadlineUnknown (with a translated message) when the calendar ends first.
    """
    n = URGENT_WORKING_DAYS if urgent else NORMAL_WORKING_DAYS
    try:
        return nth_working_day_after(calendar, request_day, n)
    except CalendarNotDefined:
        raise DeadlineUnknown(
            _(
                "The deadline cannot be computed: the institution's school calendar does not "
                "reach far enough. Ask the provider admin to add the next school year."
            )
        ) from None


def working_days_left(calendar: SchoolCalendar, today: date, deadline: date) -> int:
    """Working days from today to the deadline: 0 when due today, negative when overdue."""
    if deadline >= today:
        return working_days_between(calendar, today, deadline)
    return -working_days_between(calendar, deadline, today)


@dataclass(frozen=True)
class DeadlineState:
    """How a deadline looks today: the flag, its colour class and its text."""

    deadline: date | None
    days_left: int | None
    flag: str  # "unknown", "ok", "due_soon", "due_today", "overdue"

    @property
    def css(self) -> str:
        return {
            "ok": "badge--ok",
            "due_soon": "badge--warn",
            "due_today": "badge--warn",
            "overdue": "badge--danger",
        }.get(self.flag, "badge--danger")

    @property
    def text(self) -> str:
        """The deadline as words, e.g. "in 3 working days"; colour is only ever added to this."""
        if self.deadline is None or self.days_left is None:
            return _("deadline unknown: the school calendar is missing")
        if self.flag == "overdue":
            n = -self.days_left
            if n == 0:
                return _("overdue")
            return ngettext("overdue by %(n)s working day", "overdue by %(n)s working days", n) % {
                "n": n
            }
        if self.days_left == 0:
            return _("due today")
        return ngettext("in %(n)s working day", "in %(n)s working days", self.days_left) % {
            "n": self.days_left
        }


def deadline_state(calendar: SchoolCalendar, today: date, deadline: date | None) -> DeadlineState:
    if deadline is None:
        return DeadlineState(None, None, "unknown")
    if deadline < today:
        return DeadlineState(deadline, working_days_left(calendar, today, deadline), "overdue")
    left = working_days_left(calendar, today, deadline)
    if deadline == today:
        flag = "due_today"
    elif left <= DUE_SOON_WORKING_DAYS:
        flag = "due_soon"
    else:
        flag = "ok"
    return DeadlineState(deadline, left, flag)


def met_deadline(offered_day: date, deadline: date | None) -> bool | None:
    """Was the first offered time on or before the deadline? None when the deadline is unknown."""
    if deadline is None:
        return None
    return offered_day <= deadline
