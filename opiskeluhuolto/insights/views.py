"""Dashboards, exports and care-conversation tasks. Thin views; rules live in access/insights.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.access.insights import (
    care_tasks_visible_to,
    get_absence_group,
    get_care_task,
    get_dashboard_scope,
)
from opiskeluhuolto.accounts.reconfirm import second_factor_recently_confirmed
from opiskeluhuolto.lib import csvexport
from opiskeluhuolto.lib.replica import replica_reads

from . import absences, actions, charts, queries
from .forms import DashboardFilter, ResolveTaskForm
from .models import CareTask


def _dashboard_input(request):
    """The person's scope, the filter form and the chosen period; 404 without dashboard rights."""
    scope = get_dashboard_scope(request.user)
    institutions = (
        for_user(request.user)
        .institutions_scope()
        .filter(pk__in=scope.institution_ids | set(_campus_institutions(scope)))
    )
    form = DashboardFilter(request.GET or None, institutions=institutions)
    inst, which = form.selection()
    start, end = queries.period(timezone.localdate(), which)
    return scope, form, inst, start, end


def _campus_institutions(scope):
    from opiskeluhuolto.organisation.models import Campus

    if not scope.campus_ids:
        return []
    return Campus.objects.filter(pk__in=scope.campus_ids).values_list("institution_id", flat=True)


@replica_reads
@policies.staff
@require_GET
def dashboard(request):
    scope, form, inst, start, end = _dashboard_input(request)
    version = queries.data_version()
    context = {
        "form": form,
        "panels": charts.panels_html(
            scope, start, end, inst, version, query=request.GET.urlencode()
        ),
        "classes": queries.by_class(scope, start, end, inst, version=version),
        "start": start,
        "end": end,
        "query": request.GET.urlencode(),
    }
    return render(request, "insights/dashboard.html", context)


def _chart(request):
    key = request.GET.get("chart", "")
    if key not in charts.BUILDERS:
        raise Http404
    scope, _form, inst, start, end = _dashboard_input(request)
    return charts.build(key, scope, start, end, inst)


@replica_reads
@policies.staff
@require_GET
@second_factor_recently_confirmed
def export_csv(request):
    """One chart's data table as CSV (semicolons and UTF-8 with BOM, for Finnish Excel)."""
    chart = _chart(request)
    return csvexport.csv_response(f"{chart.key}.csv", chart.headings, chart.table())


@replica_reads
@policies.staff
@require_GET
def chart_svg(request):
    chart = _chart(request)
    svg = charts.to_svg(chart.spec or charts.empty_spec())
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="{chart.key}.svg"'
    return response


@replica_reads
@policies.staff
@require_GET
def report_pdf(request):
    """The steering group's report: every chart as SVG with its table, as a PDF (WeasyPrint)."""
    from .report import render_pdf

    scope, _form, inst, start, end = _dashboard_input(request)
    pdf = render_pdf(request, charts.build_all(scope, start, end, inst), start, end)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="poissaoloraportti.pdf"'
    return response


@policies.staff
@require_GET
def tasks(request):
    """The group supervisor's care-conversation tasks, open ones first."""
    rows = (
        care_tasks_visible_to(request.user)
        .select_related("student", "student__group", "step", "step__rule")
        .order_by("status", "-triggered_on", "pk")[:200]
    )
    groups = request.user.supervised_groups.order_by("name")
    return render(request, "insights/tasks.html", {"tasks": rows, "groups": groups})


@policies.staff
@require_GET
def task(request, pk):
    obj = get_care_task(request.user, pk)
    form = ResolveTaskForm(initial={"version": obj.version})
    return render(request, "insights/task.html", {"task": obj, "form": form})


@policies.staff
@require_POST
def task_acknowledge(request, pk):
    obj = get_care_task(request.user, pk, need="act")
    try:
        actions.acknowledge_task(obj, by=request.user, version=_int(request.POST.get("version")))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Task acknowledged."))
    return redirect("insights:task", pk=obj.pk)


@policies.staff
@require_POST
def task_resolve(request, pk):
    obj = get_care_task(request.user, pk, need="act")
    form = ResolveTaskForm(request.POST)
    if form.is_valid():
        try:
            actions.resolve_task(obj, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            _add(form, e)
        else:
            messages.success(request, _("The care conversation was recorded."))
            return redirect("insights:task", pk=obj.pk)
    return render(request, "insights/task.html", {"task": obj, "form": form}, status=400)


def _add(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errs in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errs)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@policies.staff
@require_GET
def group(request, pk):
    """The early-warning list of one group: individuals, for the group's supervisor only."""
    obj = get_absence_group(request.user, pk)
    start, end = queries.period(timezone.localdate())
    students = absences.group_students(obj, start, end)
    open_tasks = (
        CareTask.objects.open()
        .filter(student__group=obj)
        .select_related("student", "step", "step__rule")
        .order_by("student__last_name", "step__threshold")
    )
    context = {"group": obj, "students": students, "tasks": open_tasks, "start": start}
    return render(request, "insights/group.html", context)


@policies.authenticated
@require_GET
def regional_comparison(request, pk):
    """The member providers' indicators side by side for a regional plan (§13a): its readers
    (access.communal), small cells hidden (insights.regional)."""
    from opiskeluhuolto.access.communal import get_plan

    from . import regional
    from .smallcells import MIN_CELL

    plan = get_plan(request.user, pk)
    if not plan.is_regional:
        raise Http404
    providers, rows = regional.comparison(plan)
    context = {"plan": plan, "providers": providers, "rows": rows, "min_cell": MIN_CELL}
    return render(request, "insights/regional_comparison.html", context)
