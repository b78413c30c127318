"""Writing a roster (students, groups, study-right events, guardians) and study
progress; each in one transaction, after the whole file has been checked."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Lower

from opiskeluhuolto import audit
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.organisation.actions import guardianship_state
from opiskeluhuolto.organisation.models import (
    Campus,
    Guardianship,
    Institution,
    Student,
    StudentGroup,
)

from . import parsing, runs
from .models import ImportRun, StudyProgress, StudyRightEvent


def import_roster(
    run: ImportRun,
    report: parsing.Report,
    today: date,
    progress: runs.Progress | None,
    scan: runs.FileScan | None,
) -> int:
    inst = run.institution
    campuses = {c.name: c for c in Campus.objects.filter(institution=inst)}
    with runs.open_file(run) as f:
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
    runs.save_run(run, phase="writing")
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
    """The guardians each row lists become the student's guardians: links are added, and a
    student's links to guardians her row no longer lists are removed (a change of custody
    must end access to a minor's welfare data, L-18-1; docs/dpia.md R2). A row with no
    guardians changes nothing: an export without them says nothing about custody. Every
    added and removed link is audited."""
    emails = {e for r in rows for e in r.guardian_emails}
    if not emails:
        return
    # Matched whatever the case of the account's address (the file's are lower-cased): an
    # account "Aiti@Example.fi" is the guardian "aiti@example.fi", not a new person whose
    # link would replace hers. Of two such accounts, the older.
    users: dict[str, User] = {}
    for found in (
        User.objects.annotate(address=Lower("email")).filter(address__in=emails).order_by("-pk")
    ):
        users[found.address] = found
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
        after=guardianship_state,
        student_of=lambda link: link.student_id,
        source=audit.Source.IMPORT,
    )
    listed = {(by_opp[r.oppijanumero].pk, users[e].pk) for r in rows for e in r.guardian_emails}
    former = [
        link
        for link in Guardianship.objects.filter(
            student_id__in={student for student, _guardian in listed}
        ).order_by("pk")
        if (link.student_id, link.guardian_id) not in listed
    ]
    audit.record_many(
        audit.Kind.GUARDIANSHIP_REMOVED,
        former,
        by=by,
        provider_id=provider_id,
        before=guardianship_state,
        student_of=lambda link: link.student_id,
        source=audit.Source.IMPORT,
    )
    Guardianship.objects.filter(pk__in=[link.pk for link in former]).delete()


def import_progress(
    run: ImportRun,
    report: parsing.Report,
    today: date,
    progress: runs.Progress | None,
    scan: runs.FileScan | None,
) -> int:
    students = runs.student_ids(run.institution_id)
    with runs.open_file(run) as f:
        rows = parsing.parse_progress(f, students=students, today=today, report=report)
    if report.fatal:
        return 0
    runs.save_run(run, phase="writing")
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
