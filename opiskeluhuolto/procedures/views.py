"""Pages of the procedures library: the list, one procedure with its versions, confirming."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opiskeluhuolto.access import for_user, policies

from . import actions
from .models import Procedure, ProcedureVersion


def _procedure(user, pk) -> Procedure:
    procedure = get_object_or_404(Procedure.objects.select_related("owner_group"), pk=pk)
    if not for_user(user).view_procedure(procedure):
        raise Http404
    return procedure


@policies.authenticated
def index(request):
    can = for_user(request.user)
    procedures = (
        can.procedures_scope().select_related("institution", "campus").order_by("kind", "title")
    )
    rows = [(p, p.current()) for p in procedures]
    return render(
        request,
        "procedures/index.html",
        {
            "rows": [r for r in rows if r[1] is not None],
            "to_confirm": actions.to_confirm(request.user),
            "show_safety": can.is_school_staff,
        },
    )


@policies.authenticated
def detail(request, pk: int):
    procedure = _procedure(request.user, pk)
    can = for_user(request.user)
    manage = can.manage_procedure(procedure)
    versions = procedure.versions.select_related("approved_by", "written_by")
    if not manage:
        versions = versions.filter(published_at__isnull=False)
    current = procedure.current()
    confirmed = bool(current and current.confirmations.filter(user=request.user).exists())
    must = bool(current and actions.must_know(procedure).filter(pk=request.user.pk).exists())
    return render(
        request,
        "procedures/detail.html",
        {
            "procedure": procedure,
            "current": current,
            "text": current.localized() if current else None,
            "versions": versions,
            "manage": manage,
            "draft": actions.draft_of(procedure) if manage else None,
            "authored": {v.pk for v in versions if actions.is_author(v, request.user)},
            "must_confirm": must and not confirmed,
            "confirmed": confirmed,
            "not_confirmed": actions.not_confirmed(current) if (manage and current) else [],
        },
    )


def _version(user, pk) -> ProcedureVersion:
    version = get_object_or_404(ProcedureVersion.objects.select_related("procedure"), pk=pk)
    if not for_user(user).view_procedure(version.procedure):
        raise Http404
    return version


@require_POST
@policies.school_staff
def confirm(request, pk: int):
    version = _version(request.user, pk)
    try:
        actions.confirm_read(version, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Thank you: your reading is confirmed."))
    return redirect("procedures:detail", pk=version.procedure_id)


@require_POST
@policies.school_staff
def publish(request, pk: int):
    version = _version(request.user, pk)
    if not for_user(request.user).manage_procedure(version.procedure):
        raise Http404
    try:
        actions.publish(version, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The version is published."))
    return redirect("procedures:detail", pk=version.procedure_id)
