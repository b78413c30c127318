"""The synthetic year (`generate_attendance_csv`): its bytes are those of formatting each
mark's line one by one from the model, in the order a daily export or a per-student
export has them, and the same seed gives the same file."""

from __future__ import annotations

import io
import math
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from opiskeluhuolto.imports.generator import course_for, school_days, student_marks
from opiskeluhuolto.imports.management.commands import generate_attendance_csv as command

START = date(2025, 11, 24)
WEEKS = 5  # a Finnish Independence Day (6.12.) and the start of Christmas inside


def reference_marks(rng: random.Random, days: list[date]) -> Iterator[tuple[date, int, str]]:
    """The model as it was first written (mark by mark), to pin the draws."""
    p = min(0.4, math.exp(rng.gauss(math.log(0.03), 0.9)))
    truant = rng.random() < 0.15
    sick_left = 0
    for day in days:
        n = 6 - (1 if day.weekday() == 4 else 0)
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


def reference_file(students: int, seed: int, unsorted: bool, end: str, batch: int) -> bytes:
    """attendance.csv formatted line by line: the roster's draws first (one a student),
    then each student's marks; by day within each batch of students when unsorted."""
    rng = random.Random(seed)
    for _ in range(students):
        rng.uniform(15.8, 19.5)
    days = school_days(START, START + timedelta(weeks=WEEKS) - timedelta(days=1))
    out = [f"oppijanumero;pvm;tunti;kurssi;merkinta{end}"]
    for first in range(0, students, batch):
        by_day: dict[date, list[str]] = {}
        for n in range(first, min(first + batch, students)):
            opp = command.learner_id(n)
            for d, lesson, code in reference_marks(rng, days):
                line = (
                    f"{opp};{d.day}.{d.month}.{d.year};{lesson};{course_for(d, lesson)};{code}{end}"
                )
                if unsorted:
                    by_day.setdefault(d, []).append(line)
                else:
                    out.append(line)
        for d in sorted(by_day):
            out.extend(by_day[d])
    return "".join(out).encode()


def generate(out: Path, students: int, seed: int, *flags: str) -> bytes:
    call_command(
        "generate_attendance_csv",
        "--students",
        str(students),
        "--weeks",
        str(WEEKS),
        "--start",
        START.isoformat(),
        "--out",
        str(out),
        "--seed",
        str(seed),
        *flags,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    return (out / "attendance.csv").read_bytes()


@pytest.mark.parametrize(
    ("flags", "unsorted", "end"),
    [((), False, "\n"), (("--unsorted",), True, "\n"), (("--unsorted", "--crlf"), True, "\r\n")],
)
def test_the_bulk_writer_writes_the_lines_of_the_model(tmp_path, monkeypatch, flags, unsorted, end):
    # Small batches, so that a file of 23 students crosses several of them, unevenly.
    monkeypatch.setattr(command, "BATCH", 5)
    monkeypatch.setattr(command, "SORTED_CHUNK", 4)
    written = generate(tmp_path, 23, 7, *flags)
    assert written == reference_file(23, 7, unsorted, end, batch=5)
    codes = {line.rsplit(b";", 1)[1] for line in written.split(end.encode())[1:-1]}
    assert codes >= {b"+", b"S"}  # the model's codes, not a placeholder


def test_the_same_seed_gives_the_same_file_and_another_seed_another(tmp_path):
    first = generate(tmp_path / "a", 30, 11, "--unsorted", "--crlf", "--guardians")
    again = generate(tmp_path / "b", 30, 11, "--unsorted", "--crlf", "--guardians")
    other = generate(tmp_path / "c", 30, 12, "--unsorted", "--crlf", "--guardians")
    assert first == again
    assert other != first and len(other.split(b"\r\n")) == len(first.split(b"\r\n"))


def test_student_marks_are_the_models_draws():
    days = school_days(START, START + timedelta(weeks=WEEKS) - timedelta(days=1))
    for seed in range(40):
        assert list(student_marks(random.Random(seed), days)) == list(
            reference_marks(random.Random(seed), days)
        )


def test_the_students_ages_are_those_at_the_years_start_whatever_the_day(tmp_path):
    generate(tmp_path, 200, 5)
    rows = (tmp_path / "roster.csv").read_text(encoding="utf-8").splitlines()[1:]
    ages = []
    for row in rows:
        d, m, y = (int(v) for v in row.split(";")[3].split("."))
        ages.append((START - date(y, m, d)).days / 365.25)
    # The generator draws ages of 15.8–19.5 years; counted from the run's day, a
    # run a year after START would give 16.8–20.5.
    assert min(ages) >= 15.79 and max(ages) <= 19.5
    assert max(ages) - min(ages) > 3  # the whole range drawn, not one fixed date
