"""The pure rule logic: no database, no clock."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from opiskeluhuolto.insights import rules
from opiskeluhuolto.insights.rules import Week


def test_steps_reached_lists_every_threshold_passed():
    assert rules.steps_reached(24, [25, 50]) == []
    assert rules.steps_reached(25, [50, 25]) == [25]
    assert rules.steps_reached(70, [30, 50, 70]) == [30, 50, 70]


def test_percent_and_behind_plan():
    assert rules.percent(1, 3) == 33
    assert rules.percent(5, 0) == 0
    assert rules.behind_plan_percent(60, 30) == 50
    assert rules.behind_plan_percent(60, 70) == 0
    assert rules.behind_plan_percent(0, 0) == 0


def test_oppivelvollinen_until_the_18th_birthday():
    born = date(2008, 11, 21)
    assert rules.is_oppivelvollinen(born, date(2026, 11, 20))
    assert not rules.is_oppivelvollinen(born, date(2026, 11, 21))


def test_guardian_is_notified_for_minors_only():
    assert rules.notify_guardian(date(2010, 1, 1), date(2026, 11, 20), 3)
    assert not rules.notify_guardian(date(2004, 1, 1), date(2026, 11, 20), 3)
    assert not rules.notify_guardian(date(2010, 1, 1), date(2026, 11, 20), 0)


def test_school_year_and_window():
    assert rules.school_year_start(date(2026, 11, 20)) == date(2026, 8, 1)
    assert rules.school_year_start(date(2027, 3, 1)) == date(2026, 8, 1)
    assert rules.window_start(date(2026, 11, 20), 4) == date(2026, 10, 26)


def test_streak_runs_over_weekends_and_breaks_on_a_present_day():
    mon = date(2026, 11, 9)
    weeks = [
        Week(mon, marked=0b11111, absent=0b11100),  # Wed–Fri absent
        Week(date(2026, 11, 16), marked=0b11111, absent=0b00011),  # Mon–Tue absent, Wed present
    ]
    assert rules.longest_absent_streak(weeks) == 5


def test_days_without_marks_neither_break_nor_extend_a_streak():
    weeks = [
        Week(date(2026, 10, 5), marked=0b11000, absent=0b11000),
        Week(date(2026, 10, 19), marked=0b00011, absent=0b00001),  # a break week between
    ]
    assert rules.longest_absent_streak(weeks) == 3


@given(st.lists(st.tuples(st.integers(0, 31), st.integers(0, 31)), max_size=6))
def test_streak_is_bounded_by_absent_days(masks):
    weeks = [
        Week(date(2026, 9, 7) + timedelta(weeks=i), marked=m | a, absent=a)
        for i, (m, a) in enumerate(masks)
    ]
    total_absent = sum(bin(a).count("1") for _m, a in masks)
    assert 0 <= rules.longest_absent_streak(weeks) <= total_absent
