"""Views of the welfare plan and of goals and indicators."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiskeluhuolto.access import communal, for_user, policies
from opiskeluhuolto.lib.forms import apply_errors
from opiskeluhuolto.organisation.models import Institution

from . import goals, plans, section_links
from .forms import (
    ApproveForm,
    CommentForm,
    DataPointForm,
    EvaluationForm,
    ImportForm,
    IndicatorForm,
    NewSectionForm,
    ParticipationForm,
    PlanForm,
    SectionForm,
)
from .models import Group, ServiceAnnouncement
from .views import admin_provider
from .views_regional import regional_context


@policies.staff
@require_GET
def plan_list(request):
    rows = communal.plans_visible_to(request.user).prefetch_related("institutions", "versions")
    context = {
        "plans": rows,
        "today": timezone.localdate(),
        "can_create": for_user(request.user).is_provider_admin(),
    }
    return render(request, "meetings/plans.html", context)


@policies.provider_admin
@require_http_methods(["GET", "POST"])
def plan_new(request):
    """A plan for one institution or shared by several, with the statutory sections."""
    provider = admin_provider(request.user)
    form = PlanForm(request.POST or None, provider_id=provider.pk)
    if request.method == "POST" and form.is_valid():
        try:
            made = plans.create_plan(
                by=request.user,
                provider=provider,
                title=form.cleaned_data["title"],
                institutions=list(form.cleaned_data["institutions"]),
                extra_sections=form.cleaned_data["extra_sections"],
                review_interval_months=form.cleaned_data["review_interval_months"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The plan was created as a draft."))
            return redirect("meetings:plan_version", pk=made.versions.get().pk)
    return render(request, "meetings/plan_form.html", {"form": form})


@policies.staff
@require_GET
def plan(request, pk):
    obj = communal.get_plan(request.user, pk)
    can = for_user(request.user)
    versions = [v for v in obj.versions.all() if can.view_plan_version(v)]
    today = timezone.localdate()
    institutions = list(obj.institutions.all())
    year = plans.school_year_name(today)
    announced = set(
        ServiceAnnouncement.objects.filter(
            institution__in=institutions, school_year=year
        ).values_list("institution_id", flat=True)
    )
    context = {
        "plan": obj,
        "versions": versions,
        "published": next((v for v in versions if v.status == "published"), None),
        "draft": next((v for v in versions if v.is_editable), None),
        "can_manage": can.manage_plan(obj),
        "review_due": obj.review_due(today),
        "institutions": [(i, i.pk in announced) for i in institutions],
        "school_year": year,
        "evaluations": obj.evaluations.select_related("author"),
        "evaluation_form": EvaluationForm(initial={"written_on": today}),
    }
    return render(request, "meetings/plan.html", context)


@policies.staff
@require_POST
def plan_evaluate(request, pk):
    obj = communal.get_plan(request.user, pk, need="manage")
    form = EvaluationForm(request.POST)
    if form.is_valid():
        plans.evaluate(obj, by=request.user, **form.cleaned_data)
        messages.success(request, _("Evaluation saved."))
    else:
        messages.error(request, _("Write the evaluation and its date."))
    return redirect("meetings:plan", pk=obj.pk)


@policies.authenticated
@require_GET
def plan_version(request, pk):
    version = communal.get_plan_version(request.user, pk)
    can = for_user(request.user)
    plan = version.plan
    context = {
        "version": version,
        "plan": plan,
        "sections": section_links.attach(
            version.sections.all(),
            plan.institutions.all(),
            plan=plan if plan.is_regional else None,
        ),
        "comments": version.comments.select_related("author", "section"),
        "participation": version.participation.all(),
        "summary": plans.participation_summary(version),
        "can_manage": can.manage_plan(version.plan),
        "can_comment": can.comment_plan(version),
        "comment_form": CommentForm(),
        "participation_form": ParticipationForm(initial={"on": timezone.localdate()}),
        "approve_form": ApproveForm(initial={"approved_on": timezone.localdate()}),
        "section_form": NewSectionForm(),
        **regional_context(version, can_manage=can.manage_plan(plan)),
    }
    return render(request, "meetings/plan_version.html", context)


@policies.staff
@require_http_methods(["GET", "POST"])
def plan_section_edit(request, pk):
    section = communal.get_plan_section(request.user, pk)
    version = section.version
    if not version.is_editable:
        messages.error(request, _("This version is approved. Start a new draft to edit the plan."))
        return redirect("meetings:plan", pk=version.plan_id)
    form = SectionForm(request.POST or None, initial={"body": section.body, "lock": version.lock})
    if request.method == "POST" and form.is_valid():
        try:
            plans.edit_section(section, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Section saved."))
            return redirect("meetings:plan_version", pk=version.pk)
    return render(request, "meetings/plan_section.html", {"section": section, "form": form})


@policies.staff
@require_POST
def plan_section_add(request, pk):
    version = communal.get_plan_version(request.user, pk, need="manage")
    form = NewSectionForm(request.POST)
    if form.is_valid():
        try:
            plans.add_section(version, by=request.user, title=form.cleaned_data["title"])
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Section added."))
    return redirect("meetings:plan_version", pk=version.pk)


@policies.staff
@require_POST
def plan_draft(request, pk):
    obj = communal.get_plan(request.user, pk, need="manage")
    version = plans.new_draft(obj, by=request.user)
    messages.success(request, _("A new draft; the published plan stays as it is until approval."))
    return redirect("meetings:plan_version", pk=version.pk)


@policies.staff
@require_POST
def plan_open_comments(request, pk):
    version = communal.get_plan_version(request.user, pk, need="manage")
    try:
        plans.open_for_comments(version, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request, _("The draft is open for comments from staff, students and guardians.")
        )
    return redirect("meetings:plan_version", pk=version.pk)


@policies.authenticated
@require_POST
def plan_comment(request, pk):
    version = communal.get_plan_version(request.user, pk, need="comment")
    form = CommentForm(request.POST)
    participant = for_user(request.user).plan_participant(version.plan)
    if form.is_valid():
        plans.comment(
            version, by=request.user, participant=participant, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Thank you, your comment was saved."))
    else:
        messages.error(request, _("Write a comment."))
    return redirect("meetings:plan_version", pk=version.pk)


@policies.staff
@require_POST
def plan_participation(request, pk):
    version = communal.get_plan_version(request.user, pk, need="manage")
    form = ParticipationForm(request.POST)
    if form.is_valid():
        plans.record_participation(version, by=request.user, **form.cleaned_data)
        messages.success(request, _("Participation recorded."))
    else:
        messages.error(request, _("Give who took part, how and when."))
    return redirect("meetings:plan_version", pk=version.pk)


@policies.staff
@require_POST
def plan_approve(request, pk):
    version = communal.get_plan_version(request.user, pk, need="manage")
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date of approval and the body that approved it."))
        return redirect("meetings:plan_version", pk=version.pk)
    try:
        plans.approve_and_publish(version, by=request.user, **form.cleaned_data)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("meetings:plan_version", pk=version.pk)
    messages.success(request, _("The plan is approved and published on the public page."))
    return redirect("meetings:plan", pk=version.plan_id)


@policies.authenticated
@require_GET
def plan_diff(request, pk):
    version = communal.get_plan_version(request.user, pk)
    previous = version.plan.versions.filter(number__lt=version.number).order_by("-number").first()
    if previous is None:
        raise Http404
    context = {
        "version": version,
        "previous": previous,
        "plan": version.plan,
        "changes": plans.diff_table(previous, version),
    }
    return render(request, "meetings/plan_diff.html", context)


@policies.public("the approved welfare plan is public to students and guardians (LAW.md L-13-3)")
@require_GET
def plan_public(request, institution_pk):
    institution = Institution.objects.filter(pk=institution_pk).first()
    version = plans.published_version(institution) if institution else None
    return _public_page(request, version, owner=institution, institutions=[institution])


@policies.public("the county's approved regional welfare plan is public like a provider's (§13a)")
@require_GET
def regional_plan_public(request, group_pk):
    group = Group.objects.filter(pk=group_pk, kind=Group.Kind.REGIONAL).first()
    version = plans.published_version(group=group) if group else None
    return _public_page(request, version, owner=group, institutions=[])


def _public_page(request, version, *, owner, institutions):
    """The public page of a published plan (L-13-3): its sections with the links shown
    without signing in, and for a regional plan what it is built on. One page for the
    institution's plan and the county's."""
    if version is None:
        raise Http404
    context = {
        "owner": owner,
        "version": version,
        "plan": version.plan,
        "sections": section_links.attach(version.sections.all(), institutions, public=True),
        **regional_context(version, can_manage=False),
    }
    return render(request, "meetings/plan_public.html", context)


@policies.staff
@require_POST
def plan_announce(request, institution_pk):
    institution = communal.get_institution_to_announce(request.user, institution_pk)
    try:
        sent = plans.announce_services(
            institution,
            by=request.user,
            today=timezone.localdate(),
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request,
            _("The welfare services were announced to %(n)s students and guardians.")
            % {"n": sent.recipients},
        )
    back = request.POST.get("plan")
    if back and back.isdigit():
        return redirect("meetings:plan", pk=int(back))
    return redirect("meetings:plans")


# --- goals and indicators ---------------------------------------------------------


@policies.staff
@require_GET
def indicators(request):
    rows = communal.indicators_visible_to(request.user).prefetch_related("points")
    can = for_user(request.user)
    return render(
        request,
        "meetings/indicators.html",
        {"indicators": rows, "can_import": bool(can.admin_provider_ids())},
    )


@policies.provider_admin
@require_http_methods(["GET", "POST"])
def indicator_new(request):
    provider = admin_provider(request.user)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = goals.create_indicator(provider, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Indicator created."))
            return redirect("meetings:indicator", pk=made.pk)
    return render(request, "meetings/indicator_form.html", {"form": form})


@policies.staff
@require_GET
def indicator(request, pk):
    obj = communal.get_indicator(request.user, pk)
    points = list(obj.points.select_related("institution", "campus").order_by("year"))
    context = {
        "indicator": obj,
        "rows": [(p, obj.meets(p.value)) for p in points],
        "chart": goals.chart(obj, points),
        "can_manage": for_user(request.user).manage_indicators(obj.provider_id),
        "form": DataPointForm(provider_id=obj.provider_id),
    }
    return render(request, "meetings/indicator.html", context)


@policies.provider_admin
@require_POST
def indicator_data(request, pk):
    obj = communal.get_indicator(request.user, pk)
    if not for_user(request.user).manage_indicators(obj.provider_id):
        raise Http404
    form = DataPointForm(request.POST, provider_id=obj.provider_id)
    if form.is_valid():
        try:
            goals.set_data_point(obj, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Data point saved."))
    else:
        messages.error(request, _("Check the unit, year and value."))
    return redirect("meetings:indicator", pk=obj.pk)


@policies.provider_admin
@require_http_methods(["GET", "POST"])
def indicators_import(request):
    """Import aggregates as CSV: all rows or none, errors with their line numbers."""
    provider = admin_provider(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = goals.import_csv(provider, form.cleaned_data["file"].read(), by=request.user)
        if not result.errors:
            messages.success(request, _("%(n)s data points imported.") % {"n": result.written})
            return redirect("meetings:indicators")
    context = {"form": form, "result": result, "provider": provider, "columns": goals.CSV_COLUMNS}
    return render(request, "meetings/indicators_import.html", context)
