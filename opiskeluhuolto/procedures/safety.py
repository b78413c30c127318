"""What changes and reads safety records: drills and safety walks of a campus, their
corrective actions and who is told when one is overdue. Plain functions the views, API,
commands and tests call; the procedures themselves are in `actions`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opiskeluhuolto.annualclock.models import ClockItem
from opiskeluhuolto.meetings import inbox
from opiskeluhuolto.meetings.models import Group
from opiskeluhuolto.organisation.models import RoleAssignment

from .models import (
    CorrectiveAction,
    SafetyRecord,
)

# --- safety records ------------------------------------------------------------------
#: What a drill or safety walk cannot be recorded without, and what is said if it is missing
#: (the form marks these fields required with the same messages).
SAFETY_REQUIRED = {
    "kind": gettext_lazy(
        "Choose whether it was a lockdown drill, an evacuation drill or a safety walk."
    ),
    "campus": gettext_lazy("Choose the campus where it was held."),
    "held_on": gettext_lazy("Say on which day it was held."),
}


@transaction.atomic
def record_safety(
    *,
    campus,
    kind: str,
    held_on: date | None,
    by,
    duration_minutes: int = 0,
    groups: str = "",
    findings: str = "",
    clock_item=None,
    actions: list[dict] | None = None,
) -> SafetyRecord:
    """A held drill or safety walk, with its corrective actions (owner, due date) at once.
    A record needs its kind, campus and date (`SAFETY_REQUIRED`)."""
    errors: dict[str, Any] = {}
    if kind not in SafetyRecord.Kind.values:
        errors["kind"] = SAFETY_REQUIRED["kind"]
    if campus is None:
        errors["campus"] = SAFETY_REQUIRED["campus"]
    if held_on is None:
        errors["held_on"] = SAFETY_REQUIRED["held_on"]
    elif held_on > timezone.localdate():
        errors["held_on"] = _("A drill is recorded after it was held.")
    if clock_item is not None and clock_item.type != "drill":
        errors["clock_item"] = _("Only a drill item of the annual clock can be fulfilled.")
    for i, a in enumerate(actions or []):
        if not str(a.get("description", "")).strip() or a.get("owner") is None:
            errors[f"actions.{i}"] = _("A corrective action needs what is done and an owner.")
        elif a.get("due_on") is None or (held_on is not None and a["due_on"] < held_on):
            errors[f"actions.{i}"] = _("A corrective action needs a due date after the drill.")
    if errors or held_on is None:
        raise ValidationError(errors)
    record = SafetyRecord.objects.create(
        campus=campus,
        kind=kind,
        held_on=held_on,
        duration_minutes=duration_minutes,
        groups=groups.strip(),
        findings=findings.strip(),
        clock_item=clock_item,
        recorded_by=by,
    )
    for a in actions or []:
        CorrectiveAction.objects.create(
            record=record,
            description=a["description"].strip(),
            owner=a["owner"],
            due_on=a["due_on"],
        )
    return record


def add_corrective_action(record: SafetyRecord, *, description: str, owner, due_on: date):
    """A corrective action found later (or forgotten): what, who, by when (not before the drill)."""
    errors = {}
    if not description.strip():
        errors["description"] = _("A corrective action needs what is done and an owner.")
    if owner is None:
        errors["owner"] = _("A corrective action needs what is done and an owner.")
    if due_on is None or due_on < record.held_on:
        errors["due_on"] = _("A corrective action needs a due date after the drill.")
    if errors:
        raise ValidationError(errors)
    return CorrectiveAction.objects.create(
        record=record, description=description.strip(), owner=owner, due_on=due_on
    )


def campus_staff(campus) -> QuerySet:
    """The staff whose roles reach a campus: the owners a corrective action may have."""
    assignments = RoleAssignment.objects.valid_on(timezone.localdate()).filter(
        Q(provider_id=campus.institution.provider_id, institution__isnull=True)
        | Q(institution_id=campus.institution_id, campus__isnull=True)
        | Q(campus_id=campus.pk)
    )
    return (
        get_user_model()
        .objects.filter(pk__in=assignments.values("user_id"))
        .order_by("last_name", "first_name")
    )


def drill_items(provider_id: int) -> QuerySet:
    """The annual clocks' drill items of the provider a record may fulfil."""
    return ClockItem.objects.filter(
        type=ClockItem.Type.DRILL, clock__provider_id=provider_id
    ).order_by("title")


def mark_done(action: CorrectiveAction, *, by, on: date | None = None, notes: str = ""):
    action.done_on = on or timezone.localdate()
    if notes.strip():
        action.follow_up = (action.follow_up + "\n" + notes.strip()).strip()
    action.save(update_fields=["done_on", "follow_up"])
    return action


def overdue_actions(campus_ids, today: date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return CorrectiveAction.objects.filter(
        record__campus_id__in=campus_ids, done_on__isnull=True, due_on__lt=today
    ).select_related("record", "owner")


def drills_for_clock_item(item_id: int) -> QuerySet:
    """The drill records that fulfilled a clock item (the clock shows which were held)."""
    return SafetyRecord.objects.filter(clock_item_id=item_id).order_by("held_on")


def campuses_watching(user) -> set[int]:
    """The campuses whose safety this person follows: those of the campus-level groups
    (the campus welfare group, the campus safety group) they belong to or chair."""
    groups = Group.objects.filter(campus__isnull=False).filter(
        Q(memberships__user=user) | Q(chair=user)
    )
    return set(groups.values_list("campus_id", flat=True))


def overdue_actions_for(user, today: date | None = None) -> QuerySet:
    """Overdue corrective actions shown to the campus's groups' members and to the owner."""
    today = today or timezone.localdate()
    return (
        CorrectiveAction.objects.filter(done_on__isnull=True, due_on__lt=today)
        .filter(Q(record__campus_id__in=campuses_watching(user)) | Q(owner=user))
        .select_related("record__campus", "owner")
        .order_by("due_on", "pk")
    )


def propose_overdue_actions(today: date | None = None) -> int:
    """Put each campus's overdue corrective actions on its campus-level groups' next agenda
    (once per campus and day's set; updated while the proposal waits)."""
    today = today or timezone.localdate()
    overdue = CorrectiveAction.objects.filter(done_on__isnull=True, due_on__lt=today)
    by_campus: dict[int, list[CorrectiveAction]] = {}
    for a in overdue.select_related("record").order_by("due_on", "pk"):
        by_campus.setdefault(a.record.campus_id, []).append(a)
    sent = 0
    for campus_id, rows in by_campus.items():
        detail = "; ".join(f"{a.description} ({a.due_on:%d.%m.%Y})" for a in rows)
        for group in Group.objects.filter(campus_id=campus_id):
            inbox.propose(
                group,
                _("Overdue corrective actions of drills and safety walks: %(n)s")
                % {"n": len(rows)},
                detail=detail,
                origin="procedures",
                link=reverse("procedures:safety"),
                key=f"procedures:overdue:{campus_id}",
            )
            sent += 1
    return sent
