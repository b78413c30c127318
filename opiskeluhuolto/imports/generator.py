"""Realistic synthetic attendance: the demo's school year and the benchmark's 20 M marks.

Most students are absent little and a tail is absent a lot: each student gets an
absence propensity from a heavy-tailed (log-normal) distribution; sickness comes
in runs of whole days; single lessons are missed, mostly unexplained, by the
students with the highest propensity; a few arrive late.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import date, timedelta

from opiskeluhuolto.lib.workdays import is_public_holiday


def school_days(start: date, end: date) -> list[date]:
    """Weekdays from start to end without public holidays, the autumn break (ISO week 42),
    Christmas (22.12.–6.1.) and the winter break (ISO week 9)."""
    days = []
    d = start
    while d <= end:
        week = d.isocalendar().week
        christmas = (d.month == 12 and d.day >= 22) or (d.month == 1 and d.day <= 6)
        summer = (
            d.month in (6, 7) and not (d.month == 6 and d.day <= 3) or (d.month == 8 and d.day < 10)
        )
        school = d.weekday() < 5 and week not in (42, 9) and not christmas and not summer
        if school and not is_public_holiday(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def propensity(rng: random.Random) -> float:
    """Share of lessons a student misses: median about 3 %, a long tail to 40 %."""
    return min(0.4, math.exp(rng.gauss(math.log(0.03), 0.9)))


def student_marks(
    rng: random.Random, days: list[date], lessons_per_day: int = 6
) -> Iterator[tuple[date, int, str]]:
    """(day, lesson, code) for every lesson of one student; codes are the default Wilma codes."""
    p = propensity(rng)
    truant = rng.random() < 0.15  # some students skip lessons without explanation
    sick_left = 0
    for day in days:
        n = lessons_per_day - (1 if day.weekday() == 4 else 0)
        if sick_left == 0 and rng.random() < p * 0.35:
            sick_left = rng.choice((1, 1, 1, 2, 2, 3, 5))
        if sick_left:
            sick_left -= 1
            code = "S" if rng.random() < 0.85 else ("X" if truant else "H")
            for lesson in range(1, n + 1):
                yield day, lesson, code
            continue
        if rng.random() < 0.01:
            for lesson in range(1, n + 1):
                yield day, lesson, "L"
            continue
        for lesson in range(1, n + 1):
            r = rng.random()
            if r < p * 0.3:
                yield day, lesson, ("X" if truant or rng.random() < 0.3 else "T")
            elif r < p * 0.3 + 0.01:
                yield day, lesson, "M"
            elif r < p * 0.3 + 0.012:
                yield day, lesson, "K"
            else:
                yield day, lesson, "+"


COURSES = ("ENA01", "MAA02", "ÄI03", "KEM01", "HI02", "LI01", "YH01", "FY01", "RUB01", "TE01")


def course_for(day: date, lesson: int) -> str:
    return COURSES[(day.toordinal() // 7 + lesson * 3 + day.weekday()) % len(COURSES)]
