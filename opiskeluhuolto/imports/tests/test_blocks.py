"""Attendance files read in bounded blocks (issue 21): the same result as one block, all or
nothing across blocks, every problem of the whole file reported with its line, and memory
that does not grow with the file."""

from __future__ import annotations

import io
import tracemalloc
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from opiskeluhuolto.imports import actions, blocks, columns
from opiskeluhuolto.imports.models import AttendanceDay, ImportRun, MonthlyAbsence, WeeklyAbsence
from opiskeluhuolto.organisation.models import Guardianship

from .helpers import MARKS_HEADER, ROSTER_HEADER, fi, import_text, school_days_before

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)
TINY = 2048  # bytes: a file of a few hundred lines is many blocks


def opp(n: int) -> str:
    return f"1.2.246.562.24.{30000000000 + n:011d}"


@pytest.fixture
def school(cast):
    """100 students of the cast's upper secondary school, from a roster."""
    roster = ROSTER_HEADER + "".join(
        f"{opp(n)};Oppilas{n};Testi;1.1.2009;24A;Etu-Töölö;läsnä;;;\n" for n in range(100)
    )
    run = import_text(cast.lukio, roster, kind="roster", today=TODAY, name="roster.csv")
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    return cast


def daily_export(students: range, days: list[date], *, crlf: bool = False, code="+") -> str:
    """Marks as a daily export writes them: by day, then student (not sorted by student)."""
    end = "\r\n" if crlf else "\n"
    lines = [
        f"{opp(n)};{fi(d)};{lesson};ENA01;{'S' if (n + lesson) % 7 == 0 else code}{end}"
        for d in days
        for n in students
        for lesson in range(1, 7)
    ]
    return MARKS_HEADER.replace("\n", end) + "".join(lines)


def stored() -> tuple[list, list, list]:
    return (
        sorted(AttendanceDay.objects.values_list("student_id", "day", "codes", "courses")),
        sorted(WeeklyAbsence.objects.values_list()),
        sorted(r[1:] for r in MonthlyAbsence.objects.values_list()),
    )


def forget() -> None:
    AttendanceDay.objects.all().delete()
    WeeklyAbsence.objects.all().delete()
    MonthlyAbsence.objects.all().delete()
    ImportRun.objects.filter(kind="attendance").delete()


@pytest.mark.parametrize("reader", ["fast", "careful"])
@pytest.mark.parametrize("crlf", [False, True])
def test_many_blocks_store_what_one_block_stores(school, settings, monkeypatch, reader, crlf):
    if reader == "careful":
        monkeypatch.setattr(columns, "read_fast", lambda *a, **kw: None)
    text = daily_export(range(30), school_days_before(TODAY, 15), crlf=crlf)
    run = import_text(school.lukio, text, kind="attendance", today=TODAY)
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    whole = stored()
    assert len(whole[0]) == 30 * 15
    forget()
    settings.ATTENDANCE_IMPORT_BLOCK_BYTES = settings.ATTENDANCE_IMPORT_PART_BYTES = TINY
    run = import_text(school.lukio, text, kind="attendance", today=TODAY)
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    assert run.rows_read == run.rows_written == 30 * 15 * 6
    assert stored() == whole


def test_a_bad_line_late_in_a_multi_block_file_stores_nothing(school, settings):
    settings.ATTENDANCE_IMPORT_BLOCK_BYTES = settings.ATTENDANCE_IMPORT_PART_BYTES = TINY
    days = school_days_before(TODAY, 10)
    first = import_text(
        school.lukio, daily_export(range(20), days[:5]), kind="attendance", today=TODAY
    )
    assert first.status == ImportRun.Status.SUCCEEDED, first.errors
    before = stored()
    # Overlaps the stored days (the merge path) and goes on; two bad lines, in the
    # first block and in the last.
    lines = daily_export(range(20), days, code="X").splitlines(keepends=True)
    assert len("".join(lines)) > 20 * TINY
    lines[3] = lines[3].replace(";3;", ";99;")
    lines[-2] = f"{opp(100)};{fi(days[-1])};1;ENA01;X\n"  # no such student
    run = import_text(school.lukio, "".join(lines), kind="attendance", today=TODAY, name="b.csv")
    assert run.status == ImportRun.Status.FAILED
    assert [(e["line"], e["code"]) for e in run.errors] == [
        (4, "lesson"),
        (len(lines) - 1, "unknown_student"),
    ]
    assert run.rows_read == len(lines) - 1
    assert stored() == before


def test_a_lesson_marked_twice_in_different_blocks_stores_nothing(school, settings):
    settings.ATTENDANCE_IMPORT_BLOCK_BYTES = settings.ATTENDANCE_IMPORT_PART_BYTES = TINY
    days = school_days_before(TODAY, 10)
    first = import_text(
        school.lukio, daily_export(range(20), days[:5]), kind="attendance", today=TODAY
    )
    assert first.status == ImportRun.Status.SUCCEEDED
    before = stored()
    lines = daily_export(range(20), days, code="X").splitlines(keepends=True)
    again = lines[1]  # the first student's first lesson of the first day, again at the end
    lines.append(again)
    run = import_text(school.lukio, "".join(lines), kind="attendance", today=TODAY, name="d.csv")
    assert run.status == ImportRun.Status.FAILED
    assert run.errors == [{"line": len(lines), "code": "duplicate", "value": "", "other": 2}]
    # Every part was written before the duplicate's was checked; all rolled back.
    assert stored() == before


def _peak(school, students: range, days: list[date], path: Path) -> tuple[int, int]:
    path.write_text(daily_export(students, days), encoding="utf-8")
    run = actions.create_run(school.lukio, kind="attendance", path=path, file_name=path.name)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        actions.run_import(run, today=TODAY)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    return peak, path.stat().st_size


@pytest.mark.parametrize("block", [16 * 1024, 1 << 20])
def test_memory_does_not_grow_with_the_file(school, settings, tmp_path, block):
    """Peak Python-traced memory (NumPy arrays included; Polars' own buffers are not
    traced) of a file four times as long is about the same with small blocks; with one
    block for the whole file (as before issue 21) the same measurement grows."""
    settings.ATTENDANCE_IMPORT_BLOCK_BYTES = settings.ATTENDANCE_IMPORT_PART_BYTES = block
    # No memory budget: every block's marks go to temporary files, as the default budget
    # (hundreds of MB) has them go for a file of gigabytes once it is used up.
    settings.ATTENDANCE_IMPORT_MEMORY_BYTES = 0
    days = school_days_before(TODAY, 30)
    _peak(school, range(0, 2), days[:1], tmp_path / "warm.csv")  # first-use caches
    small, small_bytes = _peak(school, range(2, 22), days, tmp_path / "small.csv")
    big, big_bytes = _peak(school, range(22, 100), days, tmp_path / "big.csv")
    assert big_bytes > 3.5 * small_bytes
    if block < small_bytes:
        # (The growth once seen here was scan_file reading 1 MiB at a time: the whole of
        # these small files. It reads 64 KiB now.)
        assert big < 1.2 * small, (small, big)
    else:
        assert big > 1.4 * small, (small, big)


@pytest.mark.parametrize("budget", [0, 4096, 1 << 30])
def test_the_memory_budget_changes_nothing_stored(school, settings, monkeypatch, budget):
    """Marks held in memory (a large budget), spilled to files once the budget is
    exceeded (4 KiB: some in files, the rest in memory) or spilled with every block
    (none): the same days, summaries and rollups, and a duplicate found across them."""
    text = daily_export(range(30), school_days_before(TODAY, 15), crlf=True)
    run = import_text(school.lukio, text, kind="attendance", today=TODAY)
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    whole = stored()
    forget()
    settings.ATTENDANCE_IMPORT_BLOCK_BYTES = settings.ATTENDANCE_IMPORT_PART_BYTES = TINY
    settings.ATTENDANCE_IMPORT_MEMORY_BYTES = budget
    spills: list[bool] = []
    real_iter = blocks.Spill.__iter__

    def watched(self):
        spills.append(self.spilled)
        return real_iter(self)

    monkeypatch.setattr(blocks.Spill, "__iter__", watched)
    run = import_text(school.lukio, text, kind="attendance", today=TODAY)
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    assert spills == [budget < len(text)]
    assert stored() == whole
    lines = text.splitlines(keepends=True)
    run = import_text(
        school.lukio, "".join([*lines, lines[1]]), kind="attendance", today=TODAY, name="d.csv"
    )
    assert run.errors == [{"line": len(lines) + 1, "code": "duplicate", "value": "", "other": 2}]
    assert stored() == whole


def test_the_generator_writes_guardians_unsorted_days_and_crlf(cast, tmp_path):
    call_command(
        "generate_attendance_csv",
        "--students",
        "30",
        "--weeks",
        "2",
        "--out",
        str(tmp_path),
        "--start",
        "2026-11-02",
        "--campus",
        "Etu-Töölö",
        "--guardians",
        "--unsorted",
        "--crlf",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    attendance = (tmp_path / "attendance.csv").read_bytes()
    lines = attendance.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in b"".join(lines)
    students = [line.split(b";")[0] for line in lines[1:-1]]
    assert students != sorted(students)  # by day, then student
    for kind in ("roster", "attendance"):
        path = tmp_path / f"{kind}.csv"
        run = actions.create_run(cast.lukio, kind=kind, path=path, file_name=path.name)
        assert actions.run_import(run, today=TODAY).status == ImportRun.Status.SUCCEEDED, run.errors
    assert run.rows_written == len(lines) - 2
    assert Guardianship.objects.filter(student__institution=cast.lukio).count() >= 30


@pytest.mark.parametrize("ids", ["dense", "sparse"])
def test_each_mark_goes_to_the_part_of_its_students_range(ids):
    """The parts looked up by student id (dense ids) are those of a binary search of the
    parts' first ids (sparse ids, and any id outside the table)."""
    rng = np.random.default_rng(7)
    students = np.arange(500, 2500) if ids == "dense" else np.unique(rng.integers(1, 10**9, 2000))
    spill = blocks.Spill(students.tolist(), 7, 1 << 30)
    assert (spill.part_of is not None) == (ids == "dense")
    marks = students[rng.integers(0, len(students), 10_000)].astype(np.int32)
    expected = np.searchsorted(spill.bounds, marks, side="right")
    assert (spill._parts(marks) == expected).all()
    assert sorted(set(expected.tolist())) == list(range(7))
    outside = np.array([1, 10**9 + 5], np.int32) if ids == "dense" else marks[:2]
    assert (spill._parts(outside) == np.searchsorted(spill.bounds, outside, side="right")).all()


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b""])
def test_blocks_are_cut_after_whole_lines_as_reading_on_to_the_line_end_cut_them(tmp_path, ending):
    """`_block_end` cuts the blocks where reading `block_bytes` and then the rest of its
    last line cut them, for every block size, with or without a last line break."""
    data = b"a;1\nbb;22\n\nccc;333\nd" + ending
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    for size in range(1, len(data) + 2):
        with open(path, "rb") as f:
            ours = []
            while block := f.read(blocks._block_end(f, size) - f.tell()):
                ours.append(block)
        with open(path, "rb") as f:
            before = []
            while block := f.read(size):
                if not block.endswith(b"\n"):
                    block += f.readline()
                before.append(block)
        assert ours == before, size
