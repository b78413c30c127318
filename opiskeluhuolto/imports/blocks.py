"""Reading an attendance file in bounded blocks (issue 21: a year of any size in bounded memory).

The file is read in blocks of about `ATTENDANCE_IMPORT_BLOCK_BYTES` (whole lines).
Each block is checked as the whole file used to be (the fast column reader, else the
careful row reader, whose line numbers are shifted to the file's), so every problem
of the whole file is still reported with its line. The checked marks are held by
contiguous range of student ids (`Spill`: in memory up to a budget, beyond it in one
temporary file per range), so that each part
holds every mark of its students whatever the file's order (daily exports are sorted
by day, not by student) and fits in memory alone: the import then sorts, checks for
duplicates and writes one part at a time, all parts in one transaction.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import numpy as np

from . import columns, parsing

RECORD = np.dtype(
    [
        ("line", "<i8"),
        ("student", "<i4"),
        ("day", "<i4"),
        ("lesson", "i1"),
        ("course", "<i4"),
        ("code", "<i2"),
    ]
)
#: Bytes of Python objects around the arrays of one chunk of marks held (`Spill`).
CHUNK_OVERHEAD = 1024


class Spill:
    """Marks partitioned by contiguous ranges of student ids, kept in memory up to
    `budget` bytes; beyond it everything held so far goes to one temporary file per part
    (appended, so a part's marks stay in file order: those on disk came first)."""

    def __init__(self, student_ids, parts: int, budget: int):
        ids = np.unique(np.fromiter(student_ids, np.int64))
        self.parts = max(1, min(parts, len(ids)))
        # The first student id of every part but the first.
        self.bounds = ids[(np.arange(1, self.parts) * len(ids)) // self.parts]
        # Each student id's part, looked up (the ids are a table's keys, close to dense):
        # a binary search of the bounds for every mark was 0.4 s of CPU for a year's
        # 5.4 M marks of a term; the table a gather. Sparse ids keep the search.
        self.low = int(ids[0]) if len(ids) else 0
        span = int(ids[-1]) - self.low + 1 if len(ids) else 0
        self.part_of: np.ndarray | None = None
        if self.parts > 1 and span <= max(1 << 16, 16 * len(ids)):
            self.part_of = np.zeros(span, np.int16 if self.parts < (1 << 15) else np.int64)
            self.part_of[ids - self.low] = np.searchsorted(self.bounds, ids, side="right")
        self.memory: list[list[columns.Marks]] = [[] for _ in range(self.parts)]
        self.held = 0  # bytes of the marks in `memory`
        self.budget = budget
        self.spilled = False
        # The first and last day of the marks added (epoch days).
        self.days = (np.iinfo(np.int32).max, np.iinfo(np.int32).min)
        self.directory: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc) -> None:
        self.memory = []
        if self.directory is not None:
            self.directory.cleanup()

    def _path(self, part: int) -> Path:
        if self.directory is None:
            self.directory = tempfile.TemporaryDirectory(prefix="oh-import-")
        return Path(self.directory.name) / f"{part}.bin"

    def add(self, marks: columns.Marks) -> None:
        if not len(marks):
            return
        self.days = (
            min(self.days[0], int(marks.day.min())),
            max(self.days[1], int(marks.day.max())),
        )
        chunks = 1
        if self.parts == 1:
            self.memory[0].append(marks)
        else:
            part = self._parts(marks.student)
            marks = marks.take(np.argsort(part, kind="stable"))
            ends = np.cumsum(np.bincount(part, minlength=self.parts)).tolist()
            start = 0
            for p, end in enumerate(ends):
                if end > start:
                    # Views of the block's sorted marks (no copy): the first part's
                    # writing, the peak, finds them all held either way.
                    self.memory[p].append(marks.take(slice(start, end)))
                    chunks += 1
                start = end
        self.held += RECORD.itemsize * len(marks) + CHUNK_OVERHEAD * chunks
        if self.held > self.budget:
            self._spill()

    def _parts(self, student: np.ndarray) -> np.ndarray:
        """The part of each mark's student, as small integers (NumPy's stable sort of
        them is then a radix sort)."""
        table = self.part_of
        if table is not None and int(student.min()) >= self.low:
            at = student - self.low
            if int(at.max()) < len(table):
                return table[at]
        part = np.searchsorted(self.bounds, student, side="right")
        return part.astype(np.int16 if self.parts < (1 << 15) else np.int64)

    def _spill(self) -> None:
        """Append every part's marks held in memory to the part's file."""
        for p, held in enumerate(self.memory):
            if not held:
                continue
            marks = columns.Marks.concat(held)
            records = np.empty(len(marks), RECORD)
            for name, values in zip(RECORD.names, marks._columns(), strict=True):  # type: ignore[arg-type]
                records[name] = values
            with open(self._path(p), "ab") as f:
                records.tofile(f)
            self.memory[p] = []
        self.held = 0
        self.spilled = True

    def __iter__(self) -> Iterator[columns.Marks]:
        """Each part's marks (unsorted, in file order); a part's memory is let go as it
        is handed out."""
        for p in range(self.parts):
            held, self.memory[p] = self.memory[p], []
            if self.spilled and self._path(p).exists():
                records = np.fromfile(self._path(p), RECORD)
                held.insert(
                    0,
                    columns.Marks(
                        records["line"].copy(),
                        records["student"].copy(),
                        records["day"].copy(),
                        records["lesson"].copy(),
                        records["course"].copy(),
                        records["code"].copy(),
                    ),
                )
                del records
            if held:
                yield columns.Marks.concat(held)
            del held


def _merge_report(report: parsing.Report, sub: parsing.Report, shift: int) -> None:
    """Add a block's problems to the file's report, its line numbers made the file's."""
    for e in sub.errors:
        if e.code == "no_rows":  # a block of blank lines; the file's rows are counted whole
            sub.error_count -= 1
            continue
        report.add(e.line + shift, e.code, e.value, e.other)
    report.error_count += max(0, sub.error_count - len(sub.errors))


def read_into(
    spill: Spill,
    path: Path,
    *,
    block_bytes: int,
    students: dict[str, int],
    codes: dict[str, int],
    today: date,
    report: parsing.Report,
    digest,
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """Check the whole file block by block, spilling its marks while it is error-free;
    returns the course codes (the marks' `course` indexes into them). Every byte of the
    file goes through `digest` (a hashlib object) as it is read: one pass, not two."""
    courses: dict[str, int] = {}
    with open(path, "rb") as f:
        header = f.readline()
        digest.update(header)
        raw_header = header[3:] if header.startswith(b"\xef\xbb\xbf") else header
        try:
            header_ok = header.endswith(b"\n") and parsing.check_header(
                raw_header.decode("utf-8").rstrip("\r\n"), "attendance", parsing.Report()
            )
        except UnicodeDecodeError:
            header_ok = False
        if not header_ok:
            # Empty, a wrong header or delimiter: the careful reader says which (it stops there).
            f.seek(0)
            rows = parsing.parse_attendance(
                f, students=students, codes=codes, today=today, report=report
            )
            spill.add(_with_courses(columns.from_rows(rows), courses))
            f.seek(len(header))
            _hash_rest(f, digest)
            return list(courses)
        line = 2  # the file line of the block's first row
        done = len(header)
        while block := f.read(_block_end(f, block_bytes) - f.tell()):
            digest.update(block)
            done += len(block)
            fast = None
            if block.endswith(b"\n"):
                fast = columns.read_fast(
                    block,
                    separators=None,  # a short row has no mark code (`read_fast`)
                    students=students,
                    codes=codes,
                    today=today,
                    first_line=line,
                    header=False,
                )
            if fast is not None:
                # Every line of a block the fast reader takes is one row (a blank line
                # is a row of nulls, which it refuses): no count of the block's line
                # breaks (30 ms of CPU a 32 MiB block).
                n_lines = len(fast[0])
                report.rows += n_lines
                if not report.fatal:
                    spill.add(_with_courses(fast, courses))
            else:
                n_lines = block.count(b"\n") + (0 if block.endswith(b"\n") else 1)
                sub = parsing.Report()
                rows = parsing.parse_attendance(
                    io.BytesIO(raw_header + block),
                    students=students,
                    codes=codes,
                    today=today,
                    report=sub,
                )
                marks = columns.from_rows(rows)
                report.rows += sub.rows
                _merge_report(report, sub, line - 2)
                if not report.fatal:
                    spill.add(_with_courses(marks, courses))
                if any(e.code == "encoding" for e in sub.errors):
                    _hash_rest(f, digest)
                    break  # as the careful reader of a whole file, stop at undecodable bytes
            line += n_lines
            if progress:
                progress(done)
    if report.rows == 0 and not report.fatal:
        report.add(1, "no_rows")
    return list(courses)


def _block_end(f, block_bytes: int) -> int:
    """Where the block from `f`'s position ends: after the line break that ends the line
    holding its last byte (or at the file's end), left at the block's start. Read in one
    piece then; reading `block_bytes` and appending the rest of the line copied the block
    again (32 MiB a block)."""
    start = f.tell()
    f.seek(start + block_bytes - 1)
    f.readline()  # from the block's last byte to its line's end
    end = f.tell()
    f.seek(start)
    return end


def _hash_rest(f, digest) -> None:
    """The file's bytes from where `f` stands to its end, into `digest`."""
    while chunk := f.read(1 << 16):
        digest.update(chunk)


def _with_courses(read: tuple[columns.Marks, list[str]], courses: dict[str, int]) -> columns.Marks:
    """A block's marks with their course indexes into the file's course list."""
    marks, local = read
    if len(local):
        mapping = np.array([courses.setdefault(c, len(courses)) for c in local] + [-1], np.int32)
        marks.course = mapping[marks.course]
    return marks
