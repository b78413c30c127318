"""Views of referrals and guardian prohibitions (the expert group's are in
`expert_group_views`): thin; policies from opiskeluhuolto.access.policies,
objects from the fetch helpers in opiskeluhuolto.access.cases (404 for missing and
forbidden alike)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiskeluhuolto.access import cases as access
from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.lib.forms import apply_errors

from . import actions, caselist, signals
from .forms import (
    CloseReferralForm,
    ProhibitionForm,
    ReferralForm,
    SelfReferralForm,
    StudentNoticeForm,
    StudentSearchForm,
)
from .models import Referral
from .status import deadline_info, with_deadlines


@policies.authenticated
@require_GET
def index(request):
    """The staff's cases (as members or register keeper) with search and filters, incoming
    and sent referrals; the student's and guardian's matters."""
    can = for_user(request.user)
    visible = access.cases_visible_to(request.user).select_related(
        "student", "institution", "student__campus"
    )
    own_q = Q(student__user=request.user) | Q(student_id__in=can.guarded_student_ids)
    own = visible.filter(own_q).order_by("-opened_on", "-pk")
    staff_cases = visible.exclude(own_q).order_by(F("next_follow_up_on").asc(nulls_last=True), "pk")
    filters = caselist.CaseFilterForm(request.GET or None, cases=staff_cases)
    mine = caselist.filtered(staff_cases, filters, can.today) if can.is_staff_member else []
    names = caselist.responsible_names(mine)
    for case in mine:
        case.responsible_name = names.get(case.pk, "")
    incoming = access.referrals_visible_to(request.user).select_related("student")
    context = {
        "mine": mine,
        "filters": filters if can.is_staff_member else None,
        "filtered": bool(request.GET),
        "own": own,
        "incoming": with_deadlines(
            incoming.filter(status=Referral.Status.OPEN)
            .exclude(referred_by=request.user)
            .select_related("institution"),
            can.today,
        )
        if can.is_welfare_professional
        else [],
        "sent": list(incoming.filter(referred_by=request.user)[:20]),
        "today": can.today,
        "is_staff": can.is_staff_member,
        # Referring is for the school's own staff (`refer`'s policy): an external group
        # member followed the button to a 404.
        "can_refer": can.is_school_staff,
    }
    # A list of names with their contacts to student welfare is a read of each (L-906-1),
    # and so is a list naming cases by their subject.
    signals.referrals_read.send(
        sender=Referral,
        user=request.user,
        referrals=[*context["incoming"], *context["sent"]],
        purpose="referral list",
        request=request,
    )
    signals.cases_listed.send(
        sender=Referral, user=request.user, cases=mine, purpose="case list", request=request
    )
    return render(request, "cases/index.html", context)


@policies.public(
    "a permanent redirect of an address that moved; it reveals nothing, and the new "
    "address decides who may see the case"
)
@require_GET
def moved_case_page(request, pk):
    """Links in messages sent before round two point at /cases/<pk>/; the case page now
    lives at records:case (the register owns it)."""
    return redirect("records:case", pk=pk, permanent=True)


@policies.school_staff
@require_http_methods(["GET", "POST"])
def refer(request):
    """Step 1 of a staff referral: find the student. A POST, so names never enter the URL."""
    form = StudentSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = for_user(request.user).students_scope().select_related("group", "institution")
        for word in form.cleaned_data["q"].split():
            results = results.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        can = for_user(request.user)
        results = [
            s for s in results.order_by("last_name", "first_name")[:30] if can.refer_student(s)
        ]
    return render(request, "cases/refer.html", {"form": form, "results": results})


def _contact_by(referral):
    """The legal date by which the student is contacted: the §15 discussion request's
    deadline when the clock started, else the §16 notice date (both set when filed)."""
    request = referral.discussion_request
    if request is not None and request.deadline:
        return request.deadline
    return referral.student_notice_due


@policies.staff
@require_http_methods(["GET", "POST"])
def refer_student(request, pk):
    """Step 2: the contact itself (LAW.md L-16-1..4)."""
    student = access.get_student_to_refer(request.user, pk)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = actions.file_referral(student, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Your contact was sent to the welfare staff."))
            return redirect("cases:referral", pk=referral.pk)
    today = timezone.localdate()
    context = {
        "form": form,
        "student": student,
        "recipients": access.referral_recipients(student, today),
        # The §15(1)/§16 limit by the one working-day rule (`actions.student_notice_due`).
        "contact_by": actions.student_notice_due(student, today),
    }
    return render(request, "cases/refer_student.html", context)


@policies.student_or_guardian
@require_http_methods(["GET", "POST"])
def self_refer(request):
    """A student asks for help (LAW.md L-18-2: no guardian approval needed)."""
    student = for_user(request.user).own_student
    if student is None:
        raise Http404
    form = SelfReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.file_referral(
            student,
            by=request.user,
            channel=Referral.Channel.SELF,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Your message was sent. The welfare staff will contact you."))
        return redirect("front:home")
    return render(request, "cases/self_refer.html", {"form": form, "student": student})


@policies.staff
@require_GET
def referral(request, pk):
    """A referral with its reason, logged as a read (LAW.md L-906-1)."""
    referral = access.get_referral(request.user, pk)
    signals.referrals_read.send(
        sender=Referral,
        user=request.user,
        referrals=[referral],
        purpose="referral page",
        request=request,
    )
    can = for_user(request.user)
    handles = can.handle_referral(referral)
    context = {
        "referral": referral,
        "handles": handles,
        "notice_form": StudentNoticeForm() if handles and referral.needs_student_notice else None,
        "due": deadline_info(referral.institution, referral.student_notice_due, can.today),
        # The referrer's confirmation: who received it and by when the student is contacted.
        "recipients": access.referral_recipients(referral.student, referral.received_on),
        "contact_by": _contact_by(referral),
    }
    return render(request, "cases/referral.html", context)


@policies.welfare_professional
@require_http_methods(["GET", "POST"])
def student_notice(request, pk):
    referral = access.get_referral(request.user, pk, need="handle")
    form = StudentNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_student_notice(referral, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The notice to the student was recorded."))
            return redirect("cases:referral", pk=referral.pk)
    signals.referrals_read.send(
        sender=Referral,
        user=request.user,
        referrals=[referral],
        purpose="referral: student notice",
        request=request,
    )
    return render(request, "cases/student_notice.html", {"form": form, "referral": referral})


@policies.welfare_professional
@require_POST
def release_notice(request, pk):
    referral = access.get_referral(request.user, pk, need="handle")
    try:
        actions.release_guardian_notice(referral, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The guardian notice was sent."))
    return redirect("cases:referral", pk=referral.pk)


@policies.welfare_professional
@require_http_methods(["GET", "POST"])
def close_referral(request, pk):
    """Close without a case, with the reason (LAW.md L-15-5)."""
    referral = access.get_referral(request.user, pk, need="handle")
    form = CloseReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.close_referral(referral, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The referral was closed."))
            return redirect("cases:index")
    signals.referrals_read.send(
        sender=Referral,
        user=request.user,
        referrals=[referral],
        purpose="referral: closing",
        request=request,
    )
    return render(request, "cases/close_referral.html", {"form": form, "referral": referral})


@policies.staff
@require_http_methods(["GET", "POST"])
def lift_prohibition(request, pk):
    prohibition = access.get_prohibition(request.user, pk)
    case = (
        prohibition.case
        or access.cases_visible_to(request.user)
        .filter(student_id=prohibition.student_id, pk__in=for_user(request.user).member_case_ids)
        .first()
    )
    if request.method == "POST":
        actions.lift_prohibition(prohibition, by=request.user)
        messages.success(request, _("The guardian prohibition was lifted."))
        return redirect("records:case", pk=case.pk)
    return render(
        request,
        "cases/confirm.html",
        {
            "case": case,
            "title": _("Lift the guardian prohibition"),
            "text": _(
                "From now on the guardian of the minor sees the matters it covered and gets "
                "notices again. The prohibition stays in the register as a record."
            ),
            "button": _("Lift the prohibition"),
        },
    )


@policies.staff
@require_http_methods(["GET", "POST"])
def prohibition(request, pk):
    """The minor's prohibition of the guardian's participation (LAW.md L-18-1)."""
    case = access.get_case(request.user, pk, need="edit")
    form = ProhibitionForm(request.POST or None, student=case.student)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        whole = data.pop("whole")
        try:
            actions.record_prohibition(
                case.student, by=request.user, case=None if whole else case, **data
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The guardian prohibition was recorded."))
            return redirect("records:case", pk=case.pk)
    return render(
        request,
        "cases/prohibition.html",
        {"form": form, "case": case, "today": timezone.localdate()},
    )
