"""JSON API of knowledge-based management: dashboard aggregates and care-conversation tasks."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from ninja import Router, Schema

from opiskeluhuolto.access.api import api_policy
from opiskeluhuolto.access.insights import care_tasks_visible_to, get_care_task, get_dashboard_scope

from . import queries

router = Router(tags=["insights"])


class TrendOut(Schema):
    month: date
    unit: str
    students: int | None
    lessons: int | None
    absent_pct: float | None
    unexplained_pct: float | None
    hidden: bool


class StepOut(Schema):
    rule: str
    kind: str
    threshold: int
    action: str
    students: int | None
    resolved: int | None
    hidden: bool


class TaskOut(Schema):
    id: int
    student_id: int
    student_name: str
    rule: str
    threshold: int
    action: str
    value: int
    status: str
    triggered_on: date
    conversation_on: date | None


def _scope(request, period: str):
    scope = get_dashboard_scope(request.user)
    start, end = queries.period(timezone.localdate(), period)
    return scope, start, end


@router.get(
    "/trend",
    response=list[TrendOut],
    auth=api_policy("staff"),
    url_name="insights-trend",
)
def trend(request, period: str = "current", institution_id: int | None = None):
    """Absence share per month and campus in the caller's units; small cells hidden."""
    scope, start, end = _scope(request, period)
    return queries.trend_by_campus(scope, start, end, institution_id)


@router.get(
    "/warnings",
    response=list[StepOut],
    auth=api_policy("staff"),
    url_name="insights-warnings",
)
def warnings(request, period: str = "current", institution_id: int | None = None):
    """Students who reached each early-warning step; small cells hidden."""
    scope, start, end = _scope(request, period)
    return queries.warning_steps(scope, start, end, institution_id)


def _task(t) -> dict:
    return {
        "id": t.pk,
        "student_id": t.student_id,
        "student_name": t.student.full_name,
        "rule": t.step.rule.name,
        "threshold": t.step.threshold,
        "action": t.step.action,
        "value": t.value,
        "status": t.status,
        "triggered_on": t.triggered_on,
        "conversation_on": t.conversation_on,
    }


@router.get("/tasks", response=list[TaskOut], auth=api_policy("staff"), url_name="insights-tasks")
def tasks(request):
    """The caller's care-conversation tasks (students of the groups they supervise)."""
    rows = care_tasks_visible_to(request.user).select_related("student", "step", "step__rule")
    return [_task(t) for t in rows.order_by("status", "-triggered_on", "pk")[:500]]


@router.get(
    "/tasks/{task_id}", response=TaskOut, auth=api_policy("staff"), url_name="insights-task"
)
def task(request, task_id: int):
    return _task(get_care_task(request.user, task_id))
