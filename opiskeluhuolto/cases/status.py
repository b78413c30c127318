"""Deadlines shown as a date and as "in N working days" (UX.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from opiskeluhuolto.lib.workdays import SchoolCalendar, working_days_between


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


def with_deadlines(referrals, today: date) -> list:
    """Attach `due` (a Deadline or None) to each referral; one calendar per institution."""
    calendars: dict[int, SchoolCalendar] = {}
    rows = list(referrals)
    for r in rows:
        if r.student_notice_due is None or r.student_notified_at is not None:
            r.due = None
            continue
        cal = calendars.get(r.institution_id)
        if cal is None:
            cal = calendars[r.institution_id] = r.institution.school_calendar()
        r.due = Deadline(
            due=r.student_notice_due,
            working_days_left=working_days_between(cal, today, r.student_notice_due),
            overdue=r.student_notice_due < today,
        )
    return rows
