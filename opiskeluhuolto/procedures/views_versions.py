"""Writing procedures: a new procedure; a version's draft, edit, discard, approve
(publishing is in `views`)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.access.roles import SCHOOL_STAFF_ROLES
from opiskeluhuolto.lib.forms import apply_errors
from opiskeluhuolto.meetings.models import Group
from opiskeluhuolto.organisation.models import Campus, Institution, Provider

from . import actions
from .forms import ProcedureForm, VersionForm, steps_text, translations_initial
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


def _saved(request, form: VersionForm, write, target) -> bool:
    """A posted version form written by `write` (a new draft or an edited one): True when
    saved; otherwise the action's errors are on the form's fields."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        write(
            target,
            steps=form.cleaned_steps(),
            review_on=form.cleaned_data["review_on"],
            summary=form.cleaned_data["summary"],
            change_note=form.cleaned_data["change_note"],
            translations=form.cleaned_translations(),
            by=request.user,
        )
    except ValidationError as e:
        apply_errors(form, e)
        return False
    messages.success(request, _("The draft is saved. It is published after approval."))
    return True


@policies.school_staff
def new_version(request, pk: int):
    procedure = _managed_procedure(request.user, pk)
    draft = actions.draft_of(procedure)
    if draft is not None:
        messages.info(request, _("A draft is already being written: edit it or discard it."))
        return redirect("procedures:version_edit", pk=draft.pk)
    base = procedure.current()
    initial = (
        {
            "summary": base.summary,
            "steps": steps_text(base.steps),
            "review_on": base.review_on,
            # Shown for the writer to update with the Finnish text; saved only as posted.
            **translations_initial(base.translations),
        }
        if base
        else {}
    )
    form = VersionForm(
        request.POST or None, initial=initial, first=actions.is_first_version(None, procedure)
    )
    if _saved(request, form, actions.add_version, procedure):
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
        **translations_initial(version.translations),
    }
    form = VersionForm(
        request.POST or None, initial=initial, first=actions.is_first_version(version)
    )
    if _saved(request, form, actions.edit_draft, version):
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


def _units_and_groups(can):
    """The units of this person's school-staff roles (a provider-wide role: the provider
    and its institutions; an institution role: it and its campuses) and the welfare groups
    of those providers, as form choices. Whether they may write for one is checked on save."""
    grants = [g for g in can.grants if g.role in SCHOOL_STAFF_ROLES]
    provider_ids = {g.provider_id for g in grants}
    wide = {g.provider_id for g in grants if g.institution_id is None}
    institution_ids = {g.institution_id for g in grants if g.institution_id and not g.campus_id}
    campus_ids = {g.campus_id for g in grants if g.campus_id}
    units = [(f"p{p.pk}", str(p)) for p in Provider.objects.filter(pk__in=wide)]
    institutions = Institution.objects.filter(Q(provider_id__in=wide) | Q(pk__in=institution_ids))
    units += [(f"i{i.pk}", str(i)) for i in institutions.order_by("name")]
    campuses = Campus.objects.filter(
        Q(institution_id__in=institution_ids) | Q(pk__in=campus_ids)
    ).select_related("institution")
    units += [(f"c{c.pk}", f"{c.institution} · {c}") for c in campuses.order_by("name")]
    groups = Group.objects.filter(provider_id__in=provider_ids).order_by("name")
    return units, [(g.pk, str(g)) for g in groups]


def _unit(value: str):
    """(provider, institution, campus) of a unit choice."""
    kind, pk = value[0], int(value[1:])
    if kind == "c":
        campus = Campus.objects.select_related("institution__provider").get(pk=pk)
        return campus.institution.provider, campus.institution, campus
    if kind == "i":
        institution = Institution.objects.select_related("provider").get(pk=pk)
        return institution.provider, institution, None
    return Provider.objects.get(pk=pk), None, None


@policies.school_staff
def new_procedure(request):
    can = for_user(request.user)
    units, groups = _units_and_groups(can)
    form = ProcedureForm(
        request.POST or None,
        units=units,
        groups=groups,
        initial={"review_on": timezone.localdate() + timedelta(days=365)},
    )
    if request.method == "POST" and form.is_valid():
        provider, institution, campus = _unit(form.cleaned_data["unit"])
        group = Group.objects.get(pk=form.cleaned_data["owner_group"])
        if not can.create_procedure(
            provider.pk, getattr(institution, "pk", None), getattr(campus, "pk", None), group
        ):
            form.add_error(
                None,
                _(
                    "Procedures of this unit are written by its principal and the staff"
                    " members of the owner group."
                ),
            )
        else:
            try:
                procedure = actions.create_procedure(
                    provider=provider,
                    institution=institution,
                    campus=campus,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    owner_group=group,
                    audience=form.cleaned_data["audience"],
                    steps=form.cleaned_steps(),
                    review_on=form.cleaned_data["review_on"],
                    summary=form.cleaned_data["summary"],
                    translations=form.cleaned_translations(),
                    by=request.user,
                )
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("The draft is saved. It is published after approval."))
                return redirect("procedures:detail", pk=procedure.pk)
    return render(request, "procedures/procedure_form.html", {"form": form})
