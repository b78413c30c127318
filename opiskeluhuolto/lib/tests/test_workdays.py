"""Working days of an institution (LAW.md L-15-2, L-15-3): exhaustive cases and properties."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opiskeluhuolto.lib.workdays import (
    CalendarNotDefined,
    SchoolCalendar,
    is_public_holiday,
    nth_working_day_after,
    working_days_between,
)

# A realistic lukio year 2026–2027 plus the spring of 2026 (Helsinki-like).
CAL = SchoolCalendar.build(
    terms=[
        (date(2026, 1, 7), date(2026, 5, 30)),
        (date(2026, 8, 11), date(2026, 12, 21)),
        (date(2027, 1, 7), date(2027, 6, 4)),
    ],
    days_off=[
        (date(2026, 2, 23), date(2026, 2, 27)),  # winter break, week 9
        (date(2026, 10, 12), date(2026, 10, 16)),  # autumn break, week 42
        (date(2026, 11, 6), date(2026, 11, 6)),  # an extra day off (Friday)
        (date(2027, 2, 22), date(2027, 2, 26)),  # winter break, week 8
    ],
    extra_days=[date(2026, 9, 26)],  # a Saturday school day
)


def test_a_plain_week():
    # Monday 7.9.2026 → the 7th working day is Wednesday 16.9.
    assert nth_working_day_after(CAL, date(2026, 9, 7), 7) == date(2026, 9, 16)


def test_weekend_is_skipped_and_urgent_is_next_working_day():
    friday = date(2026, 9, 4)
    assert nth_working_day_after(CAL, friday, 1) == date(2026, 9, 7)  # Monday
    assert nth_working_day_after(CAL, date(2026, 9, 5), 1) == date(2026, 9, 7)  # from a Saturday


def test_saturday_school_day_counts():
    assert CAL.is_working_day(date(2026, 9, 26))
    assert nth_working_day_after(CAL, date(2026, 9, 25), 1) == date(2026, 9, 26)


def test_autumn_break_is_not_counted():
    # Friday 9.10. before the autumn break: next working day Monday 19.10.
    assert nth_working_day_after(CAL, date(2026, 10, 9), 1) == date(2026, 10, 19)
    assert nth_working_day_after(CAL, date(2026, 10, 9), 7) == date(2026, 10, 27)


def test_extra_day_off_and_all_saints_day():
    # Thu 5.11.: Fri 6.11. is a day off; Sat 31.10. was All Saints' Day (weekend anyway).
    assert nth_working_day_after(CAL, date(2026, 11, 5), 1) == date(2026, 11, 9)


def test_independence_day_on_a_weekday():
    # 6.12.2027 is a Monday; use a calendar that covers it.
    cal = SchoolCalendar.build(terms=[(date(2027, 8, 10), date(2027, 12, 21))])
    assert is_public_holiday(date(2027, 12, 6))
    assert nth_working_day_after(cal, date(2027, 12, 3), 1) == date(2027, 12, 7)


def test_friday_before_christmas_break_is_due_in_january():
    """The issue's example: a request on Friday 18.12.2026 is due in January."""
    assert nth_working_day_after(CAL, date(2026, 12, 18), 7) == date(2027, 1, 14)
    # Public holidays alone would give 31.12.2026 (TOOLING.md): the school calendar matters.
    assert nth_working_day_after(CAL, date(2026, 12, 18), 1) == date(2026, 12, 21)
    assert nth_working_day_after(CAL, date(2026, 12, 18), 2) == date(2027, 1, 7)


def test_epiphany_inside_term_is_not_a_working_day():
    cal = SchoolCalendar.build(terms=[(date(2027, 1, 4), date(2027, 5, 31))])
    assert not cal.is_working_day(date(2027, 1, 6))
    assert nth_working_day_after(cal, date(2027, 1, 5), 1) == date(2027, 1, 7)


def test_easter_is_skipped():
    # Easter 2026: Good Friday 3.4., Easter Monday 6.4.
    assert nth_working_day_after(CAL, date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_may_day_and_ascension_day():
    # 1.5.2026 Friday (Vappu), 14.5.2026 Thursday (Helatorstai).
    assert not CAL.is_working_day(date(2026, 5, 1))
    assert not CAL.is_working_day(date(2026, 5, 14))
    assert nth_working_day_after(CAL, date(2026, 5, 13), 1) == date(2026, 5, 15)


def test_summer_between_school_years():
    # Friday 29.5.2026: the term ends Saturday 30.5.; the next working day is in August.
    assert nth_working_day_after(CAL, date(2026, 5, 29), 1) == date(2026, 8, 11)


def test_winter_break_week():
    assert nth_working_day_after(CAL, date(2026, 2, 20), 1) == date(2026, 3, 2)


def test_year_boundary_counts_into_the_new_year():
    assert nth_working_day_after(CAL, date(2026, 12, 31), 1) == date(2027, 1, 7)


def test_calendar_that_ends_raises_a_clear_error():
    with pytest.raises(CalendarNotDefined):
        nth_working_day_after(CAL, date(2027, 6, 1), 7)
    with pytest.raises(CalendarNotDefined):
        nth_working_day_after(SchoolCalendar.build(terms=[]), date(2026, 9, 1), 1)


def test_n_must_be_positive():
    with pytest.raises(ValueError):
        nth_working_day_after(CAL, date(2026, 9, 1), 0)


def test_working_days_between():
    assert working_days_between(CAL, date(2026, 9, 7), date(2026, 9, 16)) == 7
    assert working_days_between(CAL, date(2026, 9, 16), date(2026, 9, 7)) == 0
    assert working_days_between(CAL, date(2026, 10, 9), date(2026, 10, 19)) == 1


def brute_force(cal: SchoolCalendar, day: date, n: int) -> date:
    """An independent oracle: walk day by day with the definition written out."""
    found = 0
    current = day
    while current < date(2027, 6, 5):
        current += timedelta(days=1)
        in_term = any(a <= current <= b for a, b in cal.terms)
        off = any(a <= current <= b for a, b in cal.days_off)
        weekend = current.weekday() >= 5
        extra = current in cal.extra_days
        if in_term and (extra or not (weekend or is_public_holiday(current) or off)):
            found += 1
            if found == n:
                return current
    raise CalendarNotDefined("oracle ran out")


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=date(2025, 12, 1), max_value=date(2027, 4, 30)),
    n=st.integers(min_value=1, max_value=10),
)
def test_properties_against_an_oracle(day, n):
    result = nth_working_day_after(CAL, day, n)
    assert result > day
    assert CAL.is_working_day(result)
    assert working_days_between(CAL, day, result) == n
    assert result == brute_force(CAL, day, n)
    if n > 1:
        assert nth_working_day_after(CAL, day, n - 1) < result
