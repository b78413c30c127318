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


#: Lengths of the sickness runs, in school days (drawn with `random.choice`).
SICK_RUNS = (1, 1, 1, 2, 2, 3, 5)


def lessons_on(day: date, lessons_per_day: int = 6) -> int:
    """Lessons a student has on `day`: one fewer on Fridays."""
    return lessons_per_day - (1 if day.weekday() == 4 else 0)


def student_codes(rng: random.Random, days: list[date], lessons_per_day: int = 6) -> bytes:
    """The codes of every lesson of one student, one ASCII byte a lesson, day by day.

    The model of the module docstring; the codes are the default Wilma codes. The
    draws are sequential (each day's outcome decides what is drawn next), so this is
    a plain loop over `random` rather than NumPy arrays; it is the only per-lesson
    Python work of `generate_attendance_csv`, which fills the lines around the codes
    in bulk. `student_marks` is the same sequence as (day, lesson, code) tuples.
    """
    random = rng.random
    p = propensity(rng)
    truant = random() < 0.15  # some students skip lessons without explanation
    sick_at, t = p * 0.35, p * 0.3
    m, k = t + 0.01, t + 0.012
    sick = b"X" if truant else b"H"
    out = bytearray()
    append = out.append
    sick_left = 0
    for day in days:
        n = lessons_on(day, lessons_per_day)
        if sick_left == 0 and random() < sick_at:
            sick_left = rng.choice(SICK_RUNS)
        if sick_left:
            sick_left -= 1
            out += (b"S" if random() < 0.85 else sick) * n
            continue
        if random() < 0.01:
            out += b"L" * n
            continue
        for _ in range(n):
            r = random()
            if r >= k:
                append(43)  # "+"
            elif r < t:
                append(88 if truant or random() < 0.3 else 84)  # "X", "T"
            elif r < m:
                append(77)  # "M"
            else:
                append(75)  # "K"
    return bytes(out)


def student_marks(
    rng: random.Random, days: list[date], lessons_per_day: int = 6
) -> Iterator[tuple[date, int, str]]:
    """(day, lesson, code) for every lesson of one student (`student_codes`)."""
    codes = student_codes(rng, days, lessons_per_day).decode("ascii")
    i = 0
    for day in days:
        for lesson in range(1, lessons_on(day, lessons_per_day) + 1):
            yield day, lesson, codes[i]
            i += 1


COURSES = ("ENA01", "MAA02", "ÄI03", "KEM01", "HI02", "LI01", "YH01", "FY01", "RUB01", "TE01")


def course_for(day: date, lesson: int) -> str:
    return COURSES[(day.toordinal() // 7 + lesson * 3 + day.weekday()) % len(COURSES)]
