"""Views of the wellbeing county's regional welfare plan (§13a, issue 20): creating it from
the regional group, and its references to the member providers' plans and the municipal
wellbeing plans. Its versions, sections, comments and publication are the plan's own
views (views_plans.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opiskeluhuolto.access import communal, policies
from opiskeluhuolto.lib.forms import apply_errors

from . import regional_plan
from .forms import ReferenceForm, RegionalPlanForm
from .models import PlanVersion


def regional_context(version: PlanVersion, *, can_manage: bool) -> dict:
    """The references of a regional plan's version and the goals they share."""
    if not version.plan.is_regional:
        return {}
    references = list(version.references.select_related("plan", "plan__provider"))
    for r in references:
        r.link = regional_plan.reference_link(r)  # type: ignore[attr-defined]  # for the template
    context: dict = {
        "regional": True,
        "group": version.plan.group,
        "references": references,
        "shared_goals": regional_plan.shared_goals(references),
    }
    if can_manage and version.is_editable:
        context["reference_form"] = ReferenceForm(plans=regional_plan.member_plans(version.plan))
    return context


@policies.authenticated
@require_http_methods(["GET", "POST"])
def regional_plan_new(request, pk):
    group = communal.get_welfare_group(request.user, pk, need="regional_plan")
    existing = group.regional_plans.first()
    if existing is not None:
        return redirect("meetings:plan", pk=existing.pk)
    form = RegionalPlanForm(request.POST or None, initial={"title": _("Regional welfare plan")})
    if request.method == "POST" and form.is_valid():
        try:
            made = regional_plan.create_regional_plan(group, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The plan was created as a draft."))
            return redirect("meetings:plan_version", pk=made.versions.get().pk)
    return render(request, "meetings/regional_plan_form.html", {"group": group, "form": form})


@policies.authenticated
@require_POST
def plan_reference_add(request, pk):
    version = communal.get_plan_version(request.user, pk, need="manage")
    form = ReferenceForm(request.POST, plans=regional_plan.member_plans(version.plan))
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("meetings:plan_version", pk=version.pk)
    try:
        regional_plan.add_reference(version, by=request.user, **form.cleaned_data)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Reference added."))
    return redirect("meetings:plan_version", pk=version.pk)


@policies.authenticated
@require_POST
def plan_reference_remove(request, pk):
    reference = communal.get_plan_reference(request.user, pk)
    try:
        regional_plan.remove_reference(reference, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Reference removed."))
    return redirect("meetings:plan_version", pk=reference.version_id)
