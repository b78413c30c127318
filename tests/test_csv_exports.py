"""Every CSV the project writes is safe to open in a spreadsheet (OWASP "CSV injection").

Group, campus, institution and person names come from imported files and admin forms
that anyone at a school can edit; a name such as ``=HYPERLINK(...)`` must reach Excel as
text. The tests seed such names through the real roster import, fetch every CSV the
project serves, and read each cell back. A new ``*.csv`` URL fails
`test_every_csv_url_is_exercised` until it is added here, and a `csv.writer` outside
`lib/csvexport.py` fails `test_only_csvexport_writes_csv`.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.appointments import actions as appointment_actions
from opiskeluhuolto.appointments.models import AppointmentRequest
from opiskeluhuolto.checks import iter_patterns
from opiskeluhuolto.imports.tests.helpers import (
    MARKS_HEADER,
    ROSTER_HEADER,
    fi,
    import_text,
    school_days_before,
)
from opiskeluhuolto.insights import charts
from opiskeluhuolto.lib.csvexport import FORMULA_STARTS
from opiskeluhuolto.organisation.models import Role

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parent.parent / "opiskeluhuolto"

GROUPS = ['=HYPERLINK("http://evil.invalid","klik")', "@SUM(1+1)", "+358401234567", "-2+3"]
CAMPUS = "=cmd|' /C calc'!A0"
INSTITUTION = "\tEtu-Töölön lukio"
PROFESSIONAL_FIRST_NAME = "@Kaisa"

#: Every CSV URL of the project, with the query strings that produce each of its tables.
EXPORTS = {
    "insights:export_csv": [{"chart": key} for key in charts.BUILDERS],
    "appointments:report_csv": [
        {"by": by} for by in ("institution", "campus", "provider", "professional")
    ],
    "audit:export": [{}],
}


def csv_url_names() -> set[str]:
    return {name for route, name, _ns, _cb in iter_patterns() if route.endswith(".csv")}


#: CSV URLs whose hostile-name test lives with their app (they need an object or a reader
#: of their own): the URL name and the test that checks it.
TESTED_ELSEWHERE = {
    "surveys:results_csv": "opiskeluhuolto/surveys/tests/test_pages.py::"
    "test_results_csv_carries_hostile_unit_names_as_text",
    "appointments:statistics_csv": "opiskeluhuolto/appointments/tests/test_visits.py::"
    "test_the_csv_hides_small_cells_and_escapes_formulas",
}


def test_every_csv_url_is_exercised():
    assert csv_url_names() == set(EXPORTS) | set(TESTED_ELSEWHERE)
    root = SOURCE.parent
    for name, test in TESTED_ELSEWHERE.items():
        path, func = test.split("::")
        assert f"def {func}(" in (root / path).read_text(encoding="utf-8"), name


def test_only_csvexport_writes_csv():
    """One writer: no other module of the project makes its own csv writer."""
    writers = re.compile(r"csv\.(writer|DictWriter)\(")
    found = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "csvexport.py"
        and writers.search(path.read_text(encoding="utf-8"))
    ]
    assert not found, f"write CSV through opiskeluhuolto.lib.csvexport: {found}"


@pytest.fixture
def hostile(cast):
    """Hostile names everywhere a CSV shows a name; absences and requests to show them."""
    cast.lukio.name = INSTITUTION
    cast.lukio.save(update_fields=["name"])
    cast.lukio_campus.name = CAMPUS
    cast.lukio_campus.save(update_fields=["name"])
    cast.kuraattori.first_name = PROFESSIONAL_FIRST_NAME
    cast.kuraattori.save(update_fields=["first_name"])
    born = cast.today.replace(year=cast.today.year - 17)
    learners = [f"1.2.246.562.24.3000000{i:04d}" for i in range(4 * len(GROUPS))]
    roster = ROSTER_HEADER + "".join(
        f"{opp};Opiskelija{i};Testi;{fi(born)};{GROUPS[i % len(GROUPS)]};{CAMPUS};läsnä;;;\n"
        for i, opp in enumerate(learners)
    )
    run = import_text(cast.lukio, roster, kind="roster", today=cast.today, name="roster.csv")
    assert run.status == "succeeded", run.errors
    marks = "".join(
        f"{opp};{fi(day)};{lesson};=ENA01;{'X' if i % 2 else '+'}\n"
        for i, opp in enumerate(learners)
        for day in school_days_before(cast.today, 5)
        for lesson in range(1, 4)
    )
    run = import_text(cast.lukio, MARKS_HEADER + marks, kind="attendance", today=cast.today)
    assert run.status == "succeeded", run.errors
    for student in (cast.aino, cast.onni):
        appointment_actions.create_request(
            student,
            service=Role.SOCIAL_WORKER,
            requested_by=AppointmentRequest.RequestedBy.STUDENT,
            channel=AppointmentRequest.Channel.ONLINE,
            actor=cast.kuraattori,
            professional=cast.kuraattori,
            requested_at=timezone.now() - timedelta(days=40),  # overdue: counted
        )
    return cast


def _cells(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def test_every_export_neutralises_formulas(hostile):
    client = Client()
    client.force_login(hostile.admin)
    seen: list[str] = []
    for url_name, queries in EXPORTS.items():
        for query in queries:
            cells = _cells(client.get(reverse(url_name), query))
            dangerous = [c for c in cells if c.startswith(FORMULA_STARTS)]
            assert not dangerous, f"{url_name} {query}: {dangerous}"
            seen += cells
    # The hostile names did reach the exports, as text.
    for name in [*GROUPS, CAMPUS, INSTITUTION]:
        assert "'" + name in seen, name
    assert any(c.startswith("'" + PROFESSIONAL_FIRST_NAME) for c in seen)
