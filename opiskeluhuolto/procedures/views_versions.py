"""Writing procedure versions: draft, edit, discard, approve (publishing is in `views`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.lib.forms import apply_errors

from . import actions
from .forms import VersionForm, steps_text
from .models import Procedure, ProcedureVersion


def _managed_procedure(user, pk) -> Procedure:
    procedure = get_object_or_404(Procedure.objects.select_related("owner_group"), pk=pk)
    if not for_user(user).manage_procedure(procedure):
        raise Http404
    return procedure


def _managed_draft(user, pk) -> ProcedureVersion:
    version = get_object_or_404(
        ProcedureVersion.objects.select_related("procedure__owner_group"), pk=pk
    )
    if not for_user(user).manage_procedure(version.procedure):
        raise Http404
    return version


@policies.school_staff
def new_version(request, pk: int):
    procedure = _managed_procedure(request.user, pk)
    draft = actions.draft_of(procedure)
    if draft is not None:
        messages.info(request, _("A draft is already being written: edit it or discard it."))
        return redirect("procedures:version_edit", pk=draft.pk)
    base = procedure.current()
    initial = (
        {"summary": base.summary, "steps": steps_text(base.steps), "review_on": base.review_on}
        if base
        else {}
    )
    form = VersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_version(
                procedure,
                steps=form.cleaned_steps(),
                review_on=form.cleaned_data["review_on"],
                summary=form.cleaned_data["summary"],
                change_note=form.cleaned_data["change_note"],
                translations=base.translations if base else None,
                by=request.user,
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The draft is saved. It is published after approval."))
            return redirect("procedures:detail", pk=procedure.pk)
    return render(request, "procedures/version_form.html", {"procedure": procedure, "form": form})


@policies.school_staff
def edit_version(request, pk: int):
    version = _managed_draft(request.user, pk)
    if not version.is_draft:
        messages.error(request, _("A published version cannot be changed; draft a new one."))
        return redirect("procedures:detail", pk=version.procedure_id)
    initial = {
        "summary": version.summary,
        "steps": steps_text(version.steps),
        "change_note": version.change_note,
        "review_on": version.review_on,
    }
    form = VersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_draft(
                version,
                steps=form.cleaned_steps(),
                review_on=form.cleaned_data["review_on"],
                summary=form.cleaned_data["summary"],
                change_note=form.cleaned_data["change_note"],
                by=request.user,
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The draft is saved. It is published after approval."))
            return redirect("procedures:detail", pk=version.procedure_id)
    return render(
        request,
        "procedures/version_form.html",
        {"procedure": version.procedure, "form": form, "version": version},
    )


@require_POST
@policies.school_staff
def discard_version(request, pk: int):
    version = _managed_draft(request.user, pk)
    try:
        actions.discard_draft(version)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The draft is discarded."))
    return redirect("procedures:detail", pk=version.procedure_id)


@require_POST
@policies.school_staff
def approve_version(request, pk: int):
    version = _managed_draft(request.user, pk)
    try:
        actions.approve(version, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The version is approved: it can be published."))
    return redirect("procedures:detail", pk=version.procedure_id)
