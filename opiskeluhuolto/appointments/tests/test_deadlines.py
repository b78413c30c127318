"""The legal deadline (LAW.md L-15-2, L-15-3): pure, no database."""

from datetime import date

import pytest

from opiskeluhuolto.appointments.deadlines import (
    DeadlineUnknown,
    deadline_for,
    deadline_state,
    met_deadline,
    working_days_left,
)
from opiskeluhuolto.lib.workdays import SchoolCalendar

pytestmark = pytest.mark.usefixtures("english")

CAL = SchoolCalendar.build(
    terms=[(date(2026, 8, 11), date(2026, 12, 21)), (date(2027, 1, 7), date(2027, 6, 4))],
    days_off=[(date(2026, 10, 12), date(2026, 10, 16)), (date(2027, 2, 22), date(2027, 2, 26))],
)


@pytest.mark.parametrize(
    ("request_day", "due"),
    [
        # Friday before the Christmas break: only Mon 21.12. is left of the term.
        (date(2026, 12, 18), date(2027, 1, 14)),
        # Across a weekend.
        (date(2026, 11, 6), date(2026, 11, 17)),
        # Ascension Day (Thu 6.5.2027) is a public holiday.
        (date(2027, 5, 5), date(2027, 5, 17)),
        # The school's autumn break (week 42).
        (date(2026, 10, 9), date(2026, 10, 27)),
        # Easter: Good Friday and Easter Monday.
        (date(2027, 3, 25), date(2027, 4, 7)),
        # The winter break.
        (date(2027, 2, 19), date(2027, 3, 9)),
        # A request on a Saturday counts from that day.
        (date(2026, 11, 7), date(2026, 11, 17)),
    ],
)
def test_normal_deadline_is_the_seventh_working_day(request_day, due):
    assert deadline_for(CAL, request_day, urgent=False) == due


def test_public_holidays_alone_would_give_december():
    """Counting only public holidays is not enough (L-15-2): without the break it is 31.12."""
    no_break = SchoolCalendar.build(terms=[(date(2026, 8, 11), date(2027, 6, 4))])
    assert deadline_for(no_break, date(2026, 12, 18), urgent=False) == date(2026, 12, 31)
    assert deadline_for(CAL, date(2026, 12, 18), urgent=False).month == 1


@pytest.mark.parametrize(
    ("request_day", "due"),
    [
        (date(2026, 11, 9), date(2026, 11, 10)),  # Monday → Tuesday
        (date(2026, 11, 6), date(2026, 11, 9)),  # Friday → Monday
        (date(2026, 12, 18), date(2026, 12, 21)),  # last Friday → the last term day
        (date(2026, 12, 21), date(2027, 1, 7)),  # the last term day → after the break
        (date(2026, 10, 9), date(2026, 10, 19)),  # before the autumn break
    ],
)
def test_urgent_deadline_is_the_next_working_day(request_day, due):
    assert deadline_for(CAL, request_day, urgent=True) == due


def test_calendar_that_ends_too_soon_gives_a_clear_message():
    with pytest.raises(DeadlineUnknown, match="school calendar"):
        deadline_for(CAL, date(2027, 6, 1), urgent=False)


def test_working_days_left_counts_school_days_only():
    assert working_days_left(CAL, date(2026, 12, 18), date(2027, 1, 14)) == 7
    assert working_days_left(CAL, date(2026, 11, 10), date(2026, 11, 10)) == 0
    assert working_days_left(CAL, date(2026, 11, 12), date(2026, 11, 10)) == -2


def test_deadline_state_flags_and_texts():
    ok = deadline_state(CAL, date(2026, 11, 2), date(2026, 11, 11))
    assert (ok.flag, ok.text, ok.css) == ("ok", "in 7 working days", "badge--ok")
    soon = deadline_state(CAL, date(2026, 11, 9), date(2026, 11, 10))
    assert (soon.flag, soon.text) == ("due_soon", "in 1 working day")
    today = deadline_state(CAL, date(2026, 11, 10), date(2026, 11, 10))
    assert (today.flag, today.text) == ("due_today", "due today")
    late = deadline_state(CAL, date(2026, 11, 13), date(2026, 11, 10))
    assert (late.flag, late.text, late.css) == (
        "overdue",
        "overdue by 3 working days",
        "badge--danger",
    )
    unknown = deadline_state(CAL, date(2026, 11, 13), None)
    assert unknown.flag == "unknown" and "calendar" in unknown.text


def test_met_deadline():
    assert met_deadline(date(2027, 1, 14), date(2027, 1, 14)) is True
    assert met_deadline(date(2027, 1, 15), date(2027, 1, 14)) is False
    assert met_deadline(date(2027, 1, 15), None) is None
