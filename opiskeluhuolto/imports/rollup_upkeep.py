"""The dashboards' rollups stay equal to the weekly summaries when a student, campus or
group is deleted (issue 21).

Deleting a student cascades to its weekly summaries, and deleting a campus or group sets
theirs to null; the rollups of the months those rows were in are then rewritten in the
same transaction (`pre_delete` notes the months, `post_delete` refreshes them, after
Django's collector has deleted or updated the rows). A bulk delete of many students
refreshes per student: correct, and slow only for a rare operation.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, pre_delete

from opiskeluhuolto.organisation.models import Campus, Student, StudentGroup

from . import store
from .models import WeeklyAbsence

FIELD = {Student: "student_id", Campus: "campus_id", StudentGroup: "group_id"}
NOTED = "_absence_rollup_months"


def _note_months(sender, instance, **kwargs) -> None:
    weeks = (
        WeeklyAbsence.objects.filter(**{FIELD[sender]: instance.pk})
        .values_list("institution_id", "week")
        .distinct()
    )
    months: dict[int, set] = {}
    for institution_id, week in weeks:
        months.setdefault(institution_id, set()).add(store.month_start(week))
    setattr(instance, NOTED, months)


def _refresh(sender, instance, **kwargs) -> None:
    for institution_id, months in getattr(instance, NOTED, {}).items():
        store.refresh_rollups(institution_id, months)


def connect() -> None:
    for model in FIELD:
        uid = f"imports-rollups-{model.__name__}"
        pre_delete.connect(_note_months, sender=model, dispatch_uid=uid)
        post_delete.connect(_refresh, sender=model, dispatch_uid=uid)
