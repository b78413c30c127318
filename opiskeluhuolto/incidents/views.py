"""Incident pages: the one-minute report (phone first), the handler's page, steps, closing."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, fields
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.lib.forms import DateInput, DateTimeInput
from opiskeluhuolto.organisation.models import Campus, Institution

from . import actions, ratelimit
from .models import Category, Incident, Step
from .reads import log_shown


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("What happened"), choices=Category.choices)
    campus = forms.ModelChoiceField(label=gettext_lazy("Campus"), queryset=Campus.objects.none())
    place = forms.CharField(label=gettext_lazy("Place"), required=False, max_length=200)
    occurred_at = forms.DateTimeField(label=gettext_lazy("When"), widget=DateTimeInput())
    students = forms.CharField(
        label=gettext_lazy("Or write their full names, comma separated"), required=False
    )
    others = forms.CharField(
        label=gettext_lazy("Others involved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = forms.CharField(
        label=gettext_lazy("Briefly"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    immediate_actions = forms.CharField(
        label=gettext_lazy("What was done at once"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _campuses(can):
    return Campus.objects.filter(institution__in=can.institutions_scope()).select_related(
        "institution"
    )


def _students(can, names: str, campus):
    found, missing = [], []
    scope = can.students_scope().filter(institution=campus.institution)
    for name in [n.strip() for n in names.split(",") if n.strip()]:
        first, _sp, last = name.partition(" ")
        match = scope.filter(first_name__iexact=first, last_name__iexact=last.strip())
        if match.count() == 1:
            found.append(match.get())
        else:
            missing.append(name)
    return found, missing


#: The most students a name search shows: a short list to pick from on a phone.
SEARCH_LIMIT = 10


def search_students(can, q: str, campus) -> list:
    """Students this person may see (`students_scope`) whose first or last name contains
    every word of `q` (two characters at least), of the campus's institution when one is
    chosen; a short list."""
    words = q.split()
    if len(q.strip()) < 2:
        return []
    scope = can.students_scope().select_related("group")
    if campus is not None:
        scope = scope.filter(institution=campus.institution)
    for word in words:
        scope = scope.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(scope.order_by("last_name", "first_name", "pk")[:SEARCH_LIMIT])


def _chosen(can, ids: list[str], campus) -> tuple[list, bool]:
    """The students ticked on the form, each one this person may see at the campus's
    institution; False when any is not (nothing is saved then)."""
    wanted = {int(i) for i in ids if str(i).isdigit()}
    if len(wanted) != len(set(ids)):
        return [], False
    scope = can.students_scope()
    if campus is not None:
        scope = scope.filter(institution=campus.institution)
    found = list(scope.filter(pk__in=wanted).select_related("group"))
    return found, len(found) == len(wanted)


def _search_page(request, can, campuses):
    """The form as posted, not validated, with the students found by name: searching
    saves nothing (a POST, so names never enter the address)."""
    data = request.POST
    campus = campuses.filter(pk=data.get("campus")).first() if data.get("campus") else None
    form = ReportForm(initial={k: data.get(k) for k in ReportForm.base_fields})
    form.fields["campus"].queryset = campuses
    form.fields["category"].choices = [("", fields.BLANK_CHOICE_LABEL), *Category.choices]
    chosen, _ok = _chosen(can, data.getlist("student_ids"), campus)
    found = search_students(can, data.get("q", ""), campus)
    picked = {s.pk for s in chosen}
    choices = [(s, True) for s in chosen] + [(s, False) for s in found if s.pk not in picked]
    return render(
        request,
        "incidents/report.html",
        {"form": form, "choices": choices, "q": data.get("q", ""), "searched": True},
    )


@policies.school_staff
def report(request):
    can = for_user(request.user)
    campuses = _campuses(can)
    if request.method == "POST" and "search" in request.POST:
        return _search_page(request, can, campuses)
    form = ReportForm(
        request.POST or None,
        initial={"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    form.fields["campus"].queryset = campuses
    form.fields["category"].choices = [("", fields.BLANK_CHOICE_LABEL), *Category.choices]
    # Posted to one campus: it is chosen already (a report takes a minute).
    own = {g.campus_id for g in can.grants if g.campus_id is not None}
    if len(own) == 1 and not form.is_bound:
        form.initial["campus"] = next(iter(own))
    choices: list = []
    if request.method == "POST":
        # Ticked students stay ticked when the form comes back with errors.
        choices = [(s, True) for s in _chosen(can, request.POST.getlist("student_ids"), None)[0]]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ticked, ok = _chosen(can, request.POST.getlist("student_ids"), d["campus"])
        choices = [(s, True) for s in ticked]
        named, missing = _students(can, d["students"], d["campus"])
        if not ok:
            form.add_error("students", _("A chosen student was not found at this campus."))
        elif missing:
            form.add_error("students", _("Not found: %(names)s") % {"names": ", ".join(missing)})
        else:
            students = list({s.pk: s for s in [*ticked, *named]}.values())
            try:
                incident = actions.report(
                    by=request.user,
                    campus=d["campus"],
                    category=d["category"],
                    occurred_at=d["occurred_at"],
                    place=d["place"],
                    description=d["description"],
                    immediate_actions=d["immediate_actions"],
                    students=students,
                    others=d["others"],
                )
            except ValidationError as e:
                for field, errs in e.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                who = incident.handler.display_name if incident.handler else _("the principal")
                messages.success(
                    request, _("Thank you. The report went to %(who)s.") % {"who": who}
                )
                return redirect("incidents:report")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "incidents/report.html", {"form": form, "choices": choices}, status=status
    )


def _incident(request, pk) -> Incident:
    incident = get_object_or_404(Incident.objects.select_related("campus", "institution"), pk=pk)
    if not for_user(request.user).view_incident(incident):
        raise Http404
    return incident


class StepForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Step taken"),
        choices=[c for c in Step.Kind.choices if c[0] != Step.Kind.REFERRAL],
    )
    note = forms.CharField(
        label=gettext_lazy("Notes of the step"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FollowUpForm(forms.Form):
    follow_up_on = forms.DateField(label=gettext_lazy("Follow up on"), widget=DateInput())


@policies.school_staff
def detail(request, pk: int):
    incident = _incident(request, pk)
    log_shown(request, [incident], purpose="incident handling")
    step_form, follow_form = StepForm(), FollowUpForm()
    if request.method == "POST":
        try:
            if "kind" in request.POST:
                step_form = StepForm(request.POST)
                if step_form.is_valid():
                    actions.add_step(incident, by=request.user, **step_form.cleaned_data)
                    return redirect("incidents:detail", pk=pk)
            elif "follow_up_on" in request.POST:
                follow_form = FollowUpForm(request.POST)
                if follow_form.is_valid():
                    actions.set_follow_up(incident, on=follow_form.cleaned_data["follow_up_on"])
                    return redirect("incidents:detail", pk=pk)
            elif "close" in request.POST:
                actions.close(incident, by=request.user)
                messages.success(request, _("The incident is closed."))
                return redirect("incidents:detail", pk=pk)
        except ValidationError as e:
            target = follow_form if "follow_up_on" in request.POST else step_form
            if hasattr(e, "error_dict"):
                for field, errs in e.message_dict.items():
                    target.add_error(field if field in target.fields else None, errs)
            else:
                messages.error(request, " ".join(e.messages))
    referred = actions.referred_students(incident)
    steps = list(incident.steps.select_related("by", "student"))
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "students": incident.students.all(),
            "referable": [
                s
                for s in incident.students.select_related("group", "institution")
                if s.pk not in referred and for_user(request.user).refer_from_incident(incident, s)
            ],
            "steps": steps,
            "referrals": [s for s in steps if s.kind == Step.Kind.REFERRAL and s.referral_id],
            "overdue": incident.is_overdue(),
            "step_form": step_form,
            "follow_form": follow_form,
        },
    )


@policies.school_staff
def index(request):
    can = for_user(request.user)
    rows = can.incidents_scope().select_related("campus").order_by("-created_at")[:100]
    today = timezone.localdate()
    return render(
        request, "incidents/index.html", {"rows": [(i, i.is_overdue(today)) for i in rows]}
    )


class AnonymousForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("What happened"), choices=Category.choices)
    campus = forms.ModelChoiceField(label=gettext_lazy("Campus"), queryset=Campus.objects.none())
    place = forms.CharField(label=gettext_lazy("Place"), required=False, max_length=200)
    occurred_at = forms.DateTimeField(label=gettext_lazy("When"), widget=DateTimeInput())
    description = forms.CharField(
        label=gettext_lazy("Tell what happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    wants_contact = forms.BooleanField(
        label=gettext_lazy("I want someone to contact me"), required=False
    )
    name = forms.CharField(
        label=gettext_lazy("Your name (only if you want to give it)"),
        required=False,
        max_length=200,
    )
    contact = forms.CharField(
        label=gettext_lazy("How to reach you"), required=False, max_length=200
    )


@policies.public(
    "a student reports bullying or harassment anonymously, without signing in",
    # An invalid post is shown back with her description, name and contact in it.
    confidential=True,
)
def anonymous(request, slug: str):
    """A student's report from her phone. Nothing of the session or account is stored:
    only what she writes (`actions.report_anonymously`)."""
    institution = get_object_or_404(Institution, slug=slug)
    form = AnonymousForm(
        request.POST or None,
        initial={"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    campus_field = cast(forms.ModelChoiceField, form.fields["campus"])
    campus_field.queryset = Campus.objects.filter(institution=institution)
    category_field = cast(forms.ChoiceField, form.fields["category"])
    category_field.choices = [("", fields.BLANK_CHOICE_LABEL), *Category.choices]
    if request.method == "POST" and ratelimit.limited(request):
        messages.error(request, ratelimit.message())
        return render(
            request,
            "incidents/anonymous.html",
            {"form": form, "institution": institution, "limited": True},
            status=429,
        )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.report_anonymously(
                campus=d["campus"],
                category=d["category"],
                occurred_at=d["occurred_at"],
                place=d["place"],
                description=d["description"],
                name=d["name"],
                wants_contact=d["wants_contact"],
                contact=d["contact"],
            )
        except ValidationError as e:
            for field, errs in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            ratelimit.count(request)
            return render(request, "incidents/anonymous_sent.html", {"institution": institution})
    return render(request, "incidents/anonymous.html", {"form": form, "institution": institution})
