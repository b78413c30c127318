"""Reading student-information-system CSV files (Wilma/Primus exports): pure, no database.

The reader checks the things a file can get wrong before any row is trusted:
the encoding (UTF-8, with or without a byte-order mark), the delimiter (a
semicolon, as Wilma and Primus write it), the header, the number of columns on
every line, and a last line cut off without its line break (a truncated file).
Row checks (unknown students, impossible dates, unknown mark codes) use
lookups the caller passes in. Every problem becomes an `ImportError_` with a
line number; the caller writes nothing unless the list stays empty.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import BinaryIO

CHUNK = 1 << 20
MAX_REPORTED = 200

ATTENDANCE_HEADER = ("oppijanumero", "pvm", "tunti", "kurssi", "merkinta")
ROSTER_HEADER = (
    "oppijanumero",
    "sukunimi",
    "etunimet",
    "syntymaaika",
    "ryhma",
    "toimipiste",
    "tila",
    "tila_alkaen",
    "tila_paattyen",
    "huoltajat",
)
PROGRESS_HEADER = ("oppijanumero", "pvm", "suunniteltu", "suoritettu")
HEADERS = {"attendance": ATTENDANCE_HEADER, "roster": ROSTER_HEADER, "progress": PROGRESS_HEADER}

OPPIJANUMERO = re.compile(r"1\.2\.246\.562\.24\.\d{11}")
_ASCII_FOLD = str.maketrans("äöåÄÖÅ", "aoaAOA")


@dataclass(frozen=True)
class ImportError_:  # noqa: N801  (not the builtin ImportError)
    """One problem: its line (1 = the header), a code (see imports/errors.py) and details."""

    line: int
    code: str
    value: str = ""
    other: int = 0

    def as_dict(self) -> dict:
        return {"line": self.line, "code": self.code, "value": self.value, "other": self.other}


@dataclass
class Report:
    errors: list[ImportError_] = field(default_factory=list)
    error_count: int = 0
    rows: int = 0

    def add(self, line: int, code: str, value: str = "", other: int = 0) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(ImportError_(line, code, value[:60], other))

    @property
    def fatal(self) -> bool:
        return self.error_count > 0


def iter_lines(
    stream: BinaryIO, report: Report, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) for every line; stop at the first undecodable byte."""
    lineno = 0
    rest = b""
    done = 0
    first = True
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        done += len(chunk)
        if first and chunk.startswith(b"\xef\xbb\xbf"):
            chunk = chunk[3:]
        first = False
        data = rest + chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            rest = data
            continue
        complete, rest = data[: cut + 1], data[cut + 1 :]
        try:
            text = complete.decode("utf-8")
        except UnicodeDecodeError as e:
            report.add(lineno + complete[: e.start].count(b"\n") + 1, "encoding")
            return
        lines = text.split("\n")
        lines.pop()  # the empty string after the last line break
        for line in lines:
            lineno += 1
            yield lineno, line[:-1] if line.endswith("\r") else line
        if progress:
            progress(done)
    if rest:
        try:
            text = rest.decode("utf-8")
        except UnicodeDecodeError:
            report.add(lineno + 1, "encoding")
            return
        lineno += 1
        if lineno == 1:
            yield lineno, text.rstrip("\r")
        else:
            # Every export ends its last row with a line break; without one the file was cut.
            report.add(lineno, "truncated")
    if progress:
        progress(done)


def check_header(line: str, kind: str, report: Report) -> bool:
    expected = HEADERS[kind]
    if ";" not in line:
        for sep, name in ((",", ","), ("\t", "tab")):
            if sep in line:
                report.add(1, "delimiter", name)
                return False
    found = tuple(c.strip().lower().translate(_ASCII_FOLD) for c in line.split(";"))
    if found != expected:
        report.add(1, "header", ";".join(expected))
        return False
    return True


def split(line: str, expected: int) -> list[str] | None:
    parts = line.split(";")
    if len(parts) != expected and '"' in line:
        parts = next(csv.reader([line], delimiter=";"))
    return parts if len(parts) == expected else None


def parse_date(text: str) -> date | None:
    """D.M.YYYY (Wilma, Primus) or YYYY-MM-DD; None for anything impossible."""
    text = text.strip()
    try:
        if "." in text:
            d, m, y = text.split(".")
            if len(y) != 4:
                return None
            return date(int(y), int(m), int(d))
        if "-" in text:
            y, m, d = text.split("-")
            if len(y) != 4:
                return None
            return date(int(y), int(m), int(d))
    except ValueError:
        return None
    return None


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class MarkRow:
    line: int
    student_id: int
    day: date
    lesson: int
    course: str
    code_id: int


def parse_attendance(
    stream: BinaryIO,
    *,
    students: dict[str, int],
    codes: dict[str, int],
    today: date,
    report: Report,
    progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, int, str, int, str, int, str]]:
    """Yield (line, student_id, day ISO, lesson, course code, code_id, week ISO) per valid row.

    The hot loop of a 20-million-row import: plain splitting, dict lookups and a
    per-date cache keep it to a few microseconds a row.
    """
    lines = iter_lines(stream, report, progress)
    header = next(lines, None)
    if header is None:
        if not report.fatal:
            report.add(1, "empty")
        return
    if not check_header(header[1], "attendance", report):
        return
    dates: dict[str, tuple[str, str] | None] = {}
    lessons = {str(n): n for n in range(1, 21)}
    n_rows = 0
    for lineno, line in lines:
        if not line:
            continue
        n_rows += 1
        parts = line.split(";")
        if len(parts) != 5:
            quoted = split(line, 5)
            if quoted is None:
                report.add(lineno, "fields", str(len(line.split(";"))), 5)
                continue
            parts = quoted
        opp, day_text, lesson_text, course, code = parts
        ok = True
        sid = students.get(opp)
        if sid is None:
            sid = students.get(opp.strip())
            if sid is None:
                report.add(lineno, "unknown_student", opp.strip())
                ok = False
        if day_text in dates:
            parsed = dates[day_text]
        else:
            d = parse_date(day_text)
            parsed = (d.isoformat(), monday(d).isoformat()) if d and d <= today else None
            dates[day_text] = parsed
        if parsed is None:
            d = parse_date(day_text)
            report.add(lineno, "date_future" if d else "date", day_text.strip())
            ok = False
        lesson = lessons.get(lesson_text) or lessons.get(lesson_text.strip())
        if lesson is None:
            report.add(lineno, "lesson", lesson_text.strip())
            ok = False
        code_id = codes.get(code)
        if code_id is None:
            code_id = codes.get(code.strip())
            if code_id is None:
                report.add(lineno, "unknown_code", code.strip())
                ok = False
        if ok and not report.fatal:
            yield lineno, sid, parsed[0], lesson, course.strip(), code_id, parsed[1]  # type: ignore[misc,index]  # ok is True only when sid, parsed, lesson and code_id are set
    report.rows = n_rows
    if n_rows == 0 and not report.fatal:
        report.add(1, "no_rows")


@dataclass(frozen=True)
class RosterRow:
    line: int
    oppijanumero: str
    last_name: str
    first_name: str
    date_of_birth: date
    group: str
    campus: str
    status: str
    status_from: date | None
    status_until: date | None
    guardian_emails: tuple[str, ...]


ROSTER_STATUSES = {
    "lasna": "active",
    "opiskelee": "active",
    "keskeytetty": "interrupted",
    "valiaikaisesti keskeytynyt": "interrupted",
    "eronnut": "resigned",
    "katsotaan eronneeksi": "resigned",
    "valmistunut": "graduated",
}


def parse_table(
    stream: BinaryIO, kind: str, report: Report, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[int, list[str]]]:
    """Yield (line, fields) of a small file (roster, progress) after the structural checks."""
    lines = iter_lines(stream, report, progress)
    header = next(lines, None)
    if header is None:
        if not report.fatal:
            report.add(1, "empty")
        return
    if not check_header(header[1], kind, report):
        return
    width = len(HEADERS[kind])
    for lineno, line in lines:
        if not line:
            continue
        report.rows += 1
        parts = split(line, width)
        if parts is None:
            report.add(lineno, "fields", str(len(line.split(";"))), width)
            continue
        yield lineno, [p.strip() for p in parts]
    if report.rows == 0 and not report.fatal:
        report.add(1, "no_rows")


def parse_roster(
    stream: BinaryIO, *, campuses: set[str], today: date, report: Report
) -> list[RosterRow]:
    rows: list[RosterRow] = []
    seen: dict[str, int] = {}
    for lineno, f in parse_table(stream, "roster", report):
        opp, last, first, born_text, group, campus, status_text, s_from, s_until, guardians = f
        if not opp:
            report.add(lineno, "missing", "oppijanumero")
            continue
        if not OPPIJANUMERO.fullmatch(opp):
            report.add(lineno, "oppijanumero", opp)
            continue
        if opp in seen:
            report.add(lineno, "duplicate_student", opp, seen[opp])
            continue
        seen[opp] = lineno
        born = parse_date(born_text)
        if born is None or born > today:
            report.add(lineno, "date", born_text)
            continue
        status = ROSTER_STATUSES.get(status_text.lower().translate(_ASCII_FOLD))
        if status is None:
            report.add(lineno, "status", status_text)
            continue
        if campus and campus not in campuses:
            report.add(lineno, "unknown_campus", campus)
            continue
        starts = parse_date(s_from) if s_from else None
        ends = parse_date(s_until) if s_until else None
        if (s_from and starts is None) or (s_until and ends is None):
            report.add(lineno, "date", s_from if s_from and starts is None else s_until)
            continue
        if status in ("interrupted", "resigned") and starts is None:
            report.add(lineno, "status_date", status_text)
            continue
        if starts and ends and ends < starts:
            report.add(lineno, "date_order", s_until)
            continue
        emails = tuple(e.strip().lower() for e in guardians.split(",") if e.strip())
        if any("@" not in e for e in emails):
            report.add(lineno, "email", guardians)
            continue
        if not first or not last:
            report.add(lineno, "missing", "etunimet" if not first else "sukunimi")
            continue
        rows.append(
            RosterRow(lineno, opp, last, first, born, group, campus, status, starts, ends, emails)
        )
    return rows


@dataclass(frozen=True)
class ProgressRow:
    line: int
    student_id: int
    as_of: date
    planned: int
    done: int


def parse_progress(
    stream: BinaryIO, *, students: dict[str, int], today: date, report: Report
) -> list[ProgressRow]:
    rows: list[ProgressRow] = []
    for lineno, f in parse_table(stream, "progress", report):
        opp, day_text, planned_text, done_text = f
        sid = students.get(opp)
        if sid is None:
            report.add(lineno, "unknown_student", opp)
            continue
        day = parse_date(day_text)
        if day is None or day > today:
            report.add(lineno, "date_future" if day else "date", day_text)
            continue
        if not (planned_text.isdigit() and done_text.isdigit()):
            report.add(lineno, "number", planned_text if not planned_text.isdigit() else done_text)
            continue
        rows.append(ProgressRow(lineno, sid, day, int(planned_text), int(done_text)))
    return rows
