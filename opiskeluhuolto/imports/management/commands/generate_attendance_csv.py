"""Write a synthetic provider-scale school year: roster.csv and attendance.csv (benchmarks)."""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand

from opiskeluhuolto.imports.generator import course_for, school_days, student_marks


def learner_id(n: int) -> str:
    return f"1.2.246.562.24.{90000000000 + n:011d}"


class Command(BaseCommand):
    help = "Generate roster.csv and attendance.csv for N students over a school year."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=20000)
        parser.add_argument("--out", type=Path, required=True, help="directory to write into")
        parser.add_argument("--start", type=date.fromisoformat, default=date(2025, 8, 11))
        parser.add_argument("--weeks", type=int, default=43, help="length of the year in weeks")
        parser.add_argument("--campus", default="", help="campus name to put in the roster")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, students: int, out: Path, start: date, weeks: int, **options):
        rng = random.Random(options["seed"])
        out.mkdir(parents=True, exist_ok=True)
        days = school_days(start, start + timedelta(weeks=weeks) - timedelta(days=1))
        today = date.today()
        with open(out / "roster.csv", "w", encoding="utf-8", newline="") as f:
            f.write(
                "oppijanumero;sukunimi;etunimet;syntymaaika;ryhma;toimipiste;tila;"
                "tila_alkaen;tila_paattyen;huoltajat\n"
            )
            for n in range(students):
                born = today - timedelta(days=int(rng.uniform(15.8, 19.5) * 365.25))
                f.write(
                    f"{learner_id(n)};Opiskelija{n};Testi;{born.day}.{born.month}.{born.year};"
                    f"R{n // 20:04d};{options['campus']};läsnä;;;\n"
                )
        started = time.monotonic()
        rows = 0
        texts = {d: f"{d.day}.{d.month}.{d.year}" for d in days}
        with open(out / "attendance.csv", "w", encoding="utf-8", newline="") as f:
            f.write("oppijanumero;pvm;tunti;kurssi;merkinta\n")
            for n in range(students):
                opp = learner_id(n)
                lines = [
                    f"{opp};{texts[d]};{lesson};{course_for(d, lesson)};{code}\n"
                    for d, lesson, code in student_marks(rng, days)
                ]
                rows += len(lines)
                f.write("".join(lines))
                if n % 500 == 0:
                    sys.stderr.write(f"\r{n}/{students} students, {rows} marks")
        sys.stderr.write("\n")
        self.stdout.write(
            f"Wrote {students} students and {rows} marks over {len(days)} school days "
            f"to {out} in {time.monotonic() - started:.1f} s."
        )
