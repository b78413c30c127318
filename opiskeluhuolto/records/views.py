"""Views of the welfare register. Every page that shows record content reads it through
`records.reading.read_records` (logged); objects come from the fetch helpers in
`access.cases` (404 for missing and forbidden alike)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from opiskeluhuolto.access import cases as access
from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.access.identification import require_strong_identification
from opiskeluhuolto.accounts.reconfirm import second_factor_recently_confirmed
from opiskeluhuolto.cases.views import apply_errors
from opiskeluhuolto.organisation.models import Student

from . import actions
from .forms import (
    AmendForm,
    DecisionForm,
    DisclosureForm,
    EntryForm,
    RectificationForm,
    StudentLogSearchForm,
)
from .models import AccessLogEntry, DestructionReport
from .reading import READERS_SHOWN, read_record, readers_of


@policies.staff
@require_http_methods(["GET", "POST"])
def add_entry(request, pk):
    """Write an entry (LAW.md L-20-1..4, L-18-3)."""
    case = access.get_case(request.user, pk, need="write")
    form = EntryForm(request.POST or None, initial={"kind": request.GET.get("kind", "meeting")})
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_entry(case, by=request.user, request=request, **form.action_kwargs())
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The entry was saved in the record."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "records/entry_form.html", {"form": form, "case": case})


@policies.staff
@require_http_methods(["GET", "POST"])
def amend(request, pk):
    """Amend an entry; refused if it changed since the form was loaded (version check)."""
    entry = access.get_entry(request.user, pk)
    case = entry.record.case
    form = AmendForm(request.POST or None, initial={"version": entry.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.amend_entry(
                entry,
                by=request.user,
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request, _("The amendment was saved. The original entry stays visible.")
            )
            return redirect("cases:detail", pk=case.pk)
    view = read_record(
        request.user,
        case,
        purpose="amendment",
        request=request,
        disclosures=False,
        rectifications=False,
    )
    current = next(e for e in view.entries if e.pk == entry.pk)
    return render(request, "records/amend.html", {"form": form, "case": case, "entry": current})


@policies.staff
@require_http_methods(["GET", "POST"])
@second_factor_recently_confirmed
def disclose(request, pk):
    """Disclose with a basis (LAW.md L-22-2, L-20-7)."""
    case = access.get_case(request.user, pk, need="disclose")
    form = DisclosureForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            actions.disclose(case, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The disclosure was recorded in the record and the log."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "records/disclose.html", {"form": form, "case": case})


@policies.authenticated
@require_GET
@second_factor_recently_confirmed
def pdf(request, pk):
    """A PDF copy of the whole record (LAW.md L-GDPR-3, L-22-1), logged as a print."""
    from weasyprint import CSS, HTML

    case = access.get_case(request.user, pk)
    view = read_record(
        request.user, case, purpose="PDF copy", request=request, action=AccessLogEntry.Action.PRINT
    )
    if view is None:
        raise Http404
    html = render_to_string(
        "records/pdf.html",
        {"case": case, "view": view, "printed_at": timezone.now()},
        request=request,
    )
    css = CSS(string=render_to_string("records/pdf.css"))
    document = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[css]
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="opiskeluhuoltokertomus-{case.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@policies.student_or_guardian
@require_http_methods(["GET", "POST"])
def rectify(request, pk):
    """The student or guardian asks for a correction (LAW.md L-GDPR-3)."""
    require_strong_identification(request)
    case = access.get_case(request.user, pk, need="rectify")
    form = RectificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_rectification(case, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Your request was sent to the expert group."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "records/rectify.html", {"form": form, "case": case})


@policies.staff
@require_http_methods(["GET", "POST"])
def decide(request, pk):
    """Decide a rectification request; the decision becomes an entry."""
    req = access.get_rectification(request.user, pk)
    case = req.record.case
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decide_rectification(req, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The decision was written into the record."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "records/decide.html", {"form": form, "case": case, "req": req})


@policies.student_or_guardian
@require_GET
def my_log(request):
    """'Who has read my data' (LAW.md L-906-8): reader, role and time, per student; in a
    strongly identified session only (L-306-4)."""
    require_strong_identification(request)
    can = for_user(request.user)
    students = []
    if can.own_student:
        students.append((can.own_student, *readers_of(can.own_student, exclude_user=request.user)))
    if can.guarded_student_ids:
        # A guardian sees reads only of the matters they may see (L-18-1).
        visible_cases = set(access.cases_visible_to(request.user).values_list("pk", flat=True))
        for child in Student.objects.filter(pk__in=can.guarded_student_ids).order_by("first_name"):
            students.append(
                (child, *readers_of(child, exclude_user=request.user, case_ids=visible_cases))
            )
    return render(request, "records/my_log.html", {"students": students, "shown": READERS_SHOWN})


@policies.authenticated
@require_http_methods(["GET", "POST"])
def access_log(request):
    """The register responsible person's review of the access log (LAW.md L-906-3, L-21-1),
    and the log extract of one student for a data request (L-906-8). The name search is a
    POST, so names never enter the address."""
    can = for_user(request.user)
    if not can.is_register_admin():
        raise Http404
    students = Student.objects.filter(institution__provider_id__in=can.register_provider_ids)
    form = StudentLogSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for word in form.cleaned_data["q"].split():
            students = students.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    rows = AccessLogEntry.objects.filter(student_id_ref__in=students.values("pk")).order_by("-seq")
    page = Paginator(rows, 100).get_page(
        None if request.method == "POST" else request.GET.get("page")
    )
    students_on_page = Student.objects.filter(pk__in={r.student_id_ref for r in page})
    names = {s.pk: s.full_name for s in students_on_page.only("first_name", "last_name")}
    for row in page:
        row.student_name = names.get(row.student_id_ref, "–")  # destroyed students show "–"
    context = {
        "page": page,
        "form": form,
        "searching": request.method == "POST",
        "reports": DestructionReport.objects.all()[:5],
    }
    return render(request, "records/access_log.html", context)
