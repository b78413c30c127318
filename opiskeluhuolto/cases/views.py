"""Views of individual welfare: thin; policies from opiskeluhuolto.access.policies,
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
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.lib.forms import apply_errors

from . import actions, caselist, expert_groups, signals
from .forms import (
    CloseReferralForm,
    ConsentForm,
    GatherGroupForm,
    OpenCaseForm,
    PeopleSearchForm,
    ProhibitionForm,
    ReferralForm,
    ResponsibleForm,
    SelfReferralForm,
    StudentNoticeForm,
    StudentSearchForm,
)
from .models import Consent, Referral
from .people import people_for
from .status import deadline_info, with_deadlines


def _show_errors(form, error: ValidationError) -> None:
    """The actions name the members `members`; the forms call the field `named_members`."""
    if hasattr(error, "error_dict") and "members" in error.error_dict:
        d = dict(error.error_dict)
        d["named_members"] = d.pop("members")
        error = ValidationError(d)
    apply_errors(form, error)


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


@policies.welfare_professional
@require_http_methods(["GET", "POST"])
def open_case(request, pk):
    """Record the consent and open the case with its expert group (LAW.md L-19-1, L-19-4)."""
    referral = access.get_referral(request.user, pk, need="handle")
    if referral.status != Referral.Status.OPEN:
        raise Http404
    form = OpenCaseForm(request.POST or None, student=referral.student)
    if request.method == "POST" and form.is_valid():
        try:
            case = _open(referral, form, request.user)
        except ValidationError as e:
            _show_errors(form, e)
        else:
            messages.success(request, _("The case was opened and the expert group formed."))
            return redirect("records:case", pk=case.pk)
    signals.referrals_read.send(
        sender=Referral,
        user=request.user,
        referrals=[referral],
        purpose="referral: opening a case",
        request=request,
    )
    return render(request, "cases/open_case.html", {"form": form, "referral": referral})


def _open(referral, form, user):
    from django.db import transaction

    with transaction.atomic():
        consent = expert_groups.give_consent(
            referral.student, recorded_by=user, **form.consent_kwargs()
        )
        return expert_groups.open_case(
            referral,
            by=user,
            subject=form.cleaned_data["subject"],
            consent=consent,
            members=list(form.cleaned_data["named_members"]),
            responsible=form.cleaned_data["responsible"],
        )


@policies.staff
@require_http_methods(["GET", "POST"])
def add_consent(request, pk):
    """A further specified consent: new participants, a disclosure or a transfer (L-19-2, L-23-1)."""
    case = access.get_case(request.user, pk, need="edit")
    kinds = [Consent.Kind.PARTICIPANTS, Consent.Kind.DISCLOSURE, Consent.Kind.TRANSFER]
    form = ConsentForm(request.POST or None, student=case.student, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            consent = _add_consent(case, form, request.user)
        except ValidationError as e:
            _show_errors(form, e)
        else:
            if consent.is_written:
                messages.success(request, _("The consent was recorded."))
            else:
                messages.warning(
                    request,
                    _(
                        "The oral consent was recorded as a note. It grants nothing: members "
                        "are added and information disclosed only on a written consent."
                    ),
                )
            return redirect("records:case", pk=case.pk)
    return render(request, "cases/add_consent.html", {"form": form, "case": case})


def _add_consent(case, form, user):
    from django.db import transaction

    with transaction.atomic():
        consent = expert_groups.give_consent(
            case.student, recorded_by=user, case=case, **form.consent_kwargs()
        )
        # LAW.md L-19-2: members come only from a written consent naming each of them.
        if consent.kind == Consent.Kind.PARTICIPANTS and consent.is_written:
            expert_groups.add_members(
                case, by=user, consent=consent, members=list(form.cleaned_data["named_members"])
            )
        return consent


@policies.staff
@require_http_methods(["GET", "POST"])
def expert_group(request, pk):
    """Gather the expert group: find people by name, role and campus, and record the
    student's written consent naming the chosen ones; they become members in the same step
    (LAW.md L-19-1..2, L-22-2: membership rests on a written consent naming each member)."""
    case = access.get_case(request.user, pk, need="edit")
    today = timezone.localdate()
    current = set(case.memberships.open_on(today).values_list("user_id", flat=True))
    people = [p for p in people_for(case.student) if p.user.pk not in current]
    search = PeopleSearchForm(request.GET or None, people=people)
    shown = search.results()
    form = GatherGroupForm(request.POST or None, student=case.student, shown=shown)
    if request.method == "POST" and form.is_valid():
        try:
            added = _gather(case, form, request.user)
        except ValidationError as e:
            _show_errors(form, e)
        else:
            messages.success(
                request,
                _("The consent was recorded and %(names)s joined the expert group.")
                % {"names": ", ".join(m.user.display_name for m in added)},
            )
            return redirect("records:case", pk=case.pk)
    context = {
        "case": case,
        "form": form,
        "search": search,
        "members": case.memberships.open_on(today).select_related("user"),
        "filtered": bool(request.GET),
    }
    return render(request, "cases/expert_group.html", context)


def _gather(case, form, user):
    from django.db import transaction

    with transaction.atomic():
        consent = expert_groups.give_consent(
            case.student, recorded_by=user, case=case, **form.consent_kwargs()
        )
        if not consent.is_written:
            raise ValidationError(
                {
                    "how": _(
                        "Members join only on a written consent naming them (§19(2)). Record "
                        "an oral consent as a note with 'Record a consent'."
                    )
                }
            )
        return expert_groups.add_members(
            case, by=user, consent=consent, members=list(form.cleaned_data["named_members"])
        )


@policies.staff
@require_http_methods(["GET", "POST"])
def withdraw_consent(request, pk):
    consent = access.get_consent(request.user, pk)
    if request.method == "POST":
        try:
            expert_groups.withdraw_consent(consent, by=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("The withdrawal of the consent was recorded."))
        return redirect("records:case", pk=consent.case_id)
    return render(
        request,
        "cases/confirm.html",
        {
            "case": consent.case,
            "title": _("Record the withdrawal of a consent"),
            "text": _(
                "The memberships resting on this consent end now and no new entries can be "
                "written on it. What has been recorded stays in the register."
            ),
            "button": _("Record the withdrawal"),
        },
    )


@policies.student_or_guardian
@require_http_methods(["GET", "POST"])
def withdraw_own_consent(request, pk):
    """The student (or the consenting guardian) withdraws a consent (LAW.md L-19-3)."""
    consent = access.get_own_consent(request.user, pk)
    if request.method == "POST":
        expert_groups.withdraw_consent(consent, by=request.user)
        messages.success(request, _("Your consent was withdrawn. What was recorded stays."))
        return redirect("cases:index")
    return render(
        request,
        "cases/confirm.html",
        {
            "case": consent.case,
            "title": _("Withdraw my consent"),
            "text": _(
                "The expert group stops handling the matter on this consent: its members "
                "lose access and nothing new is written. What has already been recorded stays "
                "in the register. You can always ask for help again."
            ),
            "button": _("Withdraw the consent"),
        },
    )


@policies.staff
@require_http_methods(["GET", "POST"])
def close(request, pk):
    case = access.get_case(request.user, pk, need="manage")
    if request.method == "POST":
        expert_groups.close_case(case, by=request.user)
        messages.success(request, _("The case was closed."))
        return redirect("cases:index")
    return render(
        request,
        "cases/confirm.html",
        {
            "case": case,
            "title": _("Close the case"),
            "text": _(
                "Every membership ends and with it the members' access. The record stays in the "
                "register for its retention period."
            ),
            "button": _("Close the case"),
        },
    )


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
def end_membership(request, pk):
    """End the membership of a member whose role has ended (LAW.md L-906-4)."""
    membership = access.get_membership_without_role(request.user, pk)
    case = membership.case
    if request.method == "POST":
        try:
            expert_groups.end_membership(membership, by=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("The membership was ended."))
        return redirect("records:case", pk=case.pk)
    return render(
        request,
        "cases/confirm.html",
        {
            "case": case,
            "title": _("End the membership"),
            "text": _(
                "%(name)s no longer holds a role at the student's institution and has no access "
                "to this case. Ending the membership records it in the expert group and the "
                "record."
            )
            % {"name": membership.user.display_name},
            "button": _("End the membership"),
        },
    )


@policies.staff
@require_http_methods(["GET", "POST"])
def responsible(request, pk):
    """Hand the responsibility to another member (LAW.md L-19-4)."""
    case = access.get_case(request.user, pk, need="manage")
    members = User.objects.filter(
        case_memberships__in=case.memberships.active_on(timezone.localdate())
    ).order_by("last_name")
    form = ResponsibleForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            expert_groups.set_responsible(case, by=request.user, user=form.cleaned_data["user"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The responsible person was changed."))
            return redirect("records:case", pk=case.pk)
    return render(request, "cases/responsible.html", {"form": form, "case": case})


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
