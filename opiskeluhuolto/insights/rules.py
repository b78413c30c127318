"""Early-warning rule logic: pure functions, no database, no clock (callers pass `today`).

LAW.md L-ABS-4: thresholds are local policy; the defaults below are the public
municipal examples from absence-classes.md (Hollola 30/50/70 h, Kemi 25/50 h).
LAW.md L-ABS-3: progress behind plan is followed for oppivelvolliset (under 18).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# (kind, name, window_weeks, minors_only, [(threshold, action)]) per education level.
DEFAULT_RULES: dict[str, list[tuple[str, str, int, bool, list[tuple[int, str]]]]] = {
    "basic": [
        (
            "absence_hours",
            "Poissaolotunnit (Hollola 30/50/70 h)",
            4,
            False,
            [(30, "contact_home"), (50, "involve_kuraattori"), (70, "convene_group")],
        ),
        ("unexplained_share", "Selvittämättömät poissaolot 4 vk", 4, False, [(10, "contact_home")]),
        ("consecutive_days", "Peräkkäiset poissaolopäivät", 4, False, [(5, "contact_home")]),
    ],
    "lukio": [
        (
            "absence_hours",
            "Poissaolotunnit (Kemi 25/50 h)",
            4,
            False,
            [(25, "contact_home"), (50, "involve_kuraattori")],
        ),
        ("unexplained_share", "Selvittämättömät poissaolot 4 vk", 4, False, [(10, "contact_home")]),
        ("consecutive_days", "Peräkkäiset poissaolopäivät", 4, False, [(5, "contact_home")]),
        ("progress_behind", "Opinnot jäljessä (oppivelvolliset)", 4, True, [(25, "contact_home")]),
    ],
    "vocational": [
        (
            "absence_hours",
            "Poissaolotunnit 30/50/70 h",
            4,
            False,
            [(30, "contact_home"), (50, "involve_kuraattori"), (70, "convene_group")],
        ),
        ("unexplained_share", "Selvittämättömät poissaolot 4 vk", 4, False, [(15, "contact_home")]),
        ("consecutive_days", "Peräkkäiset poissaolopäivät", 4, False, [(5, "contact_home")]),
        (
            "progress_behind",
            "Opinnot jäljessä HOKSista (oppivelvolliset)",
            4,
            True,
            [(25, "contact_home"), (50, "clarify_dropout")],
        ),
    ],
}


def steps_reached(value: int, thresholds: Iterable[int]) -> list[int]:
    """The thresholds a value has reached, lowest first (each opens its own task)."""
    ordered = sorted(thresholds)
    return ordered[: bisect_right(ordered, value)]


def percent(part: int, whole: int) -> int:
    """Whole per cent, rounded down; 0 when there is nothing to compare with."""
    return 0 if whole <= 0 else part * 100 // whole


def behind_plan_percent(planned: int, done: int) -> int:
    """How far behind the personal plan, in per cent of what was planned by now."""
    if planned <= 0 or done >= planned:
        return 0
    return (planned - done) * 100 // planned


def is_oppivelvollinen(born: date, on: date) -> bool:
    """Under 18 on the day (compulsory education ends at 18; LAW.md L-ABS-3)."""
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return age < 18


def school_year_start(today: date) -> date:
    return date(today.year if today.month >= 8 else today.year - 1, 8, 1)


def window_start(today: date, weeks: int) -> date:
    """Monday of the earliest ISO week in a window of `weeks` weeks ending this week."""
    this_monday = today - timedelta(days=today.weekday())
    return this_monday - timedelta(weeks=max(weeks, 1) - 1)


@dataclass(frozen=True)
class Week:
    monday: date
    marked: int  # bit 0 = Monday: days with any mark
    absent: int  # days on which every marked lesson was an absence


def longest_absent_streak(weeks: Sequence[Week]) -> int:
    """The longest run of consecutive school days absent all day.

    School days are the days with marks; days without marks (weekends, holidays,
    breaks) neither break nor extend a run.
    """
    best = run = 0
    for week in sorted(weeks, key=lambda w: w.monday):
        for bit in range(7):
            if not week.marked >> bit & 1:
                continue
            if week.absent >> bit & 1:
                run += 1
                best = max(best, run)
            else:
                run = 0
    return best


def notify_guardian(born: date, on: date, unexplained_hours: int) -> bool:
    """Guardians hear of unexplained absences only while the student is a minor.

    LAW.md L-ABS-1 (basic education), L-ABS-2 (lukio: minors only, an adult
    student's absences are never reported to parents), L-ABS-5 §124(2).
    """
    return unexplained_hours > 0 and is_oppivelvollinen(born, on)
