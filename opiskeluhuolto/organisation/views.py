from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opiskeluhuolto.access import fetch, for_user, policies
from opiskeluhuolto.lib.workdays import CalendarNotDefined, nth_working_day_after

from . import actions
from .forms import CalendarPeriodForm, SchoolYearForm, StudentSearchForm
from .models import CalendarPeriod, SchoolYear


@policies.staff
def institutions(request):
    items = for_user(request.user).institutions_scope().select_related("provider")
    return render(request, "organisation/institutions.html", {"institutions": items})


@policies.staff
def institution(request, pk):
    inst = fetch.get_institution(request.user, pk)
    can = for_user(request.user)
    today = timezone.localdate()
    calendar = inst.school_calendar()
    try:
        deadline = nth_working_day_after(calendar, today, 7)
    except CalendarNotDefined:
        deadline = None
    groups = list(inst.groups.select_related("supervisor", "campus", "institution"))
    context = {
        "institution": inst,
        "campuses": inst.campuses.all(),
        "groups": groups,
        # Rosters open only to those the directory's rule allows (an external member: none).
        "roster_ids": {g.pk for g in groups if can.view_group(g)},
        "school_years": inst.school_years.prefetch_related("periods"),
        "can_manage_calendar": can.manage_calendar(inst),
        "today_is_working_day": calendar.is_working_day(today),
        "seventh_working_day": deadline,
    }
    return render(request, "organisation/institution.html", context)


@policies.provider_admin
@require_http_methods(["GET", "POST"])
def calendar(request, pk):
    """The provider admin's editor for an institution's school years and their periods."""
    inst = fetch.get_institution(request.user, pk, need="manage_calendar")
    year_form = SchoolYearForm(prefix="year")
    if request.method == "POST":
        year_form = SchoolYearForm(
            request.POST, prefix="year", instance=SchoolYear(institution=inst)
        )
        if year_form.is_valid():
            try:
                actions.create_school_year(inst, **year_form.cleaned_data)
            except ValidationError as e:
                year_form.add_error(None, e)
            else:
                messages.success(request, _("School year added."))
                return redirect("organisation:calendar", pk=inst.pk)
    years = inst.school_years.prefetch_related("periods")
    return render(
        request,
        "organisation/calendar.html",
        {
            "institution": inst,
            "years": years,
            "year_form": year_form,
            "period_form": CalendarPeriodForm(prefix="period"),
        },
    )


@policies.provider_admin
@require_http_methods(["GET", "POST"])
def add_period(request, pk):
    year = fetch.get_school_year(request.user, pk)
    form = CalendarPeriodForm(
        request.POST or None, prefix="period", instance=CalendarPeriod(school_year=year)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_calendar_period(year, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Calendar period added."))
            return redirect("organisation:calendar", pk=year.institution_id)
    return render(request, "organisation/period_form.html", {"year": year, "form": form})


@policies.provider_admin
@require_POST
def remove_period(request, pk):
    period = fetch.get_calendar_period(request.user, pk)
    actions.remove_calendar_period(period)
    messages.success(request, _("Calendar period removed."))
    return redirect("organisation:calendar", pk=period.school_year.institution_id)


@policies.school_staff
@require_http_methods(["GET", "POST"])
def students(request):
    """The student directory. The name search is a POST so names never enter the URL.

    The school's own staff only: an external group member has no directory
    (docs/access-rules.md)."""
    form = StudentSearchForm(request.POST or None)
    qs = for_user(request.user).students_scope().select_related("institution", "group")
    searching = form.is_valid() and bool(form.cleaned_data["q"])
    if searching:
        for word in form.cleaned_data["q"].split():
            qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    page = Paginator(qs.order_by("last_name", "first_name", "pk"), 50).get_page(
        None if searching else request.GET.get("page")
    )
    return render(
        request,
        "organisation/students.html",
        {"form": form, "page": page, "searching": searching},
    )


@policies.authenticated
def student(request, pk):
    obj = fetch.get_student(request.user, pk)
    can = for_user(request.user)
    # Which fields: docs/access-rules.md (a teacher sees name and group only).
    details = can.view_student_details(obj)
    context = {
        "student": obj,
        "show_details": details,
        "show_hetu": can.view_student_hetu(obj),
        "is_minor": obj.is_minor() if details else None,
        "guardians": (
            obj.guardianships.select_related("guardian") if can.view_student_guardians(obj) else []
        ),
    }
    return render(request, "organisation/student.html", context)


@policies.school_staff
def group(request, pk):
    obj = fetch.get_group(request.user, pk)
    members = obj.students.order_by("last_name", "first_name")
    return render(request, "organisation/group.html", {"group": obj, "members": members})
