from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opiskeluhuolto.access import fetch, for_user, policies
from opiskeluhuolto.access import organisations as organisation_rules
from opiskeluhuolto.lib.workdays import CalendarNotDefined, nth_working_day_after

from . import actions
from .forms import (
    AgreementForm,
    CalendarPeriodForm,
    ContactForm,
    EmployeeForm,
    OrganisationForm,
    SchoolYearForm,
    ServiceForm,
    StudentSearchForm,
)
from .models import (
    CalendarPeriod,
    Organisation,
    OrganisationService,
    Provider,
    RoleAssignment,
    SchoolYear,
)


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


# --- organisations around the school (issue 20, docs/organisations.md) ----------------


@policies.staff
def organisations(request):
    """The register of the organisations the provider works with."""
    can = for_user(request.user)
    items = (
        organisation_rules.organisations_visible_to(request.user)
        .select_related("provider")
        .prefetch_related("campuses", "services")
        .order_by("provider__name", "name")
    )
    return render(
        request,
        "organisation/organisations.html",
        {"organisations": items, "can_add": bool(can.organisation_provider_ids())},
    )


@policies.staff
@require_http_methods(["GET", "POST"])
def organisation_new(request):
    can = for_user(request.user)
    provider_ids = can.organisation_provider_ids()
    if not provider_ids:
        raise Http404
    provider = Provider.objects.get(pk=provider_ids[0])
    form = OrganisationForm(request.POST or None, provider=provider)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        campuses = data.pop("campuses")
        try:
            org = actions.save_organisation(
                Organisation(provider=provider), campuses=campuses, **data
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Organisation added."))
            return redirect("organisation:organisation", pk=org.pk)
    return render(
        request, "organisation/organisation_form.html", {"form": form, "provider": provider}
    )


@policies.staff
def organisation(request, pk):
    org = organisation_rules.get_organisation(request.user, pk)
    can = for_user(request.user)
    can_manage = can.manage_organisation(org)
    context = {
        "organisation": org,
        "contacts": org.contacts.all(),
        "services": org.services.all(),
        "agreements": org.agreements.all(),
        "campuses": org.campuses.select_related("institution").order_by(
            "institution__name", "name"
        ),
        "can_manage": can_manage,
        "today": timezone.localdate(),
        "employees": _employees(org, employed=True),
        "can_employ": can.manage_employment(org),
    }
    if can_manage:
        context.update(
            contact_form=ContactForm(prefix="contact"),
            service_form=ServiceForm(prefix="service"),
            agreement_form=AgreementForm(prefix="agreement"),
        )
    if context["can_employ"]:
        context["employee_form"] = EmployeeForm(assignments=_employees(org, employed=False))
    return render(request, "organisation/organisation.html", context)


def _employees(org: Organisation, *, employed: bool):
    """The provider's current role assignments the organisation employs (or, employed=False,
    those it could: every other current one of the provider)."""
    rows = RoleAssignment.objects.filter(provider_id=org.provider_id).valid_on(timezone.localdate())
    rows = rows.employed_by(org) if employed else rows.exclude(employer=org)
    return rows.select_related("user", "provider", "institution", "campus").order_by(
        "user__last_name", "user__first_name", "role"
    )


@policies.staff
@require_POST
def employer_set(request, pk):
    """Record the organisation as the employer of a role assignment, or (employs=0) give it
    back to the provider; audited as a change of the role (`actions.set_employer`)."""
    org = organisation_rules.get_organisation(request.user, pk, need="employ")
    employs = request.POST.get("employs") != "0"
    form = EmployeeForm(request.POST, assignments=_employees(org, employed=not employs))
    if not form.is_valid():
        messages.error(request, _("Choose a person and role from the list."))
        return redirect("organisation:organisation", pk=org.pk)
    try:
        actions.set_employer(
            form.cleaned_data["assignment"], employer=org if employs else None, by=request.user
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Employer saved."))
    return redirect("organisation:organisation", pk=org.pk)


@policies.staff
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    org = organisation_rules.get_organisation(request.user, pk, need="manage")
    form = OrganisationForm(request.POST or None, instance=org, provider=org.provider)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        campuses = data.pop("campuses")
        try:
            actions.save_organisation(org, campuses=campuses, **data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Organisation saved."))
            return redirect("organisation:organisation", pk=org.pk)
    return render(
        request,
        "organisation/organisation_form.html",
        {"form": form, "provider": org.provider, "organisation": org},
    )


def _add_part(request, pk, form_class, prefix, add):
    org = organisation_rules.get_organisation(request.user, pk, need="manage")
    form = form_class(request.POST or None, prefix=prefix)
    if request.method == "POST" and form.is_valid():
        try:
            add(org, form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("organisation:organisation", pk=org.pk)
    return render(
        request, "organisation/organisation_part_form.html", {"organisation": org, "form": form}
    )


@policies.staff
@require_http_methods(["GET", "POST"])
def contact_add(request, pk):
    return _add_part(
        request, pk, ContactForm, "contact", lambda org, d: actions.add_contact(org, **d)
    )


@policies.staff
@require_http_methods(["GET", "POST"])
def service_add(request, pk):
    return _add_part(
        request,
        pk,
        ServiceForm,
        "service",
        lambda org, d: actions.save_service(OrganisationService(organisation=org), **d),
    )


@policies.staff
@require_http_methods(["GET", "POST"])
def agreement_add(request, pk):
    return _add_part(
        request, pk, AgreementForm, "agreement", lambda org, d: actions.add_agreement(org, **d)
    )


@policies.staff
@require_http_methods(["GET", "POST"])
def service_edit(request, pk):
    service = organisation_rules.get_service(request.user, pk)
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        actions.save_service(service, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("organisation:organisation", pk=service.organisation_id)
    return render(
        request,
        "organisation/organisation_part_form.html",
        {"organisation": service.organisation, "form": form},
    )


def _remove(request, part):
    actions.remove_part(part)
    messages.success(request, _("Removed."))
    return redirect("organisation:organisation", pk=part.organisation_id)


@policies.staff
@require_POST
def contact_remove(request, pk):
    return _remove(request, organisation_rules.get_contact(request.user, pk))


@policies.staff
@require_POST
def service_remove(request, pk):
    return _remove(request, organisation_rules.get_service(request.user, pk))


@policies.staff
@require_POST
def agreement_remove(request, pk):
    return _remove(request, organisation_rules.get_agreement(request.user, pk))
