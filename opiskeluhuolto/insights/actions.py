"""State changes of early warning: opening care-conversation tasks, acknowledging and
resolving them, and notifying guardians of minors. One transaction each, with its
audit row (`TaskEvent`) in the same transaction; e-mail goes out on commit.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.imports.models import WeeklyAbsence
from opiskeluhuolto.organisation.models import Institution, Student

from . import evaluate, rules
from .models import CareTask, GuardianNotice, TaskEvent
from .tasks import send_guardian_notice


@transaction.atomic
def open_care_tasks(institution: Institution, *, today: date) -> list[CareTask]:
    """Open a task for every step reached and not yet opened this school year."""
    hits = evaluate.evaluate_institution(institution, today)
    if not hits:
        return []
    year = rules.school_year_start(today)
    done = set(
        CareTask.objects.filter(
            year_start=year, student_id__in={h.student_id for h in hits}
        ).values_list("student_id", "step_id")
    )
    fresh = [h for h in hits if (h.student_id, h.step_id) not in done]
    supervisors = dict(
        Student.objects.filter(pk__in={h.student_id for h in fresh}).values_list(
            "pk", "group__supervisor_id"
        )
    )
    CareTask.objects.bulk_create(
        [
            CareTask(
                student_id=h.student_id,
                step_id=h.step_id,
                year_start=year,
                assignee_id=supervisors.get(h.student_id),
                value=h.value,
                triggered_on=today,
            )
            for h in fresh
        ],
        ignore_conflicts=True,
    )
    opened = list(
        CareTask.objects.filter(
            year_start=year,
            triggered_on=today,
            events__isnull=True,
            student__institution=institution,
        )
    )
    TaskEvent.objects.bulk_create([TaskEvent(task=t, kind=TaskEvent.Kind.OPENED) for t in opened])
    return opened


#: Notices written per INSERT; reading the pairs is streamed in blocks of the same size.
NOTICE_BATCH = 2000


def guardian_pairs(institution: Institution, *, today: date, weeks: int = 2):
    """(student, guardian, week, unexplained hours, born) for every guardian link of a
    student with unexplained absences in the window: one query joining the weekly
    absences to the guardianships, streamed, so the work is linear in the links
    (students × guardians × weeks), never students × students.
    """
    start = rules.window_start(today, weeks)
    return (
        WeeklyAbsence.objects.filter(
            institution=institution,
            week__gte=start,
            week__lte=today,
            unexplained__gt=0,
            student__status=Student.Status.ACTIVE,
            student__guardianships__isnull=False,
        )
        .values_list(
            "student_id",
            "student__guardianships__guardian_id",
            "week",
            "unexplained",
            "student__date_of_birth",
        )
        .order_by()
    )


@transaction.atomic
def notify_guardians(institution: Institution, *, today: date, weeks: int = 2) -> int:
    """One notice per guardian × student × week with unexplained absences, minors only.

    LAW.md L-ABS-1/L-ABS-2: guardians of minors are told; an adult student's
    guardian never is (the age is checked on the day of the notice). A notice
    already made (student, guardian, week) is not made again.
    """
    batch: list[GuardianNotice] = []
    due = 0
    for sid, gid, week, hours, born in guardian_pairs(
        institution, today=today, weeks=weeks
    ).iterator(chunk_size=NOTICE_BATCH):
        if not rules.notify_guardian(born, today, hours):
            continue
        due += 1
        batch.append(GuardianNotice(student_id=sid, guardian_id=gid, week=week, hours=hours))
        if len(batch) >= NOTICE_BATCH:
            GuardianNotice.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        GuardianNotice.objects.bulk_create(batch, ignore_conflicts=True)
    if not due:
        return 0
    pending = list(
        GuardianNotice.objects.filter(
            sent_at__isnull=True,
            student__institution=institution,
            week__gte=rules.window_start(today, weeks),
        ).values_list("pk", flat=True)
    )
    for pk in pending:
        transaction.on_commit(partial(send_guardian_notice.enqueue, pk))
    return len(pending)


def run_early_warning(institution: Institution, *, today: date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    tasks = open_care_tasks(institution, today=today)
    notices = notify_guardians(institution, today=today)
    return len(tasks), notices


def _check_version(task: CareTask, version: int | None) -> None:
    if version is not None and version != task.version:
        raise ValidationError(
            _("Someone else changed this task while you were editing it. Reload and try again.")
        )


@transaction.atomic
def acknowledge_task(task: CareTask, *, by, version: int | None = None) -> CareTask:
    task = CareTask.objects.select_for_update().get(pk=task.pk)
    _check_version(task, version)
    if task.status != CareTask.Status.OPEN:
        raise ValidationError(_("This task has already been acknowledged."))
    task.status = CareTask.Status.ACKNOWLEDGED
    task.acknowledged_at = timezone.now()
    task.version += 1
    task.save(update_fields=["status", "acknowledged_at", "version"])
    TaskEvent.objects.create(task=task, kind=TaskEvent.Kind.ACKNOWLEDGED, actor=by)
    return task


@transaction.atomic
def resolve_task(
    task: CareTask, *, by, held_on: date, agreed: str, version: int | None = None
) -> CareTask:
    """Record the care conversation. Only what was agreed, not welfare content (L-ABS-6)."""
    task = CareTask.objects.select_for_update().get(pk=task.pk)
    _check_version(task, version)
    if task.status == CareTask.Status.RESOLVED:
        raise ValidationError(_("The conversation has already been recorded."))
    today = timezone.localdate()
    if held_on > today:
        raise ValidationError({"held_on": _("The conversation cannot be in the future.")})
    if held_on < task.triggered_on - timedelta(days=30):
        raise ValidationError({"held_on": _("The conversation must be after the task was opened.")})
    if not agreed.strip():
        raise ValidationError({"agreed": _("Write down briefly what was agreed.")})
    task.status = CareTask.Status.RESOLVED
    task.resolved_at = timezone.now()
    task.resolved_by = by
    task.conversation_on = held_on
    task.agreed = agreed.strip()
    if task.acknowledged_at is None:
        task.acknowledged_at = task.resolved_at
    task.version += 1
    task.save()
    TaskEvent.objects.create(task=task, kind=TaskEvent.Kind.RESOLVED, actor=by)
    return task
