"""Write a synthetic provider-scale school year: roster.csv and attendance.csv (benchmarks).

Every student has a line for every lesson of every school day, so the file's layout is
fixed and only the codes vary: each day's lines for one student are a byte template
(the day, lesson and course filled in), copied for a batch of students with NumPy, the
learner ids and the codes (`generator.student_codes`) put into their columns, and
written as one chunk. Formatting 100 M lines one by one in Python took most of an hour;
no CSV writer fills a fixed template this way. The bytes are those of formatting each
line as `oppijanumero;pvm;tunti;kurssi;merkinta`.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand

from opiskeluhuolto.imports.generator import course_for, lessons_on, school_days, student_codes

BATCH = 2000
#: Students a chunk when written by student (a year of one student's lines is ~50 kB).
SORTED_CHUNK = 200


def learner_id(n: int) -> str:
    return f"1.2.246.562.24.{90000000000 + n:011d}"


def guardians(n: int, rng: random.Random) -> str:
    """One or two guardians; about one student in five shares them with the previous one."""
    family = n - 1 if n and rng.random() < 0.2 else n
    emails = [f"huoltaja{family}a@example.invalid"]
    if rng.random() < 0.6:
        emails.append(f"huoltaja{family}b@example.invalid")
    return ",".join(emails)


class Template:
    """The lines of some lessons of one student as bytes, with where the learner id and
    each code go."""

    def __init__(self, days: list[date], id_length: int, end: str) -> None:
        parts: list[bytes] = []
        ids: list[int] = []
        codes: list[int] = []
        at = 0
        for d in days:
            for lesson in range(1, lessons_on(d) + 1):
                middle = f";{d.day}.{d.month}.{d.year};{lesson};{course_for(d, lesson)};"
                line = b"?" * id_length + middle.encode() + b"?" + end.encode()
                ids.append(at)
                codes.append(at + len(line) - len(end) - 1)
                parts.append(line)
                at += len(line)
        self.bytes = np.frombuffer(b"".join(parts), dtype=np.uint8)
        self.ids = np.array(ids, dtype=np.intp)
        self.codes = np.array(codes, dtype=np.intp)
        self.id_length = id_length

    def fill(self, ids: np.ndarray, codes: np.ndarray) -> bytes:
        """The lines of len(ids) students: ids (students × id_length bytes), codes
        (students × lessons of the template)."""
        out = np.empty((len(ids), len(self.bytes)), dtype=np.uint8)
        out[:] = self.bytes
        for at in self.ids:
            out[:, at : at + self.id_length] = ids
        out[:, self.codes] = codes
        return out.tobytes()


class Command(BaseCommand):
    help = "Generate roster.csv and attendance.csv for N students over a school year."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=20000)
        parser.add_argument("--out", type=Path, required=True, help="directory to write into")
        parser.add_argument("--start", type=date.fromisoformat, default=date(2025, 8, 11))
        parser.add_argument("--weeks", type=int, default=43, help="length of the year in weeks")
        parser.add_argument("--campus", default="", help="campus name to put in the roster")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--guardians",
            action="store_true",
            help="give every student one or two guardians (e-mail addresses; siblings share)",
        )
        parser.add_argument(
            "--unsorted",
            action="store_true",
            help="write the marks as a daily export does: by day, then student "
            f"(in batches of {BATCH} students, so memory stays small)",
        )
        parser.add_argument("--crlf", action="store_true", help="end lines with CRLF")

    def handle(self, *args, students: int, out: Path, start: date, weeks: int, **options):
        rng = random.Random(options["seed"])
        family_rng = random.Random(options["seed"] + 1)  # the marks stay those of the seed
        end = "\r\n" if options["crlf"] else "\n"
        out.mkdir(parents=True, exist_ok=True)
        days = school_days(start, start + timedelta(weeks=weeks) - timedelta(days=1))
        # Ages at the generated year's start, not on the day of the run: the same
        # arguments give the same files on any day (benchmarks compare runs of days).
        with open(out / "roster.csv", "w", encoding="utf-8", newline="") as f:
            f.write(
                "oppijanumero;sukunimi;etunimet;syntymaaika;ryhma;toimipiste;tila;"
                f"tila_alkaen;tila_paattyen;huoltajat{end}"
            )
            for n in range(students):
                born = start - timedelta(days=int(rng.uniform(15.8, 19.5) * 365.25))
                f.write(
                    f"{learner_id(n)};Opiskelija{n};Testi;{born.day}.{born.month}.{born.year};"
                    f"R{n // 20:04d};{options['campus']};läsnä;;;"
                    f"{guardians(n, family_rng) if options['guardians'] else ''}{end}"
                )
        started = time.monotonic()
        rows = 0
        id_length = len(learner_id(0))
        counts = [lessons_on(d) for d in days]
        bounds = np.cumsum([0, *counts])
        if options["unsorted"]:
            templates = [Template([d], id_length, end) for d in days]
        else:
            templates = [Template(days, id_length, end)]
            bounds = np.array([0, bounds[-1]])
        with open(out / "attendance.csv", "wb") as f:
            f.write(f"oppijanumero;pvm;tunti;kurssi;merkinta{end}".encode())
            chunk = BATCH if options["unsorted"] else SORTED_CHUNK
            for first in range(0, students, chunk):
                batch = range(first, min(first + chunk, students))
                ids = np.frombuffer(
                    "".join(learner_id(n) for n in batch).encode(), dtype=np.uint8
                ).reshape(len(batch), id_length)
                codes = np.frombuffer(
                    b"".join(student_codes(rng, days) for _ in batch), dtype=np.uint8
                ).reshape(len(batch), -1)
                for template, a, b in zip(templates, bounds[:-1], bounds[1:], strict=True):
                    f.write(template.fill(ids, codes[:, a:b]))
                rows += codes.size
                sys.stderr.write(f"\r{batch[-1] + 1}/{students} students, {rows} marks")
        sys.stderr.write("\n")
        self.stdout.write(
            f"Wrote {students} students and {rows} marks over {len(days)} school days "
            f"to {out} in {time.monotonic() - started:.1f} s."
        )
