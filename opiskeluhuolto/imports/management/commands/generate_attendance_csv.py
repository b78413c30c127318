"""Write a synthetic provider-scale school year: roster.csv and attendance.csv (benchmarks)."""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand

from opiskeluhuolto.imports.generator import course_for, school_days, student_marks

BATCH = 2000


def learner_id(n: int) -> str:
    return f"1.2.246.562.24.{90000000000 + n:011d}"


def guardians(n: int, rng: random.Random) -> str:
    """One or two guardians; about one student in five shares them with the previous one."""
    family = n - 1 if n and rng.random() < 0.2 else n
    emails = [f"huoltaja{family}a@example.invalid"]
    if rng.random() < 0.6:
        emails.append(f"huoltaja{family}b@example.invalid")
    return ",".join(emails)


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
        today = date.today()
        with open(out / "roster.csv", "w", encoding="utf-8", newline="") as f:
            f.write(
                "oppijanumero;sukunimi;etunimet;syntymaaika;ryhma;toimipiste;tila;"
                f"tila_alkaen;tila_paattyen;huoltajat{end}"
            )
            for n in range(students):
                born = today - timedelta(days=int(rng.uniform(15.8, 19.5) * 365.25))
                f.write(
                    f"{learner_id(n)};Opiskelija{n};Testi;{born.day}.{born.month}.{born.year};"
                    f"R{n // 20:04d};{options['campus']};läsnä;;;"
                    f"{guardians(n, family_rng) if options['guardians'] else ''}{end}"
                )
        started = time.monotonic()
        rows = 0
        texts = {d: f"{d.day}.{d.month}.{d.year}" for d in days}
        texts_back = {t: d for d, t in texts.items()}
        with open(out / "attendance.csv", "w", encoding="utf-8", newline="") as f:
            f.write(f"oppijanumero;pvm;tunti;kurssi;merkinta{end}")
            for first in range(0, students, BATCH):
                batch = range(first, min(first + BATCH, students))
                by_day: dict[date, list[str]] = {}
                for n in batch:
                    opp = learner_id(n)
                    lines = [
                        f"{opp};{texts[d]};{lesson};{course_for(d, lesson)};{code}{end}"
                        for d, lesson, code in student_marks(rng, days)
                    ]
                    rows += len(lines)
                    if options["unsorted"]:
                        for line in lines:
                            by_day.setdefault(texts_back[line.split(";", 2)[1]], []).append(line)
                    else:
                        f.write("".join(lines))
                    if n % 500 == 0:
                        sys.stderr.write(f"\r{n}/{students} students, {rows} marks")
                for d in sorted(by_day):
                    f.write("".join(by_day[d]))
        sys.stderr.write("\n")
        self.stdout.write(
            f"Wrote {students} students and {rows} marks over {len(days)} school days "
            f"to {out} in {time.monotonic() - started:.1f} s."
        )
