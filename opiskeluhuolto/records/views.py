"""Views of the welfare register. Every page that shows record content reads it through
`records.reading.read_records` (logged); objects come from the fetch helpers in
`access.cases` (404 for missing and forbidden alike)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from opiskeluhuolto.access import cases as access
from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.access.guardians import guardians_may_see_case
from opiskeluhuolto.access.identification import (
    is_strongly_identified,
)
from opiskeluhuolto.accounts.reconfirm import second_factor_recently_confirmed
from opiskeluhuolto.cases import display as case_display
from opiskeluhuolto.lib.forms import apply_errors
from opiskeluhuolto.lib.names import possessive
from opiskeluhuolto.lib.paging import page_without_count
from opiskeluhuolto.organisation.models import Student

from . import actions, review
from .forms import (
    AccessReviewForm,
    AmendForm,
    DecisionForm,
    DisclosureForm,
    EntryForm,
    RectificationForm,
    StudentLogSearchForm,
)
from .models import AccessLogEntry, AccessReview, DestructionReport, RectificationRequest
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
            return redirect("records:case", pk=case.pk)
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
            return redirect("records:case", pk=case.pk)
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
            return redirect("records:case", pk=case.pk)
    return render(request, "records/disclose.html", {"form": form, "case": case})


def register_keeper(case) -> dict:
    """The controller of the register (the education provider) and its register responsible
    person, as the student's page and her copy name them (LAW.md L-21-1, L-GDPR-3)."""
    provider = case.institution.provider
    responsible = provider.register_responsible
    return {
        "name": provider.name,
        "business_id": provider.business_id,
        "responsible": responsible.display_name if responsible else "",
    }


def _pdf_response(request, case, view, *, own: bool = False) -> HttpResponse:
    """The PDF copy. The student's or guardian's own copy (`own`) holds what her page
    shows: the expert group, the consents, the register keeper and who has read the matter."""
    from weasyprint import CSS, HTML

    context = {"case": case, "view": view, "printed_at": timezone.now(), "own": own}
    if own:
        context |= {
            "memberships": case_display.expert_group(case),
            "consents": case_display.consents(case),
            "keeper": register_keeper(case),
            "readers": readers_of(case.student, exclude_user=request.user, case_ids={case.pk})[1]
            if is_strongly_identified(request)
            else None,
        }
    html = render_to_string("records/pdf.html", context, request=request)
    css = CSS(string=render_to_string("records/pdf.css"))
    document = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[css]
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="opiskeluhuoltokertomus-{case.pk}.pdf"'
    return response


@policies.own_data
@require_GET
def pdf(request, pk):
    """The student's or guardian's own PDF copy of the whole record (LAW.md L-GDPR-3,
    L-22-1), logged as a print. Staff print through `print_record`: theirs is a disclosure."""
    case = access.get_case(request.user, pk)
    if for_user(request.user).case_basis(case) not in (access.OWN_DATA, access.GUARDIAN):
        raise Http404
    view = read_record(
        request.user, case, purpose="PDF copy", request=request, action=AccessLogEntry.Action.PRINT
    )
    if view is None:
        raise Http404
    return _pdf_response(request, case, view, own=True)


@policies.staff
@require_http_methods(["GET", "POST"])
@second_factor_recently_confirmed
def print_record(request, pk):
    """A staff member's print or export of the record: it goes to someone, so it is a
    disclosure, and the recipient and basis come first (LAW.md L-20-7, L-22-2). The
    disclosure entry is written before the copy is made, so the copy shows it."""
    case = access.get_case(request.user, pk, need="disclose")
    form = DisclosureForm(
        request.POST or None,
        case=case,
        initial={"data_items": _("The whole welfare record as a PDF copy.")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                actions.disclose(case, by=request.user, request=request, **form.cleaned_data)
                view = read_record(
                    request.user,
                    case,
                    purpose="PDF copy (disclosure)",
                    request=request,
                    action=AccessLogEntry.Action.PRINT,
                )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            return _pdf_response(request, case, view)
    return render(request, "records/print.html", {"form": form, "case": case})


@policies.own_data
@require_http_methods(["GET", "POST"])
def rectify(request, pk):
    """The student or guardian asks for a correction (LAW.md L-GDPR-3)."""
    case = access.get_case(request.user, pk, need="rectify")
    form = RectificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_rectification(case, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request,
                _("Your request was sent to the expert group.")
                if case.is_open
                else _("Your request was sent to the register administration."),
            )
            return redirect("records:case", pk=case.pk)
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
            return redirect("records:case", pk=case.pk)
    return render(request, "records/decide.html", {"form": form, "case": case, "req": req})


@policies.own_data
@require_GET
def my_log(request):
    """'Who has read my data' (LAW.md L-906-8): reader, role and time, per student; in a
    strongly identified session only (L-306-4, `policies.own_data`)."""
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
    context = {
        "students": students,
        "shown": READERS_SHOWN,
        "is_student": can.own_student is not None,
    }
    return render(request, "records/my_log.html", context)


#: Up to this many students, the access log review reads their rows by student.
FEW_STUDENTS = 1000


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
    # Newest first: a whole provider's rows along the index (at, id), a few students'
    # (a name search, a small provider) by their own index and sorted. The planner cannot
    # tell the two apart: it read (at, id) backwards for a provider of 250 students, whose
    # rows were few, through all 5 M rows (1–13 s). So up to `FEW_STUDENTS` students the
    # order is by an expression that index does not serve (the same values).
    keys = list(students.values_list("pk", flat=True)[: FEW_STUDENTS + 1])
    if len(keys) <= FEW_STUDENTS:
        rows = AccessLogEntry.objects.filter(student_id_ref__in=keys).order_by(
            Coalesce("at", "at").desc(), "-pk"
        )
    else:
        rows = AccessLogEntry.objects.filter(student_id_ref__in=students.values("pk"))
        rows = rows.order_by("-at", "-pk")
    # Without counting the whole log (1.3–2.5 s at 5 M rows).
    page = page_without_count(
        rows, 100, None if request.method == "POST" else request.GET.get("page")
    )
    students_on_page = Student.objects.filter(pk__in={r.student_id_ref for r in page})
    names = {s.pk: s.full_name for s in students_on_page.only("first_name", "last_name")}
    for row in page:
        row.student_name = names.get(row.student_id_ref, "–")  # destroyed students show "–"
    context = {
        "page": page,
        "form": form,
        "searching": request.method == "POST",
        "reports": DestructionReport.objects.filter(provider_id__in=can.register_provider_ids)[:5],
        # LAW.md L-GDPR-3: requests on closed cases wait for the register administration.
        "pending": RectificationRequest.objects.filter(
            status=RectificationRequest.Status.PENDING,
            record__case__status="closed",
            record__case__institution__provider_id__in=can.register_provider_ids,
        )
        .select_related("record")
        .order_by("requested_at", "pk")[:50],
    }
    return render(request, "records/access_log.html", context)


@policies.authenticated
@require_GET
def case_page(request, pk):
    """The case and its record, read through records.reading (logged: LAW.md L-906-1).

    The register's page of a case: the expert group, consents and prohibitions beside it
    come from `cases.display`."""
    case = access.get_case(request.user, pk)
    can = for_user(request.user)
    staff_view = can.is_case_member(case) or can.is_register_admin(case.institution.provider_id)
    # The page shows no disclosures (they are entries too), and rectification requests to
    # staff only: the rest is not loaded.
    view = read_record(
        request.user,
        case,
        purpose="case page",
        request=request,
        disclosures=False,
        rectifications=staff_view,
    )
    # The memberships once, with whether each member still holds a role (for staff).
    memberships = case_display.expert_group(case, roles_on=can.today if staff_view else None)
    basis = can.case_basis(case)
    context = {
        "case": case,
        "view": view,
        "staff_view": staff_view,
        "can_edit": can.edit_case(case),
        "can_manage": can.manage_case(case),
        "can_rectify": can.request_rectification(case),
        "can_disclose": can.disclose(case),
        "can_amend": can.amend_entries(case),
        "can_decide": can.decide_rectification(case),
        "can_consent_own": not staff_view and can.give_own_consent(case),
        "keeper": None if staff_view else register_keeper(case),
        "own_copy": basis in (access.OWN_DATA, access.GUARDIAN),
        # Who else sees the matter, told truthfully to the student and her guardian.
        "confidential_about": case.student.first_name if basis == access.GUARDIAN else "",
        "owner": (
            possessive(case.student.first_name, get_language()) if basis == access.GUARDIAN else ""
        ),
        "guardians_see": basis == access.OWN_DATA and guardians_may_see_case(case, can.today),
        "memberships": memberships,
        "without_role": (
            case_display.members_without_role(memberships, can.today) if staff_view else []
        ),
        "consents": case_display.consents(case),
        "prohibitions": case_display.prohibitions(case) if staff_view else [],
    }
    context["own_withdrawable"] = {
        c.pk for c in context["consents"] if c.case_id and can.withdraw_own_consent(c)
    }
    return render(request, "records/case.html", context)


@policies.provider_admin
@require_http_methods(["GET", "POST"])
def access_review(request):
    """The provider admin's periodic access review (LAW.md L-906-4): who can read which
    open cases, and why; recording that the review was done."""
    can = for_user(request.user)
    providers = can.admin_provider_ids()
    form = AccessReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.record_access_review(providers, by=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("The access review was recorded."))
        return redirect("records:access_review")
    context = {
        "form": form,
        "admins": review.register_admins(providers, can.today),
        "page": review.memberships_page(providers, can.today, request.GET.get("page")),
        "without_role": review.ended_roles_with_open_memberships(providers, can.today),
        "reviews": AccessReview.objects.filter(provider_id__in=providers).select_related(
            "reviewed_by"
        )[:5],
    }
    return render(request, "records/access_review.html", context)


@policies.authenticated
@require_http_methods(["GET", "POST"])
def destruction(request):
    """The register responsible person reviews what the retention job proposes to destroy,
    and approves it; the next run destroys it (LAW.md L-RET-5). Documents past their period
    that were never handled are listed for handling, never destroyed."""
    from .retention import approve

    can = for_user(request.user)
    if not can.is_register_admin():
        raise Http404
    reports = DestructionReport.objects.filter(provider_id__in=can.register_provider_ids)
    if request.method == "POST":
        report = reports.filter(pk=request.POST.get("report") or 0).first()
        if report is None:
            raise Http404
        try:
            approve(report, by=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Approved: the documents are destroyed at the next run."))
        return redirect("records:destruction")
    context = {
        "proposals": reports.filter(status=DestructionReport.Status.PROPOSED),
        "history": reports.exclude(status=DestructionReport.Status.PROPOSED)[:20],
    }
    return render(request, "records/destruction.html", context)
