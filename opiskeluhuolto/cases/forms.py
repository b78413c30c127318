"""Forms of individual welfare: they validate shape; the actions enforce the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.lib.forms import DateInput
from opiskeluhuolto.organisation.models import (
    Provider,
    Role,
    RoleAssignment,
    Student,
)

from .models import Consent, Referral
from .people import people_for, search


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}, {obj.title}" if obj.title else obj.display_name


class PeopleChoice(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}, {obj.title}" if obj.title else obj.display_name


def staff_of(student: Student, *, welfare_only: bool = False):
    """People with a current role at the student's institution (and its group supervisor)."""
    rows = RoleAssignment.objects.valid_on(timezone.localdate()).at_institution(student.institution)
    if welfare_only:
        rows = rows.welfare_staff()
    users = User.objects.filter(pk__in=rows.values("user_id"))
    if not welfare_only and student.group is not None and student.group.supervisor_id:
        users = users | User.objects.filter(pk=student.group.supervisor_id)
    return users.distinct().order_by("last_name", "first_name")


class StudentSearchForm(forms.Form):
    q = forms.CharField(label=_("Student's name"), max_length=100)


class ReferralForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Who is contacting"),
        choices=[
            (Referral.Channel.STAFF, Referral.Channel.STAFF.label),
            (Referral.Channel.GUARDIAN, Referral.Channel.GUARDIAN.label),
            (Referral.Channel.EXTERNAL, Referral.Channel.EXTERNAL.label),
        ],
        initial=Referral.Channel.STAFF,
    )
    referrer_description = forms.CharField(
        label=_("Outside professional or guardian, and organisation"),
        max_length=200,
        required=False,
        help_text=_("Only when someone else than you made the contact."),
    )
    reason = forms.CharField(
        label=_("What the welfare staff need to know"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Only what is needed to assess the need for support (§16). No diagnoses, "
            "no identity codes."
        ),
    )
    with_student = forms.BooleanField(
        label=_("I made this contact together with the student"), required=False
    )
    student_wishes_no_guardian_notice = forms.BooleanField(
        label=_("The student asked that the guardian not be told"),
        required=False,
        help_text=_("A welfare professional assesses the wish before the guardian is told (§18)."),
    )


class SelfReferralForm(forms.Form):
    reason = forms.CharField(
        label=_("What would you like to talk about?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few words are enough. Only the welfare staff read this."),
    )


class StudentNoticeForm(forms.Form):
    method = forms.CharField(
        label=_("How the student was told and offered a discussion"),
        max_length=100,
        help_text=_("For example: in person, by phone, by Wilma message."),
    )


class CloseReferralForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why no case is opened"),
        choices=Referral.ClosingReason.choices,
        widget=forms.RadioSelect,
    )


class ResponsibleForm(forms.Form):
    user = PersonChoice(label=_("New responsible person"), queryset=User.objects.none())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = members


class ConsentForm(forms.Form):
    """A specified consent (LAW.md L-19-1..2, L-23-1, L-GDPR-8)."""

    kind = forms.ChoiceField(label=_("Consent to"), choices=Consent.Kind.choices)
    given_by = forms.ChoiceField(
        label=_("Given by"), choices=Consent.GivenBy.choices, widget=forms.RadioSelect
    )
    guardian = PersonChoice(
        label=_("Guardian"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(only when the guardian consents)"),
    )
    capacity_assessment = forms.CharField(
        label=_("Assessment of the student's capacity to consent"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Assess this case by case, never by age alone. Required when the guardian "
            "consents: why the student cannot judge what the consent means."
        ),
    )
    capacity_assessed_by = PersonChoice(
        label=_("Capacity assessed by (welfare professional)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(I assessed it myself)"),
    )
    how = forms.ChoiceField(
        label=_("How it was given"),
        choices=Consent.How.choices,
        help_text=_(
            "Members are added and information disclosed only on a written consent. An oral "
            "consent is recorded as a note and grants nothing."
        ),
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())
    named_members = PeopleChoice(
        label=_("Members named in the consent"), queryset=User.objects.none(), required=False
    )
    named_roles = forms.MultipleChoiceField(
        label=_("Roles written beside the names"),
        help_text=_("A description only: a role grants nothing; name each member above."),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_participants = forms.CharField(
        label=_("Other participants (close persons, outside experts)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    scope = forms.CharField(
        label=_("What the consent covers"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    recipient = forms.CharField(label=_("Recipient"), max_length=200, required=False)
    recipient_provider = forms.ModelChoiceField(
        label=_("Receiving provider"),
        queryset=Provider.objects.all(),
        required=False,
        empty_label=_("(only for a transfer)"),
    )

    def __init__(self, *args, student: Student, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.student = student
        if kinds:
            self.fields["kind"].choices = [c for c in Consent.Kind.choices if c[0] in kinds]
        self.fields["guardian"].queryset = User.objects.filter(
            guardianships__student=student
        ).order_by("last_name")
        self.fields["named_members"].queryset = staff_of(student)
        # The group supervisor and the student's own campus first, each with role and campus.
        self.people = people_for(student)
        self.fields["named_members"].choices = [(p.user.pk, p.label) for p in self.people]
        self.fields["capacity_assessed_by"].queryset = staff_of(student, welfare_only=True)
        self.fields["recipient_provider"].queryset = Provider.objects.exclude(
            pk=student.institution.provider_id
        )
        self.initial.setdefault("given_on", timezone.localdate())
        self.initial.setdefault("given_by", Consent.GivenBy.STUDENT)

    def consent_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "given_by": d["given_by"],
            "guardian": d["guardian"],
            "capacity_assessment": d["capacity_assessment"],
            "capacity_assessed_by": d.get("capacity_assessed_by"),
            "how": d["how"],
            "given_on": d["given_on"],
            "named_members": list(d["named_members"]),
            "named_roles": d.get("named_roles") or [],
            "other_participants": d["other_participants"],
            "scope": d["scope"],
            "recipient": d.get("recipient", ""),
            "recipient_provider": d.get("recipient_provider"),
        }


class OpenCaseForm(ConsentForm):
    subject = forms.CharField(
        label=_("Subject of the matter"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In a few words, without diagnoses (§20)."),
    )
    background = forms.CharField(
        label=_("Background"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "In short, what has led to the matter. Only what the expert group needs to know "
            "(§20): no diagnoses or detailed health information."
        ),
        error_messages={
            "required": _("Write the background of the matter: in short, what has led to it.")
        },
    )
    responsible = PersonChoice(
        label=_("Responsible person"),
        queryset=User.objects.none(),
        help_text=_(
            "The responsible person is named in the consent and becomes a member; "
            "the default author of the record."
        ),
    )

    field_order = [
        "subject",
        "background",
        "given_by",
        "guardian",
        "capacity_assessment",
        "capacity_assessed_by",
        "how",
        "given_on",
    ]

    def __init__(self, *args, student: Student, **kwargs):
        super().__init__(*args, student=student, kinds=[Consent.Kind.EXPERT_GROUP], **kwargs)
        self.fields["responsible"].queryset = self.fields["named_members"].queryset
        self.fields["kind"].widget = forms.HiddenInput()
        self.initial["kind"] = Consent.Kind.EXPERT_GROUP
        # An expert-group consent names members, not recipients.
        del self.fields["recipient"], self.fields["recipient_provider"]

        self.fields["responsible"].choices = [("", "---------")] + [
            (p.user.pk, p.label) for p in self.people
        ]
        self.fields["responsible"].empty_label = None

    def clean(self):
        d = super().clean()
        responsible, named = d.get("responsible"), d.get("named_members")
        # The responsible person is a member, so the consent names them too (LAW.md L-19-1).
        if responsible is not None and named is not None and responsible not in named:
            d["named_members"] = [*named, responsible]
        return d

    def consent_kwargs(self) -> dict:
        return {**super().consent_kwargs(), "recipient": "", "recipient_provider": None}


class GatherGroupForm(ConsentForm):
    """The student's written consent naming the members chosen, recorded in one go with
    their membership (LAW.md L-19-1..2, L-22-2)."""

    field_order = ["named_members", "given_by", "guardian", "capacity_assessment"]

    def __init__(self, *args, student: Student, shown=None, **kwargs):
        super().__init__(*args, student=student, kinds=[Consent.Kind.PARTICIPANTS], **kwargs)
        self.fields["kind"].widget = forms.HiddenInput()
        self.initial["kind"] = Consent.Kind.PARTICIPANTS
        self.fields["named_members"].label = _("Members the student agreed to, by name")
        self.fields["named_members"].required = True
        self.fields["named_members"].error_messages["required"] = _(
            "Choose at least one person the student agreed to."
        )
        if shown is not None:
            self.fields["named_members"].choices = [(p.user.pk, p.label) for p in shown]
        self.fields["scope"].label = _("What the student agreed to (optional)")
        del self.fields["recipient"], self.fields["recipient_provider"], self.fields["named_roles"]

    def consent_kwargs(self) -> dict:
        return {**super().consent_kwargs(), "recipient": "", "recipient_provider": None}


class PeopleSearchForm(forms.Form):
    """Narrow the people who can be named: by name, role and campus (a GET form)."""

    q = forms.CharField(label=_("Name"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    campus = forms.ChoiceField(label=_("Campus"), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["role"].choices = [("", _("All roles")), *Role.choices]
        campuses = sorted({c for p in people for c in p.campuses})
        self.fields["campus"].choices = [("", _("All campuses")), *[(c, c) for c in campuses]]

    def results(self):
        if not self.is_valid():
            return self.people
        return search(self.people, **self.cleaned_data)


class ProhibitionForm(forms.Form):
    whole = forms.BooleanField(
        label=_("Covers all the student's welfare matters, also future referrals"),
        required=False,
        initial=True,
    )
    reason = forms.CharField(
        label=_("The student's weighty reason"), widget=forms.Textarea(attrs={"rows": 3})
    )
    assessed_by = PersonChoice(
        label=_("Assessed by (social or health professional)"), queryset=User.objects.none()
    )
    assessor_profession = forms.CharField(label=_("Profession of the assessor"), max_length=100)
    assessment = forms.CharField(
        label=_("Assessment of the student's interest"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the prohibition is not clearly against the student's interest."),
    )
    decided_on = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args, student: Student, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_by"].queryset = staff_of(student, welfare_only=True)
        self.initial.setdefault("decided_on", timezone.localdate())
