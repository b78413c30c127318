"""Attendance marks as columns: read fast, checked, merged, stored per day and summarised.

A provider of 20,000 students exports about 21.7 M lesson marks a year. Row by row
in Python that is 40 s of validation alone, so the import works on columns instead
(NumPy arrays, read by Polars' multi-threaded CSV reader):

1. `read_fast` reads a well-formed file straight into columns and checks every value
   against the institution's students, mark codes and dates. It handles only files
   it can check completely and returns None for anything else (a wrong encoding, a
   short or long row, a blank line, an unknown value, quotes); the careful row reader
   in `parsing.py` then reads the same file and reports every problem with its line
   number, or, when the file was fine after all, its rows become the same columns
   (`from_rows`). Both readers accept exactly the same files.
2. `duplicates` finds lessons the file marks twice; `merge` lays a file over the
   marks already stored for the weeks it touches (the file wins lesson by lesson).
3. `encode_days` packs the marks of one student on one day into one row (see
   `AttendanceDay`), and `week_summaries` counts lessons per absence class for every
   student and ISO week, the numbers the dashboards and early-warning rules read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from . import parsing

EPOCH = date(1970, 1, 1).toordinal()
MAX_LESSON = 20
FIELDS = len(parsing.ATTENDANCE_HEADER)


def epoch_day(d: date) -> int:
    return d.toordinal() - EPOCH


def from_epoch(n: int) -> date:
    return date.fromordinal(int(n) + EPOCH)


@dataclass
class Marks:
    """One entry per lesson mark, in file order unless sorted.

    `line` is the file line (0 for marks already stored), `course` an index into the
    caller's course list (-1 = none) or, once stored, a course id (0 = none).
    """

    line: np.ndarray  # int64
    student: np.ndarray  # int32 student id
    day: np.ndarray  # int32 days since 1970-01-01
    lesson: np.ndarray  # int8, 1–20
    course: np.ndarray  # int32
    code: np.ndarray  # int16 mark code id

    def __len__(self) -> int:
        return len(self.line)

    def take(self, index) -> Marks:
        return Marks(*(a[index] for a in self._columns()))

    def _columns(self):
        return (self.line, self.student, self.day, self.lesson, self.course, self.code)

    @classmethod
    def concat(cls, parts: list[Marks]) -> Marks:
        """The parts' marks in order; a single part is returned as it is (no copy)."""
        if len(parts) == 1:
            return parts[0]
        return cls(
            *(np.concatenate(cols) for cols in zip(*(p._columns() for p in parts), strict=True))
        )

    def keys(self) -> np.ndarray:
        """One int64 per (student, day, lesson) that sorts like the triple."""
        return (
            (self.student.astype(np.int64) << 26)
            | (self.day.astype(np.int64) << 5)
            | self.lesson.astype(np.int64)
        )


def distinct_sorted(values: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array, in one pass (`np.unique` sorts or hashes
    every value again: 0.5–0.9 s over the parts of a 10,000-student year)."""
    if not len(values):
        return values[:0]
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def distinct_small(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted, of integers within a small range (lesson widths,
    days of a year) by counting them (one pass)."""
    if not len(values):
        return values[:0]
    low = int(values.min())
    return np.flatnonzero(np.bincount((values - low).astype(np.intp))) + low


def empty() -> Marks:
    return Marks(
        np.empty(0, np.int64),
        np.empty(0, np.int32),
        np.empty(0, np.int32),
        np.empty(0, np.int8),
        np.empty(0, np.int32),
        np.empty(0, np.int16),
    )


def read_fast(
    path: Path | bytes,
    *,
    separators: int | None,
    students: dict[str, int],
    codes: dict[str, int],
    today: date,
    first_line: int = 2,
    header: bool = True,
) -> tuple[Marks, list[str]] | None:
    """Columns and course codes of a well-formed file, or None if it needs the careful reader.

    `path` may also be one block of the file's lines as bytes (`header` False: the
    block has no header line; `first_line` is the file line of its first row).

    `separators` is the number of semicolons in the whole file (counted while hashing
    it), or None: Polars refuses a row with too many fields, and the count proves none
    has too few. Without it a row with too few fields is still refused: Polars fills
    the missing last fields with nulls, and the mark code, the last, may not be null
    (counting a year's semicolons was 0.3 s of CPU). The caller has checked the header
    and that the file ends with a line break.
    """
    import polars as pl

    opp, day, lesson, course, code = parsing.ATTENDANCE_HEADER
    # Learner ids and mark codes are read as enums of the known values: an unknown one
    # stops the reader (the careful reader then names the line).
    learners, mark_codes = list(students), list(codes)
    schema = {
        opp: pl.Enum(learners),
        day: pl.Categorical,
        lesson: pl.Categorical,
        course: pl.Categorical,
        code: pl.Enum(mark_codes),
    }
    try:
        df = pl.read_csv(
            path,
            separator=";",
            has_header=False,
            skip_rows=1 if header else 0,
            schema=schema,  # type: ignore[arg-type]  # the stubs want instances; polars documents the classes too
            quote_char=None,
            encoding="utf8",
        )
    except (pl.exceptions.PolarsError, OSError):
        return None
    rows = df.height
    if rows == 0 or (
        separators is not None and separators != (FIELDS - 1) * (rows + (1 if header else 0))
    ):
        return None
    if any(df.get_column(c).null_count() for c in (opp, day, lesson, code)):
        return None

    def by_value(column: str, convert, null: int | None = None) -> np.ndarray | None:
        """Each row's value: `convert` applied once to each distinct text (None when one
        does not convert), `null` for an empty field."""
        series = df.get_column(column)
        present = series.unique().drop_nulls()
        values = [convert(text) for text in present.cast(pl.String).to_list()]
        if any(v is None for v in values):
            return None
        ids = present.to_physical().to_numpy().astype(np.int64)
        table = np.zeros(int(ids.max()) + 1 if len(ids) else 1, np.int32)
        table[ids] = values
        result = table[series.to_physical().fill_null(0).to_numpy()]
        if null is not None and series.null_count():
            result[series.is_null().to_numpy()] = null
        return result

    numbers = {str(n): n for n in range(1, MAX_LESSON + 1)}

    def day_number(text: str) -> int | None:
        d = parsing.parse_date(text) if text == text.strip() else None
        return epoch_day(d) if d is not None and d <= today else None

    courses: dict[str, int] = {}

    def course_index(text: str) -> int:
        name = text.strip()
        return courses.setdefault(name, len(courses)) if name else -1

    lessons = by_value(lesson, lambda t: numbers.get(t) or numbers.get(t.strip()))
    day_col = by_value(day, day_number)
    if lessons is None or day_col is None:
        return None
    course_col = by_value(course, course_index, null=-1)
    assert course_col is not None  # course_index converts every text
    student_ids = np.array([students[v] for v in learners], np.int32)
    code_ids = np.array([codes[v] for v in mark_codes], np.int16)
    return (
        Marks(
            np.arange(first_line, first_line + rows, dtype=np.int64),
            student_ids[df.get_column(opp).to_physical().to_numpy()],
            day_col,
            lessons.astype(np.int8),
            course_col,
            code_ids[df.get_column(code).to_physical().to_numpy()],
        ),
        list(courses),
    )


def from_rows(rows: Iterable[tuple[int, int, str, int, str, int, str]]) -> tuple[Marks, list[str]]:
    """Columns from the careful reader's rows (see `parsing.parse_attendance`)."""
    from array import array

    line, student, day, lesson, course, code = (
        array("q"),
        array("i"),
        array("i"),
        array("b"),
        array("i"),
        array("h"),
    )
    courses: dict[str, int] = {}
    days: dict[str, int] = {}
    for ln, sid, iso, les, course_code, code_id, _week in rows:
        line.append(ln)
        student.append(sid)
        n = days.get(iso)
        if n is None:
            n = days[iso] = epoch_day(date.fromisoformat(iso))
        day.append(n)
        lesson.append(les)
        course.append(courses.setdefault(course_code, len(courses)) if course_code else -1)
        code.append(code_id)
    marks = Marks(
        np.frombuffer(line, np.int64) if line else np.empty(0, np.int64),
        np.frombuffer(student, np.int32) if student else np.empty(0, np.int32),
        np.frombuffer(day, np.int32) if day else np.empty(0, np.int32),
        np.frombuffer(lesson, np.int8) if lesson else np.empty(0, np.int8),
        np.frombuffer(course, np.int32) if course else np.empty(0, np.int32),
        np.frombuffer(code, np.int16) if code else np.empty(0, np.int16),
    )
    return marks, list(courses)


def sort(marks: Marks) -> tuple[Marks, list[tuple[int, int]]]:
    """The marks in (student, day, lesson) order, and (later line, first line) of duplicates."""
    keys = marks.keys()
    if len(keys) < 2 or bool(np.all(keys[1:] > keys[:-1])):
        return marks, []  # already in order (student information systems export so)
    order = np.argsort(keys, kind="stable")
    marks, keys = marks.take(order), keys[order]
    same = keys[1:] == keys[:-1]
    if not same.any():
        return marks, []
    starts = np.where(np.concatenate(([True], ~same)), np.arange(len(keys)), 0)
    first = np.maximum.accumulate(starts)
    later = np.flatnonzero(same) + 1
    pairs = sorted(zip(marks.line[later].tolist(), marks.line[first[later]].tolist(), strict=True))
    return marks, pairs


def merge(stored: Marks, new: Marks) -> tuple[Marks, int]:
    """Both sets in one, the new mark winning where a lesson is in both; and how many of
    the new marks add or change something. Both inputs are sorted and duplicate-free."""
    if not len(stored):
        return new, len(new)
    both = Marks.concat([stored, new])
    keys = both.keys()
    order = np.argsort(keys, kind="stable")  # stored before new for the same lesson
    both, keys = both.take(order), keys[order]
    last = np.concatenate((keys[1:] != keys[:-1], [True]))
    replaced = np.flatnonzero(~last)  # a stored mark with a new one right after it
    unchanged = (both.code[replaced] == both.code[replaced + 1]) & (
        both.course[replaced] == both.course[replaced + 1]
    )
    return both.take(last), len(new) - int(unchanged.sum())


@dataclass
class Days:
    """One entry per student × day: the lesson marks packed as the database stores them."""

    student: np.ndarray  # int32
    day: np.ndarray  # int32 days since 1970-01-01
    width: np.ndarray  # int8: the last lesson marked that day
    codes: np.ndarray  # int16 [days, widest lesson]: code id per lesson, 0 = no mark
    courses: np.ndarray  # int32 [days, widest lesson]: course id per lesson, 0 = none

    def __len__(self) -> int:
        return len(self.student)

    def rows(self) -> Iterable[tuple[int, date, bytes, bytes]]:
        """(student, day, codes, courses) as `AttendanceDay` stores them (small data)."""
        for i in range(len(self)):
            w = int(self.width[i])
            yield (
                int(self.student[i]),
                from_epoch(self.day[i]),
                self.codes[i, :w].astype("<i2").tobytes(),
                self.courses[i, :w].astype("<i4").tobytes(),
            )


def day_starts(marks: Marks) -> np.ndarray:
    """Indexes where a new (student, day) begins in sorted marks."""
    if not len(marks):
        return np.empty(0, np.int64)
    change = (marks.student[1:] != marks.student[:-1]) | (marks.day[1:] != marks.day[:-1])
    return np.concatenate(([0], np.flatnonzero(change) + 1))


def day_slices(marks: Marks, size: int) -> Iterable[Marks]:
    """Sorted marks in consecutive parts of about `size`, never splitting a student's day."""
    starts = day_starts(marks)
    index = np.searchsorted(starts, np.arange(size, len(marks), size))  # first day at or after
    cuts = np.unique(starts[index[index < len(starts)]])
    bounds = [0, *cuts.tolist(), len(marks)]
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        if hi > lo:
            yield marks.take(slice(lo, hi))


def encode_days(marks: Marks) -> Days:
    """Pack sorted marks, whose `course` holds course ids, into one entry per student × day."""
    if not len(marks):
        z = np.empty(0, np.int32)
        return Days(
            z, z, np.empty(0, np.int8), np.empty((0, 1), np.int16), np.empty((0, 1), np.int32)
        )
    starts = day_starts(marks)
    group = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(marks))))
    slot = marks.lesson.astype(np.intp) - 1
    widest = int(marks.lesson.max()) if len(marks) else 1
    codes = np.zeros((len(starts), widest), np.int16)
    courses = np.zeros((len(starts), widest), np.int32)
    codes[group, slot] = marks.code
    courses[group, slot] = marks.course
    ends = np.append(starts[1:], len(marks)) - 1
    return Days(marks.student[starts], marks.day[starts], marks.lesson[ends], codes, courses)


def decode_days(
    student: np.ndarray, day: np.ndarray, codes: list[bytes], courses: list[bytes]
) -> Marks:
    """Stored day rows back into sorted marks (line 0)."""
    if not len(student):
        return empty()
    widths = np.fromiter((len(c) // 2 for c in codes), np.int64, len(codes))
    code = np.frombuffer(b"".join(codes), "<i2").astype(np.int16)
    course = np.frombuffer(b"".join(courses), "<i4").astype(np.int32)
    lesson = np.concatenate([np.arange(1, w + 1, dtype=np.int8) for w in widths.tolist()])
    keep = code != 0
    marks = Marks(
        np.zeros(len(code), np.int64),
        np.repeat(student.astype(np.int32), widths),
        np.repeat(day.astype(np.int32), widths),
        lesson,
        course,
        code,
    )
    return marks.take(keep)


def monday(day: np.ndarray) -> np.ndarray:
    """The Monday of each day's ISO week (1.1.1970 was a Thursday)."""
    return day - (day.astype(np.int64) + 3) % 7


@dataclass
class Weeks:
    """Lessons per absence class for each student × ISO week (the `WeeklyAbsence` numbers)."""

    student: np.ndarray  # int32
    week: np.ndarray  # int32, the Monday, days since 1970-01-01
    counts: np.ndarray  # int64 [weeks, classes]: lessons per class, in `classes` order
    marked_days: np.ndarray  # int16 bit mask, bit 0 = Monday
    absent_days: np.ndarray  # int16: days on which every marked lesson was an absence

    def __len__(self) -> int:
        return len(self.student)


def week_summaries(marks: Marks, code_class: np.ndarray, absent: np.ndarray) -> Weeks:
    """Summaries of sorted marks. `code_class` maps a code id to a class number and
    `absent` says which class numbers are absences."""
    if not len(marks):
        z = np.empty(0, np.int32)
        return Weeks(z, z, np.empty((0, len(absent)), np.int64), z, z)
    cls = code_class[marks.code]
    starts = day_starts(marks)
    lessons = np.diff(np.append(starts, len(marks)))
    absences = np.add.reduceat(absent[cls].astype(np.int64), starts)
    d_student, d_day = marks.student[starts], marks.day[starts]
    d_week = monday(d_day)
    bit = np.left_shift(1, (d_day - d_week).astype(np.int64))
    change = (d_student[1:] != d_student[:-1]) | (d_week[1:] != d_week[:-1])
    w_starts = np.concatenate(([0], np.flatnonzero(change) + 1))
    marked = np.add.reduceat(bit, w_starts)
    absent_days = np.add.reduceat(np.where(absences == lessons, bit, 0), w_starts)
    week_of_day = np.repeat(np.arange(len(w_starts)), np.diff(np.append(w_starts, len(starts))))
    week_of_mark = np.repeat(week_of_day, lessons)
    n_classes = len(absent)
    counts = np.bincount(
        week_of_mark * n_classes + cls, minlength=len(w_starts) * n_classes
    ).reshape(len(w_starts), n_classes)
    return Weeks(
        d_student[w_starts],
        d_week[w_starts],
        counts,
        marked.astype(np.int16),
        absent_days.astype(np.int16),
    )
