"""The CSV reader without a database: every structural and row error, with its line."""

from __future__ import annotations

import io
from datetime import date

from opiskeluhuolto.imports import parsing

TODAY = date(2026, 11, 20)
STUDENTS = {"1.2.246.562.24.10000000001": 11}
CODES = {"+": 1, "X": 2, "S": 3}
HEADER = "oppijanumero;pvm;tunti;kurssi;merkinta\n"


def parse(data: str | bytes):
    report = parsing.Report()
    raw = data.encode("utf-8") if isinstance(data, str) else data
    rows = list(
        parsing.parse_attendance(
            io.BytesIO(raw), students=STUDENTS, codes=CODES, today=TODAY, report=report
        )
    )
    return rows, report


def codes_of(report) -> list[tuple[int, str]]:
    return [(e.line, e.code) for e in report.errors]


def test_a_good_file_yields_compact_rows():
    rows, report = parse(HEADER + "1.2.246.562.24.10000000001;16.11.2026;3;ENA01;X\n")
    assert not report.fatal
    assert rows == [(2, 11, "2026-11-16", 3, "ENA01", 2, "2026-11-16")]


def test_bom_crlf_and_iso_dates_are_accepted():
    data = (
        b"\xef\xbb\xbf"
        + (HEADER + "1.2.246.562.24.10000000001;2026-11-18;1;;+\n").replace("\n", "\r\n").encode()
    )
    rows, report = parse(data)
    assert not report.fatal
    assert rows[0][2:4] == ("2026-11-18", 1)
    assert rows[0][6] == "2026-11-16"  # the Monday of the week


def test_wrong_encoding_names_the_line():
    data = (HEADER + "1.2.246.562.24.10000000001;16.11.2026;1;ÄI01;+\n").encode("latin-1")
    rows, report = parse(data)
    assert codes_of(report) == [(2, "encoding")]
    assert rows == []


def test_wrong_delimiter_is_reported_on_the_header():
    _rows, report = parse(HEADER.replace(";", ",") + "a,b,c,d,e\n")
    assert report.errors[0].line == 1 and report.errors[0].code == "delimiter"
    assert report.errors[0].value == ","


def test_wrong_header():
    _rows, report = parse("student;day;lesson;course;code\n")
    assert codes_of(report) == [(1, "header")]


def test_truncated_last_line():
    _rows, report = parse(HEADER + "1.2.246.562.24.10000000001;16.11.2026;1;ENA;X\n1.2.246.5")
    assert codes_of(report) == [(3, "truncated")]


def test_wrong_number_of_columns():
    _rows, report = parse(HEADER + "1.2.246.562.24.10000000001;16.11.2026;1;X\n")
    assert codes_of(report) == [(2, "fields")]


def test_row_errors_are_all_reported_with_lines():
    _rows, report = parse(
        HEADER
        + "1.2.246.562.24.10000000001;16.11.2026;1;ENA;+\n"
        + "1.2.246.562.24.99999999999;16.11.2026;1;ENA;+\n"
        + "1.2.246.562.24.10000000001;31.2.2026;1;ENA;+\n"
        + "1.2.246.562.24.10000000001;16.11.2026;1;ENA;Q\n"
        + "1.2.246.562.24.10000000001;16.11.2026;25;ENA;+\n"
        + "1.2.246.562.24.10000000001;1.1.2027;1;ENA;+\n"
    )
    assert codes_of(report) == [
        (3, "unknown_student"),
        (4, "date"),
        (5, "unknown_code"),
        (6, "lesson"),
        (7, "date_future"),
    ]


def test_empty_file_and_header_only():
    assert codes_of(parse("")[1]) == [(1, "empty")]
    assert codes_of(parse(HEADER)[1]) == [(1, "no_rows")]


def test_the_report_lists_at_most_200_errors_but_counts_all():
    bad = "".join(f"x;16.11.2026;1;ENA;+\n" for _ in range(250))  # noqa: F541
    _rows, report = parse(HEADER + bad)
    assert len(report.errors) == parsing.MAX_REPORTED
    assert report.error_count == 250


def test_parse_date():
    assert parsing.parse_date("1.8.2026") == date(2026, 8, 1)
    assert parsing.parse_date("2026-08-01") == date(2026, 8, 1)
    for bad in ("29.2.2026", "1.13.2026", "1.8.26", "tomorrow", ""):
        assert parsing.parse_date(bad) is None


def test_roster_rows_and_errors():
    text = (
        "oppijanumero;sukunimi;etunimet;syntymaaika;ryhma;toimipiste;tila;tila_alkaen;"
        "tila_paattyen;huoltajat\n"
        "1.2.246.562.24.10000000001;Virtanen;Aino;1.2.2010;24A;Koulutie;läsnä;;;a@x.fi\n"
        "1.2.246.562.24.10000000002;Laine;Eino;1.2.2009;24A;Koulutie;keskeytetty;1.10.2026;;\n"
        "1.2.246.562.24.10000000003;Laine;Eino;1.2.2009;24A;Koulutie;eronnut;;;\n"
        "1.2.246.562.24.10000000004;Laine;Eino;1.2.2009;24A;Kuu;läsnä;;;\n"
        "1.2.246.562.24.10000000005;Laine;Eino;1.2.2009;24A;;lomalla;;;\n"
        "123;Laine;Eino;1.2.2009;24A;;läsnä;;;\n"
    )
    report = parsing.Report()
    rows = parsing.parse_roster(
        io.BytesIO(text.encode()), campuses={"Koulutie"}, today=TODAY, report=report
    )
    assert [r.status for r in rows] == ["active", "interrupted"]
    assert rows[0].guardian_emails == ("a@x.fi",)
    assert codes_of(report) == [
        (4, "status_date"),
        (5, "unknown_campus"),
        (6, "status"),
        (7, "oppijanumero"),
    ]


def test_the_documented_example_files_are_valid():
    """docs/examples/*.csv (linked from docs/knowledge-management.md) parse without errors."""
    from pathlib import Path

    examples = Path(__file__).resolve().parents[3] / "docs" / "examples"
    ids = {f"1.2.246.562.24.1000000000{i}": i for i in range(1, 4)}
    codes = {c: i for i, c in enumerate("+SXLMTHOK")}
    report = parsing.Report()
    with open(examples / "attendance.csv", "rb") as f:
        rows = list(
            parsing.parse_attendance(f, students=ids, codes=codes, today=TODAY, report=report)
        )
    assert not report.fatal and len(rows) == 7
    with open(examples / "roster.csv", "rb") as f:
        roster = parsing.parse_roster(
            f, campuses={"Sedu Seinäjoki, Koulutie"}, today=TODAY, report=report
        )
    assert not report.fatal and len(roster) == 3
    with open(examples / "progress.csv", "rb") as f:
        progress = parsing.parse_progress(f, students=ids, today=TODAY, report=report)
    assert not report.fatal and len(progress) == 2
