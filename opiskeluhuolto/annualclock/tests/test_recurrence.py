"""The recurrence rules of the annual clock: every kind, parity, validation (pure, no DB)."""

from datetime import date

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from opiskeluhuolto.annualclock import recurrence as r
from opiskeluhuolto.annualclock.recurrence import InvalidRule, Occurrence, Rule, occurrences


def spans(rule, start, end, **kw):
    return [(o.start, o.end) for o in occurrences(rule, start, end, **kw)]


def test_fixed_date_safety_survey_11_2():
    rule = Rule(r.DATE, day=11, month=2)
    assert spans(rule, date(2025, 8, 1), date(2027, 7, 31)) == [
        (date(2026, 2, 11), date(2026, 2, 11)),
        (date(2027, 2, 11), date(2027, 2, 11)),
    ]


def test_29_february_falls_on_28_in_other_years():
    rule = Rule(r.DATE, day=29, month=2)
    assert spans(rule, date(2027, 1, 1), date(2028, 12, 31)) == [
        (date(2027, 2, 28), date(2027, 2, 28)),
        (date(2028, 2, 29), date(2028, 2, 29)),
    ]


def test_iso_weeks_43_44_guardian_survey():
    rule = Rule(r.WEEKS, first_week=43, last_week=44)
    # ISO week 43 of 2026 starts on Monday 19.10.2026; week 44 ends on Sunday 1.11.2026.
    assert spans(rule, date(2026, 8, 1), date(2027, 7, 31)) == [
        (date(2026, 10, 19), date(2026, 11, 1))
    ]


def test_week_53_only_in_years_that_have_it():
    rule = Rule(r.WEEKS, first_week=53, last_week=53)
    found = spans(rule, date(2025, 1, 1), date(2027, 1, 31))
    assert found == [(date(2026, 12, 28), date(2027, 1, 3))]  # 2026 has 53 ISO weeks


def test_week_range_over_the_new_year():
    rule = Rule(r.WEEKS, first_week=52, last_week=2)
    assert spans(rule, date(2026, 12, 1), date(2027, 1, 31)) == [
        (date(2026, 12, 21), date(2027, 1, 17))
    ]


def test_month_range_january_march():
    rule = Rule(r.MONTHS, first_month=1, last_month=3)
    assert spans(rule, date(2026, 8, 1), date(2027, 7, 31)) == [
        (date(2027, 1, 1), date(2027, 3, 31))
    ]


@pytest.mark.parametrize(
    "first,last,expected",
    [
        (10, 12, [(date(2026, 10, 1), date(2026, 12, 31))]),
        (12, 2, [(date(2025, 12, 1), date(2026, 2, 28)), (date(2026, 12, 1), date(2027, 2, 28))]),
    ],
)
def test_month_ranges_oct_dec_and_over_the_new_year(first, last, expected):
    rule = Rule(r.MONTHS, first_month=first, last_month=last)
    assert spans(rule, date(2026, 1, 15), date(2026, 12, 31)) == expected


def test_term_rule_uses_the_calendar_passed_in():
    terms = [(date(2026, 8, 10), date(2026, 12, 19)), (date(2027, 1, 7), date(2027, 6, 1))]
    autumn = Rule(r.TERM, term=r.AUTUMN)
    spring = Rule(r.TERM, term=r.SPRING)
    assert spans(autumn, date(2026, 8, 1), date(2027, 7, 31), terms=terms) == [terms[0]]
    assert spans(spring, date(2026, 8, 1), date(2027, 7, 31), terms=terms) == [terms[1]]
    assert spans(spring, date(2026, 8, 1), date(2027, 7, 31)) == []


def test_school_health_survey_every_second_spring_last_2025():
    rule = Rule(r.MONTHS, first_month=3, last_month=4, every_years=2, anchor_year=2025)
    found = spans(rule, date(2024, 1, 1), date(2029, 12, 31))
    assert [s.year for s, _e in found] == [2025, 2027, 2029]


def test_tea_even_years_october_december():
    rule = Rule(r.MONTHS, first_month=10, last_month=12, every_years=2, anchor_year=2026)
    found = spans(rule, date(2025, 1, 1), date(2030, 12, 31))
    assert [s for s, _e in found] == [date(2026, 10, 1), date(2028, 10, 1), date(2030, 10, 1)]


def test_every_second_year_over_the_new_year_counts_the_start_year():
    rule = Rule(r.MONTHS, first_month=12, last_month=2, every_years=2, anchor_year=2026)
    found = spans(rule, date(2027, 1, 1), date(2027, 12, 31))
    assert found == [(date(2026, 12, 1), date(2027, 2, 28))]


@pytest.mark.parametrize(
    "rule,field,text",
    [
        (Rule(r.WEEKS, first_week=43, last_week=54), "last_week", "54"),
        (Rule(r.WEEKS, first_week=0, last_week=2), "first_week", "0"),
        (Rule(r.DATE, day=30, month=2), "date", "30.2."),
        (Rule(r.DATE, day=31, month=4), "date", "31.4."),
        (Rule(r.DATE, day=1, month=13), "date", "13"),
        (Rule(r.MONTHS, first_month=1, last_month=13), "last_month", "13"),
        (Rule(r.MONTHS, first_month=1, last_month=3, every_years=0), "every_years", "1"),
        (Rule(r.MONTHS, first_month=1, last_month=3, every_years=2), "anchor_year", ""),
        (Rule(r.TERM, term="winter"), "term", ""),
        (Rule("weekly"), "kind", ""),
    ],
)
def test_impossible_rules_are_refused_with_a_clear_message(rule, field, text):
    with pytest.raises(InvalidRule) as e:
        r.validate(rule)
    assert e.value.field == field
    assert text in e.value.message


def test_messages_are_translated():
    from django.utils import translation

    with translation.override("fi"), pytest.raises(InvalidRule) as e:
        r.validate(Rule(r.DATE, day=30, month=2))
    assert "ei ole olemassa" in e.value.message


def test_describe_reads_naturally():
    from django.utils import translation

    with translation.override("en"):
        assert r.describe(Rule(r.WEEKS, first_week=43, last_week=44)) == "weeks 43–44"
        assert r.describe(Rule(r.DATE, day=11, month=2)) == "11.2."
        tea = Rule(r.MONTHS, first_month=10, last_month=12, every_years=2, anchor_year=2026)
        assert r.describe(tea) == "October–December, every 2. year (e.g. 2026)"


@time_machine.travel(date(2026, 11, 22))
def test_next_occurrence_from_today():
    from django.utils import timezone

    today = timezone.localdate()
    rule = Rule(r.DATE, day=11, month=2)
    assert r.next_occurrence(rule, today) == Occurrence(date(2027, 2, 11), date(2027, 2, 11))
    ongoing = Rule(r.MONTHS, first_month=10, last_month=12)
    assert r.next_occurrence(ongoing, today).start == date(2026, 10, 1)


@given(
    first=st.integers(1, 12),
    last=st.integers(1, 12),
    every=st.integers(1, 4),
    anchor=st.integers(2000, 2040),
    start=st.dates(date(2001, 1, 1), date(2060, 1, 1)),
    length=st.integers(0, 2000),
)
def test_month_occurrences_overlap_the_window_are_ordered_and_on_their_turn(
    first, last, every, anchor, start, length
):
    from datetime import timedelta

    end = start + timedelta(days=length)
    rule = Rule(r.MONTHS, first_month=first, last_month=last, every_years=every, anchor_year=anchor)
    found = occurrences(rule, start, end)
    for o in found:
        assert o.start <= end and o.end >= start
        assert o.start.day == 1 and o.start.month == first
        assert (o.start.year - anchor) % every == 0
        assert o.end.month == last
    assert found == sorted(found, key=lambda o: o.start)
    # Never the same occurrence twice, and none missed inside a long window.
    assert len({o.start for o in found}) == len(found)
    if every == 1 and length >= 800:
        assert len(found) >= 2


@given(
    week=st.integers(1, 53),
    span=st.integers(0, 3),
    start=st.dates(date(2001, 1, 1), date(2060, 1, 1)),
)
def test_week_occurrences_start_on_monday_and_end_on_sunday(week, span, start):
    from datetime import timedelta

    last = min(week + span, 53)
    found = occurrences(
        Rule(r.WEEKS, first_week=week, last_week=last), start, start + timedelta(days=800)
    )
    for o in found:
        assert o.start.weekday() == 0 and o.end.weekday() == 6
        assert o.start.isocalendar().week == week
    if week <= 52:
        assert len(found) >= 2
