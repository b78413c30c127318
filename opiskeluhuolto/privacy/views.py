"""The data subject's own data across the project, the data requests, the privacy notice.

The copy views use the same policy as the record's PDF copy for students and guardians
(`policies.student_or_guardian`), and fetch the data subject through `access.privacy`
(404 for missing and forbidden alike); the content is read through `records.reading`,
so every read is logged (LAW.md L-906-1)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiskeluhuolto.access import for_user, identification, policies
from opiskeluhuolto.access import privacy as access
from opiskeluhuolto.organisation.models import Provider
from opiskeluhuolto.records.models import RetentionClass

from . import actions
from .collect import as_json, collect, shown
from .forms import AnswerForm, DataRequestForm, matter_label
from .models import DataRequest, PrivacyNotice


@policies.student_or_guardian
@require_http_methods(["GET", "POST"])
def my_data(request):
    """ "My data": a copy of everything held, and a request registered with its deadline."""
    subjects = access.data_subjects(request.user)
    posted = request.POST.get("student") if request.method == "POST" else None
    if posted is not None:
        access.get_data_subject(request.user, posted)  # 404 for another student
    refused = access.own_refusals(request.user, subjects)
    forms = []
    for student in subjects:
        data = request.POST if posted == str(student.pk) else None
        # One form per student, each with its own ids (a guardian may have several children).
        form = DataRequestForm(data, auto_id=f"id_s{student.pk}_%s")
        if data is not None and form.is_valid():
            try:
                req = actions.register_request(
                    student, by=request.user, kind=form.cleaned_data["kind"]
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(
                    request,
                    _("Your request was registered. It will be answered by %(day)s.")
                    % {"day": shown(req.due_on)},
                )
                return redirect("privacy:my_data")
        forms.append((student, form, refused.get(student.pk)))
    requests = list(
        DataRequest.objects.filter(student__in=subjects, requested_by=request.user)
        .select_related("student")
        .order_by("-requested_on", "-pk")
    )
    invalid = any(form.errors for _student, form, _refused in forms)
    withheld = any(r.outcome in DataRequest.WITHHOLDING for r in requests)
    context = {
        "forms": forms,
        "requests": requests,
        "withheld": withheld,
        # The ground and the reason of a refusal speak of the student's health or of
        # others: confidential, shown in a strongly identified session only (L-306-4);
        # the rest of the page (registering a request, its outcome) needs none.
        "strong": identification.is_strongly_identified(request),
    }
    return render(request, "privacy/my_data.html", context, status=400 if invalid else 200)


def _copy(request, pk):
    student = access.get_data_subject(request.user, pk)
    return student, collect(request.user, student, request=request)


@policies.own_data
@require_GET
def copy_pdf(request, pk):
    """The whole copy as a PDF (LAW.md L-GDPR-3); every part read through the logged gate."""
    from weasyprint import CSS, HTML

    student, sections = _copy(request, pk)
    context = {
        "student": student,
        "sections": [
            (s, [[(label, _show_value(v)) for _k, label, v in item] for item in s.items])
            for s in sections
        ],
        "printed_at": timezone.now(),
    }
    html = render_to_string("privacy/copy.html", context, request=request)
    css = CSS(string=render_to_string("records/pdf.css"))
    document = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[css]
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="omat-tiedot-{student.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _show_value(value) -> list[str]:
    """A value as the PDF's lines: a list (entries, disclosures) one line per item."""
    if isinstance(value, list):
        return [
            " · ".join(shown(v) for v in item.values()) if isinstance(item, dict) else shown(item)
            for item in value
        ] or ["–"]
    return [shown(value)]


@policies.own_data
@require_GET
def copy_json(request, pk):
    """The same copy as a machine-readable file (GDPR Art 15(3), Art 20)."""
    student, sections = _copy(request, pk)
    body = json.dumps(as_json(student, sections), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="omat-tiedot-{student.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@policies.public("the privacy notice must be available before anyone signs in (GDPR Art 13)")
@require_GET
def notices(request):
    providers = Provider.objects.order_by("name")
    return render(request, "privacy/notices.html", {"providers": providers})


@policies.public("the privacy notice must be available before anyone signs in (GDPR Art 13)")
@require_GET
def notice(request, pk):
    """The register's privacy notice of one provider, the controller (LAW.md L-GDPR-6)."""
    provider = get_object_or_404(Provider, pk=pk)
    context = {
        "provider": provider,
        "notice": PrivacyNotice.objects.filter(provider=provider).first(),
        "retention": RetentionClass.objects.filter(provider=provider),
    }
    return render(request, "privacy/notice.html", context)


def _requests_page(request, can, bound=None, status=200):
    """The list with an answer form for each open request; `bound` is (request id, the
    posted form) when an answer was refused, shown with its errors."""
    rows = list(
        DataRequest.objects.filter(provider_id__in=can.register_provider_ids)
        .select_related("student", "requested_by")
        .order_by("status", "due_on", "pk")[:200]
    )
    open_rows = [r for r in rows if r.status == DataRequest.Status.OPEN]
    matters = _matters({r.student_id for r in open_rows})
    forms = {
        r.pk: bound[1]
        if bound and bound[0] == r.pk
        else AnswerForm(auto_id=f"id_r{r.pk}_%s", matters=matters.get(r.student_id, []))
        for r in open_rows
    }
    restrictions = list(
        access.restrictions_in_force(request.user).select_related("student", "person", "case")
    )
    for x in restrictions:
        x.case_label = matter_label(x.case) if x.case else ""
    context = {
        "rows": [(r, forms.get(r.pk)) for r in rows],
        "today": can.today,
        "restrictions": restrictions,
    }
    return render(request, "privacy/requests.html", context, status=status)


def _matters(student_ids) -> dict[int, list[tuple[int, str]]]:
    """Each student's welfare matters as the answer form lists them (`matter_label`)."""
    from opiskeluhuolto.cases.models import Case

    matters: dict[int, list[tuple[int, str]]] = {}
    for case in Case.objects.filter(student_id__in=student_ids).order_by("-opened_on", "-pk"):
        matters.setdefault(case.student_id, []).append((case.pk, matter_label(case)))
    return matters


@policies.authenticated
@require_GET
def requests(request):
    """The register responsible person's list of data requests and their deadlines, and
    the refusals of access in force (LAW.md L-GDPR-5)."""
    can = for_user(request.user)
    if not can.is_register_admin():
        raise Http404
    return _requests_page(request, can)


@policies.authenticated
@require_POST
def answer(request, pk):
    """Answer a request with its outcome; a refusal needs its ground and reason."""
    can = for_user(request.user)
    req = DataRequest.objects.filter(
        pk=pk, provider_id__in=can.register_provider_ids, status=DataRequest.Status.OPEN
    ).first()
    if req is None:
        raise Http404
    matters = _matters({req.student_id}).get(req.student_id, [])
    form = AnswerForm(request.POST, auto_id=f"id_r{req.pk}_%s", matters=matters)
    if not form.is_valid() and "outcome" in form.cleaned_data:
        # Every error at once: the outcome's own requirements too, not only after the
        # other fields are filled in.
        data = form.cleaned_data
        try:
            actions.check_outcome(
                req,
                data["outcome"],
                data.get("ground", ""),
                data.get("reason", "").strip(),
                data.get("cases", ()),
            )
        except ValidationError as e:
            form.add_error(None, e)
    if form.is_valid():
        try:
            actions.answer_request(req, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The request was marked answered."))
            return redirect("privacy:requests")
    return _requests_page(request, can, bound=(req.pk, form), status=400)


@policies.authenticated
@require_POST
def end_restriction(request, pk):
    """End a refusal of access (LAW.md L-GDPR-5): the register responsible person only."""
    restriction = access.get_restriction(request.user, pk)
    try:
        actions.end_restriction(restriction, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The refusal of access was ended."))
    return redirect("privacy:requests")
