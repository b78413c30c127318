"""A referral to individual student welfare made from an incident (the handler's page).

The referral is filed by the cases app under its own rules (`incidents.actions.refer` →
`cases.actions.file_referral`); nothing of the incident is copied into it: the handler
writes what the welfare staff need to know."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.lib.forms import apply_errors

from . import actions
from .models import Incident
from .reads import log_shown


class ReferForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What the welfare staff need to know"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=gettext_lazy(
            "Only what is needed to assess the need for support (§16). Nothing of the "
            "incident is copied into the referral."
        ),
    )
    with_student = forms.BooleanField(
        label=gettext_lazy("I made this contact together with the student"), required=False
    )
    student_wishes_no_guardian_notice = forms.BooleanField(
        label=gettext_lazy("The student asked that the guardian not be told"), required=False
    )


@policies.school_staff
def refer(request, pk: int):
    incident = get_object_or_404(Incident.objects.select_related("campus", "institution"), pk=pk)
    can = for_user(request.user)
    if not can.view_incident(incident):
        raise Http404
    raw = request.POST.get("student") or request.GET.get("student") or ""
    if not raw.isdigit():
        raise Http404
    student = incident.students.select_related("group", "institution").filter(pk=int(raw)).first()
    if student is None or not can.refer_from_incident(incident, student):
        raise Http404
    if student.pk in actions.referred_students(incident):
        messages.info(
            request, _("A referral has already been made for this student from this incident.")
        )
        return redirect("incidents:detail", pk=incident.pk)
    log_shown(request, [incident], purpose="incident referral")
    form = ReferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = actions.refer(incident, student, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The referral was sent to the welfare staff."))
            return redirect(reverse("cases:referral", kwargs={"pk": referral.pk}))
    return render(
        request,
        "incidents/refer.html",
        {"incident": incident, "student": student, "form": form},
    )
