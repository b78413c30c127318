"""Deadlines shown as a date and as "in N working days" (UX.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from opiskeluhuolto.lib.workdays import working_days_between


@dataclass(frozen=True)
class Deadline:
    due: date
    working_days_left: int
    overdue: bool


def deadline_info(institution, due: date | None, today: date) -> Deadline | None:
    if due is None:
        return None
    calendar = institution.school_calendar()
    return Deadline(
        due=due,
        working_days_left=working_days_between(calendar, today, due),
        overdue=due < today,
    )
