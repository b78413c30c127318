"""Running an import: parse → validate everything → write everything in one transaction.

All or nothing: every row is checked first (attendance as columns, see
columns.py, read in bounded blocks and spilled by student, see blocks.py); only a
file without a single error is written, in one transaction that also rewrites the
weekly summaries and the dashboards' rollups. A file imported once is recognised by its SHA-256 and adds
nothing the second time; overlapping files add nothing twice either, because
marks are keyed by student × day × lesson. A killed process rolls its
transaction back and the run can simply be started again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.utils import timezone

from opiskeluhuolto import audit
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.organisation.models import (
    Campus,
    Guardianship,
    Institution,
    Student,
    StudentGroup,
)

from . import blocks, columns, merging, parsing, store
from .models import (
    DEFAULT_MARK_CODES,
    Course,
    ImportRun,
    MarkCode,
    StudyProgress,
    StudyRightEvent,
)

log = logging.getLogger(__name__)
Progress = Callable[[ImportRun], None]
STALE_AFTER = timedelta(hours=2)


def ensure_mark_codes(institution: Institution) -> None:
    """Install the default codes (absence-classes.md) for an institution that has none."""
    if not MarkCode.objects.filter(institution=institution).exists():
        MarkCode.objects.bulk_create(
            [
                MarkCode(institution=institution, code=c, absence_class=k, label=label)
                for c, k, label in DEFAULT_MARK_CODES
            ]
        )


@dataclass(frozen=True)
class FileScan:
    """What one pass over the file tells before it is parsed."""

    sha256: str
    size: int
    separators: int  # semicolons in the whole file
    ends_with_newline: bool


def scan_file(path: Path) -> FileScan:
    digest = hashlib.sha256()
    size = separators = 0
    last = b""
    with open(path, "rb") as f:
        while block := f.read(1 << 16):  # 64 KiB: memory stays flat (test_blocks.py)
            digest.update(block)
            separators += block.count(b";")
            size += len(block)
            last = block[-1:]
    return FileScan(digest.hexdigest(), size, separators, last == b"\n")


def create_run(
    institution: Institution, *, kind: str, path: Path, file_name: str, user=None
) -> ImportRun:
    return ImportRun.objects.create(
        institution=institution,
        kind=kind,
        file_name=file_name[:200],
        file_path=str(path),
        bytes_total=path.stat().st_size,
        started_by=user,
    )


def _save(run: ImportRun, **fields) -> None:
    for k, v in fields.items():
        setattr(run, k, v)
    ImportRun.objects.filter(pk=run.pk).update(**fields)


def mark_stale_runs() -> int:
    """Runs whose process died (killed, server restarted) are reported as interrupted."""
    cutoff = timezone.now() - STALE_AFTER
    return ImportRun.objects.filter(status=ImportRun.Status.RUNNING, started_at__lt=cutoff).update(
        status=ImportRun.Status.FAILED,
        errors=[{"line": 0, "code": "interrupted", "value": "", "other": 0}],
        error_count=1,
        finished_at=timezone.now(),
    )


def run_import(
    run: ImportRun, *, today: date | None = None, progress: Progress | None = None
) -> ImportRun:
    """Run one import to its end; returns the run with its status and error report."""
    today = today or timezone.localdate()
    path = Path(run.file_path)
    scan = scan_file(path)
    sha = scan.sha256
    earlier = (
        ImportRun.objects.filter(
            institution_id=run.institution_id,
            kind=run.kind,
            sha256=sha,
            status=ImportRun.Status.SUCCEEDED,
        )
        .exclude(pk=run.pk)
        .first()
    )
    if earlier:
        _save(
            run,
            sha256=sha,
            status=ImportRun.Status.DUPLICATE,
            errors=[],
            finished_at=timezone.now(),
            bytes_done=run.bytes_total,
            phase="done",
        )
        return run
    _save(
        run,
        sha256=sha,
        status=ImportRun.Status.RUNNING,
        started_at=timezone.now(),
        phase="reading",
        errors=[],
        error_count=0,
    )
    report = parsing.Report()
    try:
        handler = {
            ImportRun.Kind.ATTENDANCE: _import_attendance,
            ImportRun.Kind.ROSTER: _import_roster,
            ImportRun.Kind.PROGRESS: _import_progress,
        }[ImportRun.Kind(run.kind)]
        written = handler(run, report, today, progress, scan)
    except DatabaseError:
        log.exception("import run %s failed", run.uuid)
        report.add(0, "internal", str(run.uuid)[:8])
        written = 0
    if report.fatal:
        _save(
            run,
            status=ImportRun.Status.FAILED,
            errors=[e.as_dict() for e in report.errors],
            error_count=report.error_count,
            rows_read=report.rows,
            rows_written=0,
            phase="done",
            finished_at=timezone.now(),
        )
    else:
        _save(
            run,
            status=ImportRun.Status.SUCCEEDED,
            rows_read=report.rows,
            rows_written=written,
            phase="done",
            finished_at=timezone.now(),
        )
    if progress:
        progress(run)
    return run


def _reporter(run: ImportRun, progress: Progress | None) -> Callable[[int], None]:
    def report_bytes(done: int) -> None:
        _save(run, bytes_done=done)
        if progress:
            progress(run)

    return report_bytes


def _open(run: ImportRun):
    return open(run.file_path, "rb")


def _student_ids(institution_id: int) -> dict[str, int]:
    rows = Student.objects.filter(
        institution_id=institution_id, oppijanumero__isnull=False
    ).values_list("oppijanumero", "pk")
    return dict(rows)  # type: ignore[arg-type]  # rows are filtered to oppijanumero__isnull=False


def _import_attendance(
    run: ImportRun,
    report: parsing.Report,
    today: date,
    progress: Progress | None,
    scan: FileScan,
) -> int:
    """Check the whole file block by block (spilling its marks by student), then write
    it part by part in one transaction (see blocks.py)."""
    ensure_mark_codes(run.institution)
    students = _student_ids(run.institution_id)
    codes = dict(
        MarkCode.objects.filter(institution_id=run.institution_id).values_list("code", "pk")
    )
    block_bytes = max(1024, int(settings.ATTENDANCE_IMPORT_BLOCK_BYTES))
    with blocks.Spill(students.values(), -(-scan.size // block_bytes)) as spill:
        courses = blocks.read_into(
            spill,
            Path(run.file_path),
            block_bytes=block_bytes,
            students=students,
            codes=codes,
            today=today,
            report=report,
            progress=_reporter(run, progress),
        )
        if report.fatal:
            return 0
        _save(run, phase="writing")
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
    progress: Progress | None,
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
    n_duplicates = written = 0
    months: set[date] = set()
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
        added, touched = _write_part(run, marks, week, code_classes, absent, units, progress)
        written += added
        months.update(touched)
    for later, earlier in duplicates:
        report.add(later, "duplicate", other=earlier)
    report.error_count += n_duplicates - len(duplicates)
    if n_duplicates:
        return 0
    # The dashboards' rollups of the months touched, in this same transaction.
    store.refresh_rollups(run.institution_id, sorted(months))
    return written


def _write_part(
    run: ImportRun,
    marks: columns.Marks,
    week: np.ndarray,
    code_classes: np.ndarray,
    absent: np.ndarray,
    units: dict,
    progress: Progress | None,
) -> tuple[int, list[date]]:
    """Write sorted marks; returns how many add or change something and the months
    whose rollups are to be refreshed. When none of the students has marks in the range
    (the usual first load of a period) the marks are written as they are; otherwise they
    are laid over the stored weeks they touch and only what changes is written
    (merging.py)."""
    fresh = not store.days_exist(
        np.unique(marks.student).tolist(),
        columns.from_epoch(week.min()),
        columns.from_epoch(week.max()) + timedelta(days=6),
    )
    if not fresh:
        change = (marks.student[1:] != marks.student[:-1]) | (week[1:] != week[:-1])
        first = np.concatenate(([0], np.flatnonzero(change) + 1))
        store.create_affected(marks.student[first].astype(np.int64), week[first])
        try:
            stored = merging.stored_days()
            moved = merging.relabel_weeks()  # a student moved since: as rewriting would
        finally:
            store.drop_affected()
        found = merging.changes(stored, marks, code_classes, absent)
        del stored
        _summarising(run, progress)
        merging.upsert_days(found.days)
        return found.written, moved + merging.replace_weeks(found.weeks, units)
    # The summaries are counted (NumPy, no database) while PostgreSQL stores the days.
    with ThreadPoolExecutor(max_workers=1) as pool:
        weeks = pool.submit(columns.week_summaries, marks, code_classes, absent)
        store.write_days(marks)
        _summarising(run, progress)
        store.write_weeks(weeks.result(), units)
    return len(marks), store.months_of_weeks(week)


def _summarising(run: ImportRun, progress: Progress | None) -> None:
    if run.phase != "summarising":
        _save(run, phase="summarising")
        if progress:
            progress(run)


def _import_roster(
    run: ImportRun, report: parsing.Report, today: date, progress: Progress | None, scan: FileScan
) -> int:
    inst = run.institution
    campuses = {c.name: c for c in Campus.objects.filter(institution=inst)}
    with _open(run) as f:
        rows = parsing.parse_roster(f, campuses=set(campuses), today=today, report=report)
    if report.fatal:
        return 0
    elsewhere = dict(
        Student.objects.filter(oppijanumero__in=[r.oppijanumero for r in rows])
        .exclude(institution=inst)
        .values_list("oppijanumero", "pk")
    )
    for r in rows:
        if r.oppijanumero in elsewhere:
            report.add(r.line, "other_institution", r.oppijanumero)
    if report.fatal:
        return 0
    _save(run, phase="writing")
    with transaction.atomic():
        return _write_roster(inst, rows, campuses, by=run.started_by)


def _write_roster(inst: Institution, rows: list, campuses: dict[str, Campus], *, by=None) -> int:
    groups = {g.name: g for g in StudentGroup.objects.filter(institution=inst)}
    for name in {r.group for r in rows if r.group} - set(groups):
        campus = next((campuses[r.campus] for r in rows if r.group == name and r.campus), None)
        groups[name] = StudentGroup.objects.create(institution=inst, campus=campus, name=name)
    existing = {
        s.oppijanumero: s
        for s in Student.objects.filter(
            institution=inst, oppijanumero__in=[r.oppijanumero for r in rows]
        )
    }
    new: list[Student] = []
    changed: list[Student] = []
    for r in rows:
        s = existing.get(r.oppijanumero) or Student(institution=inst, oppijanumero=r.oppijanumero)
        s.first_name, s.last_name, s.date_of_birth = r.first_name, r.last_name, r.date_of_birth
        s.group = groups.get(r.group)
        s.campus = campuses.get(r.campus) if r.campus else None
        s.status = r.status
        (changed if s.pk else new).append(s)
    Student.objects.bulk_create(new, batch_size=2000)
    Student.objects.bulk_update(
        changed,
        ["first_name", "last_name", "date_of_birth", "group", "campus", "status"],
        batch_size=2000,
    )
    by_opp = {s.oppijanumero: s for s in new + changed}
    events = [
        StudyRightEvent(
            student=by_opp[r.oppijanumero],
            institution=inst,
            campus=by_opp[r.oppijanumero].campus,
            kind=r.status,
            starts_on=r.status_from,
            ends_on=r.status_until,
        )
        for r in rows
        if r.status in (StudyRightEvent.Kind.INTERRUPTED, StudyRightEvent.Kind.RESIGNED)
    ]
    StudyRightEvent.objects.bulk_create(
        events,
        update_conflicts=True,
        unique_fields=["student", "kind", "starts_on"],
        update_fields=["ends_on", "campus"],
    )
    _link_guardians(rows, by_opp, by=by, provider_id=inst.provider_id)  # type: ignore[arg-type]  # every imported row has an oppijanumero
    return len(rows)


def _link_guardians(rows: list, by_opp: dict[str, Student], *, by, provider_id: int) -> None:
    emails = {e for r in rows for e in r.guardian_emails}
    if not emails:
        return
    users = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    unusable = make_password(None)
    missing = [
        User(username=e[:150], email=e, password=unusable) for e in sorted(emails - set(users))
    ]
    for u in User.objects.bulk_create(missing):
        users[u.email] = u
    links = [
        Guardianship(student=by_opp[r.oppijanumero], guardian=users[e])
        for r in rows
        for e in r.guardian_emails
    ]
    # The links this import adds (not those it found) get one audit event each.
    last = Guardianship.objects.aggregate(last=Max("pk"))["last"] or 0
    Guardianship.objects.bulk_create(links, ignore_conflicts=True)
    audit.record_many(
        audit.Kind.GUARDIANSHIP_ADDED,
        Guardianship.objects.filter(pk__gt=last).order_by("pk"),
        by=by,
        provider_id=provider_id,
        after=lambda link: audit.state(link, "student", "guardian"),
        student_of=lambda link: link.student_id,
        source=audit.Source.IMPORT,
    )


def _import_progress(
    run: ImportRun, report: parsing.Report, today: date, progress: Progress | None, scan: FileScan
) -> int:
    students = _student_ids(run.institution_id)
    with _open(run) as f:
        rows = parsing.parse_progress(f, students=students, today=today, report=report)
    if report.fatal:
        return 0
    _save(run, phase="writing")
    with transaction.atomic():
        StudyProgress.objects.bulk_create(
            [
                StudyProgress(
                    student_id=r.student_id,
                    as_of=r.as_of,
                    credits_planned=r.planned,
                    credits_done=r.done,
                )
                for r in rows
            ],
            update_conflicts=True,
            unique_fields=["student", "as_of"],
            update_fields=["credits_planned", "credits_done"],
        )
    return len(rows)
