"""Views of the expert group: opening the case, consents, gathering and ending members,
the responsible person, closing. Thin, as `views`: policies from
opiskeluhuolto.access.policies, objects from the fetch helpers in
opiskeluhuolto.access.cases (404 for missing and forbidden alike)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opiskeluhuolto.access import cases as access
from opiskeluhuolto.access import policies
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.lib.forms import apply_errors

from . import expert_groups, signals
from .forms import (
    ConsentForm,
    GatherGroupForm,
    OpenCaseForm,
    PeopleSearchForm,
    ResponsibleForm,
)
from .models import Consent, Referral
from .people import people_for


def _show_errors(form, error: ValidationError) -> None:
    """The actions name the members `members`; the forms call the field `named_members`."""
    if hasattr(error, "error_dict") and "members" in error.error_dict:
        d = dict(error.error_dict)
        d["named_members"] = d.pop("members")
        error = ValidationError(d)
    apply_errors(form, error)


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
            background=form.cleaned_data["background"],
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


@policies.own_data
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
