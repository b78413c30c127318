"""Writing an attendance file: its marks checked block by block, then written part by
part (a range of students at a time) in one transaction with the weekly summaries and
the dashboards' rollups; over stored weeks, laid over them (`merging`, `sqlmerge`)."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from opiskeluhuolto.organisation.models import Institution, Student

from . import blocks, columns, merging, parsing, rollup_delta, rollup_fresh, runs, sqlmerge, store
from .models import DEFAULT_MARK_CODES, Course, ImportRun, MarkCode


def ensure_mark_codes(institution: Institution) -> None:
    """Install the default codes (absence-classes.md) for an institution that has none."""
    if not MarkCode.objects.filter(institution=institution).exists():
        MarkCode.objects.bulk_create(
            [
                MarkCode(institution=institution, code=c, absence_class=k, label=label)
                for c, k, label in DEFAULT_MARK_CODES
            ]
        )


def import_attendance(
    run: ImportRun,
    report: parsing.Report,
    today: date,
    progress: runs.Progress | None,
    scan: runs.FileScan | None,
) -> int:
    """Check the whole file block by block (its marks held by student, spilled beyond
    the memory budget), hashing it meanwhile; then, unless it was imported before,
    write it part by part in one transaction (see blocks.py)."""
    ensure_mark_codes(run.institution)
    students = runs.student_ids(run.institution_id)
    codes = dict(
        MarkCode.objects.filter(institution_id=run.institution_id).values_list("code", "pk")
    )
    block_bytes = max(1024, int(settings.ATTENDANCE_IMPORT_BLOCK_BYTES))
    part_bytes = max(1024, int(settings.ATTENDANCE_IMPORT_PART_BYTES))
    size = Path(run.file_path).stat().st_size
    budget = int(settings.ATTENDANCE_IMPORT_MEMORY_BYTES)
    digest = hashlib.sha256()
    with blocks.Spill(students.values(), -(-size // part_bytes), budget) as spill:
        courses = blocks.read_into(
            spill,
            Path(run.file_path),
            block_bytes=block_bytes,
            students=students,
            codes=codes,
            today=today,
            report=report,
            digest=digest,
            progress=runs.reporter(run, progress),
        )
        runs.claim(run, digest.hexdigest())  # AlreadyImported: nothing written
        if report.fatal:
            return 0
        runs.save_run(run, phase="writing")
        if progress:
            progress(run)
        with transaction.atomic():
            written = _write_marks(run, spill, courses, report, progress)
            if report.fatal:  # duplicates: nothing of the file stays
                transaction.set_rollback(True)
                return 0
            return written


def _course_ids(institution_id: int, courses: list[str]) -> np.ndarray:
    """Course ids by the reader's course index; the last entry (index -1) is 0 = none."""
    existing = dict(
        Course.objects.filter(institution_id=institution_id, code__in=courses).values_list(
            "code", "pk"
        )
    )
    Course.objects.bulk_create(
        [Course(institution_id=institution_id, code=c) for c in courses if c not in existing]
    )
    ids = dict(
        Course.objects.filter(institution_id=institution_id, code__in=courses).values_list(
            "code", "pk"
        )
    )
    return np.array([ids[c] for c in courses] + [0], np.int32)


def _code_classes(institution_id: int) -> np.ndarray:
    """Class number (store.CLASSES) of every mark code id of the institution."""
    pairs = list(
        MarkCode.objects.filter(institution_id=institution_id).values_list("pk", "absence_class")
    )
    table = np.zeros(max((pk for pk, _k in pairs), default=0) + 1, np.int64)
    for pk, klass in pairs:
        table[pk] = store.CLASSES.index(klass)
    return table


def _write_marks(
    run: ImportRun,
    spill: blocks.Spill,
    courses: list[str],
    report: parsing.Report,
    progress: runs.Progress | None,
) -> int:
    """Write the spilled marks one part (a range of students) at a time; then the
    dashboards' rollups of the months touched, all in the caller's transaction.

    PostgreSQL: imports of one institution take turns (a transaction-level advisory
    lock). A lesson the file marks twice is reported (every part is still checked)
    and the caller rolls back.
    """
    store.lock_institution(run.institution_id)
    course_ids = _course_ids(run.institution_id, courses)
    absent = np.array([k in store.ABSENT for k in store.CLASSES])
    code_classes = _code_classes(run.institution_id)
    units = {
        pk: (inst, campus, group)
        for pk, inst, campus, group in Student.objects.filter(
            institution_id=run.institution_id
        ).values_list("pk", "institution_id", "campus_id", "group_id")
    }
    duplicates: list[tuple[int, int]] = []
    n_duplicates = written = new_weeks = 0
    same_members = True
    months: set[date] = set()
    delta = rollup_delta.Delta()
    # A first load of its school years: the rollups counted from the summaries as they
    # are written (`rollup_fresh`), unless a part turns out to lie over stored days.
    first_load = None
    if spill.days[0] <= spill.days[1] and not rollup_fresh.summaries_in_years(
        run.institution_id, columns.from_epoch(spill.days[0]), columns.from_epoch(spill.days[1])
    ):
        first_load = rollup_fresh.FirstLoad()
    for part in spill:
        marks, pairs = columns.sort(part)
        del part
        if pairs:
            n_duplicates += len(pairs)
            duplicates = sorted(duplicates + pairs)[: parsing.MAX_REPORTED]
        if n_duplicates:
            continue
        marks.course = course_ids[marks.course]
        week = columns.monday(marks.day)
        added, touched, weeks, same, fresh = _write_part(
            run, marks, week, code_classes, absent, units, delta, first_load, progress
        )
        if not fresh:
            first_load = None
        written += added
        new_weeks += weeks
        same_members &= same
        months.update(touched)
    for later, earlier in duplicates:
        report.add(later, "duplicate", other=earlier)
    report.error_count += n_duplicates - len(duplicates)
    if n_duplicates:
        return 0
    # Statistics that know of the summaries just written: for the SQL rollups below, in
    # this transaction, and for the early warning right after the commit, before
    # autovacuum's analyse (its queries took 0.9–1.1 s of database CPU for 10,000
    # students on the statistics of before a year's import, 0.4 s after).
    store.analyze_if_grown("imports_weeklyabsence", new_weeks)
    if first_load is not None:
        first_load.write(run.institution_id, sorted(months))
        store.refresh_rollups(
            run.institution_id, sorted(months), monthly=False, presence_written=True
        )
        return written
    # A merge that only rewrote summaries (same students, weeks and units) moves the
    # monthly rollups by what it changed instead of recounting its months.
    moved = same_members and delta.apply()
    store.refresh_rollups(
        run.institution_id, sorted(months), presence=not same_members, monthly=not moved
    )
    return written


def _write_part(
    run: ImportRun,
    marks: columns.Marks,
    week: np.ndarray,
    code_classes: np.ndarray,
    absent: np.ndarray,
    units: dict,
    delta: rollup_delta.Delta,
    first_load: rollup_fresh.FirstLoad | None,
    progress: runs.Progress | None,
) -> tuple[int, list[date], int, bool, bool]:
    """Write sorted marks; returns how many add or change something, the months
    whose rollups are to be refreshed and how many summaries were added (less those
    replaced), whether the yearly presence is as it was (see `merging.Merged`) and
    whether the marks were written as they are (no stored days under them; their
    summaries then counted into `first_load`).
    When none of the students has marks in the range
    (the usual first load of a period) the marks are written as they are; otherwise they
    are laid over the stored weeks they touch and only what changes is written (`merge`)."""
    fresh = not store.days_exist(
        columns.distinct_sorted(marks.student).tolist(),
        columns.from_epoch(week.min()),
        columns.from_epoch(week.max()) + timedelta(days=6),
    )
    if not fresh:
        merged = merge(marks, week, code_classes, absent, units, delta)
        runs.summarising(run, progress)
        # A rewritten summary replaces a stored one: only those added change what the
        # planner's statistics should know (a re-exported term adds none, and its
        # `ANALYZE` of the summaries cost 0.1 s).
        return merged.written, merged.months, merged.added_weeks, merged.same_members, False
    # The summaries are counted (NumPy, no database) while PostgreSQL stores the days.
    with ThreadPoolExecutor(max_workers=1) as pool:
        weeks = pool.submit(columns.week_summaries, marks, code_classes, absent)
        store.write_days(marks)
        runs.summarising(run, progress)
        summaries = weeks.result()
        unit = store.unit_columns(summaries.student, units)
        added = store.write_weeks(summaries, units, unit)
        if first_load is not None:
            first_load.add(summaries, unit[1], unit[2])
    return len(marks), store.months_of_weeks(week), added, False, True


def merges_in_sql() -> bool:
    """Whether the merge runs in the database (`sqlmerge`, PostgreSQL) or in NumPy
    (`merging`, the path of SQLite)."""
    return connection.vendor == "postgresql"


def merge(
    marks: columns.Marks,
    week: np.ndarray,
    code_classes: np.ndarray,
    absent: np.ndarray,
    units,
    delta: rollup_delta.Delta,
) -> merging.Merged:
    """Lay sorted marks over the stored weeks they touch; the unchanged summaries of
    those weeks whose student has moved are relabelled, as rewriting them would."""
    change = (marks.student[1:] != marks.student[:-1]) | (week[1:] != week[:-1])
    first = np.concatenate(([0], np.flatnonzero(change) + 1))
    in_sql = merges_in_sql()
    store.create_affected(marks.student[first].astype(np.int64), week[first])
    try:
        moved = merging.relabel_weeks(
            (int(marks.student[0]), int(marks.student[-1])),
            (columns.from_epoch(int(week.min())), columns.from_epoch(int(week.max()))),
        )
        stored = None if in_sql else merging.stored_days()
    finally:
        store.drop_affected()
    if stored is None:
        done = sqlmerge.merge(marks, code_classes, absent, units, delta)
    else:
        done = merging.merge(stored, marks, code_classes, absent, units, delta)
        del stored
    return merging.Merged(
        done.written,
        done.days,
        sorted(set(moved) | set(done.months)),
        done.added_weeks,
        # Relabelled summaries and added ones change who is present in which months;
        # a rewritten one (the primary key is (student, week)) has its student's
        # current unit, as `relabel_weeks` gave the one it replaced.
        same_members=not moved and done.added_weeks == 0,
    )
