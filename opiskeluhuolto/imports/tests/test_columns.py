"""The columnar attendance pipeline against plain-Python oracles (no database)."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opiskeluhuolto.imports import columns, parsing

from .helpers import MARKS_HEADER

TODAY = date(2026, 11, 20)
STUDENTS = {f"1.2.246.562.24.1000000000{i}": 100 + i for i in range(4)}
CODES = {"+": 1, "S": 2, "X": 3, "M": 4}
CLASS = {1: 0, 2: 1, 3: 4, 4: 5}  # code id → class number in store.CLASSES
CODE_CLASS = np.array([0, 0, 1, 4, 5])
ABSENT = np.array([k in (1, 2, 3, 4) for k in range(7)])

mark = st.tuples(
    st.sampled_from(sorted(STUDENTS)),
    st.dates(date(2026, 9, 1), date(2026, 11, 20)),
    st.integers(1, 20),
    st.sampled_from(["", "ENA01", "MAA02"]),
    st.sampled_from(sorted(CODES)),
)


def unique_marks(rows):
    seen, out = set(), []
    for r in rows:
        if r[:3] not in seen:
            seen.add(r[:3])
            out.append(r)
    return out


def write(tmp_path, rows):
    text = MARKS_HEADER + "".join(
        f"{o};{d.day}.{d.month}.{d.year};{n};{c};{k}\n" for o, d, n, c, k in rows
    )
    path = tmp_path / "marks.csv"
    path.write_text(text, encoding="utf-8")
    return path, text


def careful(text: str):
    report = parsing.Report()
    rows = parsing.parse_attendance(
        io.BytesIO(text.encode()), students=STUDENTS, codes=CODES, today=TODAY, report=report
    )
    marks, courses = columns.from_rows(rows)
    return marks, courses, report


def as_tuples(marks: columns.Marks, courses: list[str]) -> list[tuple]:
    return sorted(
        (
            int(marks.line[i]),
            int(marks.student[i]),
            columns.from_epoch(marks.day[i]),
            int(marks.lesson[i]),
            courses[marks.course[i]] if marks.course[i] >= 0 else "",
            int(marks.code[i]),
        )
        for i in range(len(marks))
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(mark, min_size=1, max_size=60).map(unique_marks))
def test_the_fast_reader_reads_what_the_careful_reader_reads(tmp_path_factory, rows):
    path, text = write(tmp_path_factory.mktemp("f"), rows)
    fast = columns.read_fast(
        path, separators=text.count(";"), students=STUDENTS, codes=CODES, today=TODAY
    )
    assert fast is not None
    uncounted = columns.read_fast(
        path, separators=None, students=STUDENTS, codes=CODES, today=TODAY
    )
    assert uncounted is not None and as_tuples(*uncounted) == as_tuples(*fast)
    slow_marks, slow_courses, report = careful(text)
    assert not report.fatal
    assert as_tuples(*fast) == as_tuples(slow_marks, slow_courses)


def test_the_fast_reader_leaves_every_doubtful_file_to_the_careful_reader(tmp_path):
    good = "1.2.246.562.24.10000000001;16.11.2026;1;ENA01;X\n"
    doubtful = {
        "unknown student": "1.2.246.562.24.99999999999;16.11.2026;1;ENA01;X\n",
        "unknown code": "1.2.246.562.24.10000000001;16.11.2026;2;ENA01;ZZ\n",
        "impossible date": "1.2.246.562.24.10000000001;30.2.2026;1;ENA01;X\n",
        "future date": "1.2.246.562.24.10000000001;16.12.2026;1;ENA01;X\n",
        "lesson 21": "1.2.246.562.24.10000000001;16.11.2026;21;ENA01;X\n",
        "lesson not a number": "1.2.246.562.24.10000000001;16.11.2026;x;ENA01;X\n",
        "lesson with a leading zero": "1.2.246.562.24.10000000001;16.11.2026;02;ENA01;X\n",
        "too few columns": "1.2.246.562.24.10000000001;16.11.2026;2;X\n",
        "too many columns": "1.2.246.562.24.10000000001;16.11.2026;2;A;X;Y\n",
        "blank line": "\n",
        "spaces around a learner id": " 1.2.246.562.24.10000000001;16.11.2026;2;ENA01;X\n",
        "quoted": '"1.2.246.562.24.10000000001";16.11.2026;2;ENA01;X\n',
    }
    for name, line in doubtful.items():
        path = tmp_path / "f.csv"
        text = MARKS_HEADER + good + line + good.replace(";1;", ";3;")
        path.write_text(text, encoding="utf-8")
        for separators in (text.count(";"), None):  # counted or not (`blocks.read_into`)
            result = columns.read_fast(
                path, separators=separators, students=STUDENTS, codes=CODES, today=TODAY
            )
            assert result is None, name
    path.write_bytes((MARKS_HEADER + good).encode() + "Ä;1\n".encode("latin-1"))
    for separators in (9, None):
        assert (
            columns.read_fast(
                path, separators=separators, students=STUDENTS, codes=CODES, today=TODAY
            )
            is None
        )


def test_sort_reports_each_repeated_lesson_with_its_first_line():
    rows = [
        (2, 101, 5, 1, -1, 1),
        (3, 100, 5, 2, -1, 1),
        (4, 101, 5, 1, -1, 2),  # again line 2
        (5, 100, 5, 1, -1, 1),
        (6, 101, 5, 1, -1, 3),  # again line 2
    ]
    marks = columns.Marks(*(np.array(c) for c in zip(*rows, strict=True)))
    ordered, duplicates = columns.sort(marks)
    assert duplicates == [(4, 2), (6, 2)]
    assert ordered.student.tolist() == [100, 100, 101, 101, 101]
    assert ordered.lesson.tolist() == [1, 2, 1, 1, 1]


def build(rows, line0=2) -> columns.Marks:
    """Sorted marks from (student, day, lesson, course id, code id) tuples."""
    rows = sorted(rows)
    if not rows:
        return columns.empty()
    s, d, n, c, k = zip(*rows, strict=True)
    return columns.Marks(
        np.arange(line0, line0 + len(rows), dtype=np.int64),
        np.array(s, np.int32),
        np.array([columns.epoch_day(x) for x in d], np.int32),
        np.array(n, np.int8),
        np.array(c, np.int32),
        np.array(k, np.int16),
    )


stored_mark = st.tuples(
    st.integers(100, 103),
    st.dates(date(2026, 10, 1), date(2026, 11, 20)),
    st.integers(1, 20),
    st.integers(0, 3),
    st.sampled_from([1, 2, 3, 4]),
)


def dedupe(rows):
    return list({r[:3]: r for r in rows}.values())


@settings(max_examples=60, deadline=None)
@given(st.lists(stored_mark, max_size=80).map(dedupe))
def test_packing_days_and_unpacking_them_gives_the_marks_back(rows):
    marks = build(rows)
    days = columns.encode_days(marks)
    packed = list(days.rows())
    assert len(packed) == len({(s, d) for s, d, *_ in rows})
    student = np.array([p[0] for p in packed], np.int64)
    day = np.array([columns.epoch_day(p[1]) for p in packed], np.int32)
    back = columns.decode_days(student, day, [p[2] for p in packed], [p[3] for p in packed])
    key = lambda m: sorted(  # noqa: E731
        zip(
            m.student.tolist(),
            m.day.tolist(),
            m.lesson.tolist(),
            m.course.tolist(),
            m.code.tolist(),
            strict=True,
        )
    )
    assert key(back) == key(marks)


@settings(max_examples=60, deadline=None)
@given(st.lists(stored_mark, max_size=80).map(dedupe), st.lists(stored_mark, max_size=40))
def test_merge_lets_the_new_file_win_lesson_by_lesson(old_rows, new_rows):
    new_rows = dedupe(new_rows)
    merged, written = columns.merge(build(old_rows), build(new_rows, line0=1000))
    expected = {r[:3]: r for r in old_rows} | {r[:3]: r for r in new_rows}
    got = {
        (s, columns.from_epoch(d), n): (s, columns.from_epoch(d), n, c, k)
        for s, d, n, c, k in zip(
            merged.student.tolist(),
            merged.day.tolist(),
            merged.lesson.tolist(),
            merged.course.tolist(),
            merged.code.tolist(),
            strict=True,
        )
    }
    assert got == expected
    old = {r[:3]: r for r in old_rows}
    assert written == sum(1 for r in new_rows if old.get(r[:3]) != r)


@settings(max_examples=60, deadline=None)
@given(st.lists(stored_mark, min_size=1, max_size=120).map(dedupe))
def test_week_summaries_count_like_a_plain_loop(rows):
    weeks = columns.week_summaries(build(rows), CODE_CLASS, ABSENT)
    counts: dict = defaultdict(Counter)
    per_day: dict = defaultdict(list)
    for s, d, _n, _c, k in rows:
        monday = d - timedelta(days=d.weekday())
        counts[(s, monday)][CLASS[k]] += 1
        per_day[(s, monday, d.weekday())].append(ABSENT[CLASS[k]])
    expected = {}
    for (s, monday), c in counts.items():
        marked = absent = 0
        for (s2, m2, wd), flags in per_day.items():
            if (s2, m2) == (s, monday):
                marked |= 1 << wd
                absent |= (1 << wd) if all(flags) else 0
        expected[(s, monday)] = ([c[i] for i in range(7)], marked, absent)
    got = {
        (int(weeks.student[i]), columns.from_epoch(weeks.week[i])): (
            weeks.counts[i].tolist(),
            int(weeks.marked_days[i]),
            int(weeks.absent_days[i]),
        )
        for i in range(len(weeks))
    }
    assert got == expected


@settings(max_examples=40, deadline=None)
@given(st.lists(stored_mark, max_size=80).map(dedupe), st.integers(1, 10))
def test_day_slices_cover_every_mark_and_never_split_a_day(rows, size):
    marks = build(rows)
    parts = list(columns.day_slices(marks, size))
    assert sum(len(p) for p in parts) == len(marks)
    days = [set(zip(p.student.tolist(), p.day.tolist(), strict=True)) for p in parts]
    for i, a in enumerate(days):
        for b in days[i + 1 :]:
            assert not a & b


@pytest.mark.parametrize("n", [0, 1, 2, 1000])
def test_distinct_values_in_one_pass_equal_np_unique(n):
    rng = np.random.default_rng(n)
    values = rng.integers(20_300, 20_600, n).astype(np.int32)
    assert columns.distinct_small(values).tolist() == np.unique(values).tolist()
    ordered = np.sort(values)
    assert columns.distinct_sorted(ordered).tolist() == np.unique(values).tolist()
