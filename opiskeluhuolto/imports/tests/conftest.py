from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from opiskeluhuolto.imports import actions
from opiskeluhuolto.imports.models import ImportRun

AINO = "1.2.246.562.24.10000000001"
ONNI = "1.2.246.562.24.10000000002"
EERO = "1.2.246.562.24.10000000003"
HEADER = "oppijanumero;pvm;tunti;kurssi;merkinta\n"


@pytest.fixture
def learners(cast):
    """Give the cast students learner ids, as the roster import would."""
    for student, opp in ((cast.aino, AINO), (cast.onni, ONNI), (cast.eero, EERO)):
        student.oppijanumero = opp
        student.save(update_fields=["oppijanumero"])
    return cast


@pytest.fixture
def write_file(tmp_path):
    def write(text: str | bytes, name: str = "wilma.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return path

    return write


@pytest.fixture
def do_import(learners, write_file):
    def run(text, *, kind="attendance", institution=None, today=date(2026, 11, 20), name="f.csv"):
        path = write_file(text, name)
        r = actions.create_run(institution or learners.lukio, kind=kind, path=path, file_name=name)
        return actions.run_import(r, today=today)

    return run


def marks(*rows: str) -> str:
    return HEADER + "".join(r + "\n" for r in rows)


__all__ = ["AINO", "EERO", "HEADER", "ONNI", "ImportRun", "marks"]
