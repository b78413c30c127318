"""Pages of the safety records: drills and safety walks, their corrective actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.lib.forms import apply_errors

from . import safety
from .forms import CorrectiveActionForm, SafetyRecordForm
from .models import CorrectiveAction, SafetyRecord


@policies.school_staff
def index(request):
    can = for_user(request.user)
    records = (
        can.safety_records_scope()
        .select_related("campus", "clock_item")
        .prefetch_related("actions")
        .order_by("-held_on")[:100]
    )
    today = timezone.localdate()
    rows = [(r, [a for a in r.actions.all() if a.is_overdue(today)]) for r in records]
    return render(
        request,
        "procedures/safety_index.html",
        {"rows": rows, "can_record": can.safety_campuses().exists()},
    )


@policies.school_staff
def new_record(request):
    """Record a held drill or safety walk; its corrective actions are added on the next page."""
    can = for_user(request.user)
    campuses = {c.pk: c for c in can.safety_campuses()}
    if not campuses:
        raise Http404
    provider_ids = {c.institution.provider_id for c in campuses.values()}
    items = [i for p in provider_ids for i in safety.drill_items(p)]
    form = SafetyRecordForm(
        # Bound on every POST: even an empty one is refused field by field.
        request.POST if request.method == "POST" else None,
        campuses=[(pk, f"{c.institution} · {c}") for pk, c in campuses.items()],
        clock_items=[(i.pk, i.title) for i in items],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = next((i for i in items if i.pk == data["clock_item"]), None)
        try:
            obj = safety.record_safety(
                campus=campuses[data["campus"]],
                kind=data["kind"],
                held_on=data["held_on"],
                by=request.user,
                duration_minutes=data["duration_minutes"],
                groups=data["groups"],
                findings=data["findings"],
                clock_item=item,
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The record is saved. Add its corrective actions."))
            return redirect("procedures:safety_actions", pk=obj.pk)
    return render(request, "procedures/safety_form.html", {"form": form})


@policies.school_staff
def record_actions(request, pk: int):
    """Add corrective actions to a record: what, the owner, the due date."""
    obj = get_object_or_404(SafetyRecord.objects.select_related("campus__institution"), pk=pk)
    can = for_user(request.user)
    if not can.view_safety_record(obj) or not can.manage_safety_record(obj):
        raise Http404
    owners = {u.pk: u for u in safety.campus_staff(obj.campus)}
    form = CorrectiveActionForm(
        request.POST or None, owners=[(pk, u.display_name) for pk, u in owners.items()]
    )
    if request.method == "POST" and form.is_valid():
        try:
            safety.add_corrective_action(
                obj,
                description=form.cleaned_data["description"],
                owner=owners.get(form.cleaned_data["owner"]),
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The corrective action is added."))
            return redirect("procedures:safety_actions", pk=obj.pk)
    return render(
        request,
        "procedures/safety_actions.html",
        {"record": obj, "form": form, "existing": obj.actions.select_related("owner")},
    )


@policies.school_staff
def record(request, pk: int):
    obj = get_object_or_404(
        SafetyRecord.objects.select_related("campus__institution", "clock_item", "recorded_by"),
        pk=pk,
    )
    can = for_user(request.user)
    if not can.view_safety_record(obj):
        raise Http404
    today = timezone.localdate()
    rows = [
        (a, a.is_overdue(today), a.done_on is None and can.mark_corrective_action(a))
        for a in obj.actions.select_related("owner")
    ]
    return render(
        request,
        "procedures/safety_record.html",
        {"record": obj, "rows": rows, "manage": can.manage_safety_record(obj)},
    )


@require_POST
@policies.school_staff
def action_done(request, pk: int):
    action = get_object_or_404(
        CorrectiveAction.objects.select_related("record__campus__institution"), pk=pk
    )
    can = for_user(request.user)
    if not can.view_safety_record(action.record) or not can.mark_corrective_action(action):
        raise Http404
    notes = request.POST.get("notes", "")[:2000]
    safety.mark_done(action, by=request.user, notes=notes)
    messages.success(request, _("The corrective action is marked done."))
    return redirect("procedures:safety_record", pk=action.record_id)
