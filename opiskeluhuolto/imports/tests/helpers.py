"""Building absence data for tests through the real import actions."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from opiskeluhuolto.imports import actions
from opiskeluhuolto.imports.models import ImportRun

AINO = "1.2.246.562.24.10000000001"
ONNI = "1.2.246.562.24.10000000002"
EERO = "1.2.246.562.24.10000000003"
CLASSMATES = [f"1.2.246.562.24.2000000000{i}" for i in range(5)]
ROSTER_HEADER = (
    "oppijanumero;sukunimi;etunimet;syntymaaika;ryhma;toimipiste;tila;"
    "tila_alkaen;tila_paattyen;huoltajat\n"
)
MARKS_HEADER = "oppijanumero;pvm;tunti;kurssi;merkinta\n"


def fi(d: date) -> str:
    return f"{d.day}.{d.month}.{d.year}"


def school_days_before(today: date, n: int) -> list[date]:
    days: list[date] = []
    d = today - timedelta(days=1)
    while len(days) < n:
        if d.weekday() < 5:
            days.append(d)
        d -= timedelta(days=1)
    return sorted(days)


def import_text(
    institution, text: str | bytes, *, kind: str, today: date, name: str = "f.csv"
) -> ImportRun:
    path = Path(tempfile.mkdtemp()) / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    run = actions.create_run(institution, kind=kind, path=path, file_name=name)
    return actions.run_import(run, today=today)


def give_learner_ids(cast) -> None:
    for student, opp in ((cast.aino, AINO), (cast.onni, ONNI), (cast.eero, EERO)):
        student.oppijanumero = opp
        student.save(update_fields=["oppijanumero"])


def seed_absences(cast) -> ImportRun:
    """Five classmates of Aino from a roster, then ten school days of marks: Aino absent
    without explanation all the time, the classmates present with a little sickness."""
    give_learner_ids(cast)
    born = cast.today.replace(year=cast.today.year - 17)
    roster = ROSTER_HEADER + "".join(
        f"{opp};Luokkalainen{i};Testi;{fi(born)};24A;Etu-Töölö;läsnä;;;\n"
        for i, opp in enumerate(CLASSMATES)
    )
    import_text(cast.lukio, roster, kind="roster", today=cast.today, name="roster.csv")
    rows = []
    for day in school_days_before(cast.today, 10):
        for lesson in range(1, 7):
            rows.append(f"{AINO};{fi(day)};{lesson};ENA01;X\n")
            rows.append(f"{ONNI};{fi(day)};{lesson};ENA01;+\n")
            for i, opp in enumerate(CLASSMATES):
                code = "S" if (i == 0 and lesson < 3) else "+"
                rows.append(f"{opp};{fi(day)};{lesson};ENA01;{code}\n")
    return import_text(
        cast.lukio, MARKS_HEADER + "".join(rows), kind="attendance", today=cast.today
    )
