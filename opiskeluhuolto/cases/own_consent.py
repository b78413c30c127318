"""The student names a further member of her expert group herself, from her phone.

Her consent is electronic and identified (she is signed in), names the one person by
name (LAW.md L-19-1..2) and makes them a member in the same step, as the professional's
"gather the expert group" does; the page says in plain words what follows and that she
can withdraw it. Who may: `access.cases.give_own_consent` (the student of an open case).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from opiskeluhuolto.access import cases as access
from opiskeluhuolto.access import policies
from opiskeluhuolto.organisation.models import Role

from . import expert_groups
from .models import Consent
from .people import people_for

#: The people a student is offered: those who work with students' welfare and studies.
STUDENT_FACING = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.PSYCHOLOGIST,
        Role.NURSE,
        Role.DOCTOR,
        Role.STUDY_COUNSELLOR,
        Role.SPECIAL_NEEDS_TEACHER,
    }
)


class OwnConsentForm(forms.Form):
    member = forms.TypedChoiceField(
        label=gettext_lazy("Who may join your expert group"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the person you agree to.")},
    )
    understood = forms.BooleanField(
        label=gettext_lazy(
            "I have read what my consent means, and I agree that this person joins."
        ),
        error_messages={"required": gettext_lazy("Tick this to show you agree.")},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {p.user.pk: p for p in people}
        self.fields["member"].choices = [(p.user.pk, p.label) for p in people]


def offered_people(case) -> list:
    """The welfare staff, the study counsellors and special needs teachers of her
    institution and her group supervisor, who are not members already."""
    today = timezone.localdate()
    current = set(case.memberships.open_on(today).values_list("user_id", flat=True))
    labels = {str(label) for value, label in Role.choices if value in STUDENT_FACING}
    return [
        p
        for p in people_for(case.student)
        if p.user.pk not in current and (p.is_group_supervisor or labels & set(p.roles))
    ]


@policies.own_data
@require_http_methods(["GET", "POST"])
def own_consent(request, pk):
    case = access.get_case(request.user, pk, need="own_consent")
    people = offered_people(case)
    form = OwnConsentForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        person = form.people[form.cleaned_data["member"]]
        try:
            with transaction.atomic():
                consent = expert_groups.give_consent(
                    case.student,
                    recorded_by=request.user,
                    case=case,
                    kind=Consent.Kind.PARTICIPANTS,
                    given_by=Consent.GivenBy.STUDENT,
                    how=Consent.How.ELECTRONIC,
                    given_on=timezone.localdate(),
                    named_members=[person.user],
                )
                expert_groups.add_members(
                    case, by=request.user, consent=consent, members=[person.user]
                )
        except ValidationError as e:
            errors = e.message_dict if hasattr(e, "error_dict") else {None: e.messages}
            form.add_error("member", " ".join(m for ms in errors.values() for m in ms))
        else:
            messages.success(
                request,
                _(
                    "%(name)s is now in your expert group. You can withdraw your consent at any time."
                )
                % {"name": person.user.display_name},
            )
            return redirect("records:case", pk=case.pk)
    context = {"case": case, "form": form, "has_people": bool(people)}
    return render(request, "cases/own_consent.html", context, status=400 if form.errors else 200)
