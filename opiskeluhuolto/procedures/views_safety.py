"""Pages of the safety records: drills and safety walks, their corrective actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opiskeluhuolto.access import for_user, policies

from . import actions
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
    return render(request, "procedures/safety_index.html", {"rows": rows})


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
    return render(request, "procedures/safety_record.html", {"record": obj, "rows": rows})


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
    actions.mark_done(action, by=request.user, notes=notes)
    messages.success(request, _("The corrective action is marked done."))
    return redirect("procedures:safety_record", pk=action.record_id)
