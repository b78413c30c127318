"""The staff's list of cases: search and filters (status, responsible person, campus,
follow-up near), each case named by its subject.

The subject is encrypted in the database, so the words are matched here, after the
database has narrowed the rows by the other filters; the page shows at most `LIMIT` cases
and only those are logged as read (LAW.md L-906-1)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.organisation.models import Campus

from .models import Case, ExpertGroupMembership

LIMIT = 100
NEAR_DAYS = 14


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search the subject or the student's name"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open and closed")), *Case.Status.choices],
    )
    responsible = forms.TypedChoiceField(
        label=_("Responsible person"), required=False, coerce=int, empty_value=None
    )
    campus = forms.TypedChoiceField(label=_("Campus"), required=False, coerce=int, empty_value=None)
    due = forms.ChoiceField(
        label=_("Follow-up"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("near", _("Within two weeks or overdue")),
            ("overdue", _("Overdue")),
        ],
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(
            case_memberships__case__in=cases,
            case_memberships__is_responsible=True,
            case_memberships__ended_on__isnull=True,
        ).distinct()
        self.fields["responsible"].choices = [
            ("", _("Anyone")),
            *[(u.pk, u.display_name) for u in people.order_by("last_name", "first_name")],
        ]
        campuses = Campus.objects.filter(students__cases__in=cases).distinct().order_by("name")
        self.fields["campus"].choices = [
            ("", _("All campuses")),
            *[(c.pk, c.name) for c in campuses],
        ]


def filtered(cases, form: CaseFilterForm, today) -> list[Case]:
    if not form.is_bound:
        return list(cases[:LIMIT])
    if not form.is_valid():
        return []  # the form says what is wrong next to the field
    d = form.cleaned_data
    if d["status"]:
        cases = cases.filter(status=d["status"])
    if d["responsible"]:
        cases = cases.filter(
            pk__in=ExpertGroupMembership.objects.filter(
                user_id=d["responsible"], is_responsible=True, ended_on__isnull=True
            ).values("case_id")
        )
    if d["campus"]:
        cases = cases.filter(student__campus_id=d["campus"])
    if d["due"] == "near":
        cases = cases.filter(next_follow_up_on__lte=today + timedelta(days=NEAR_DAYS))
    elif d["due"] == "overdue":
        cases = cases.filter(next_follow_up_on__lt=today)
    words = [w.lower() for w in d["q"].split()]
    out = []
    for case in cases.iterator():
        text = f"{case.subject} {case.student.full_name}".lower()
        if all(w in text for w in words):
            out.append(case)
            if len(out) >= LIMIT:
                break
    return out


def responsible_names(cases: list[Case]) -> dict[int, str]:
    rows = ExpertGroupMembership.objects.filter(
        case__in=cases, is_responsible=True, ended_on__isnull=True
    ).select_related("user")
    return {m.case_id: m.user.display_name for m in rows}
