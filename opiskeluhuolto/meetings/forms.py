from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.lib.forms import DateInput, TimeInput
from opiskeluhuolto.organisation.models import Campus, Institution

from .models import Group, Indicator, Membership, PlanReference, StandingItem, WelfarePlan
from .models.plans import Participant


class Form(forms.Form):
    """Labels start with a capital letter, as on the other pages; the catalogue keeps them lower-case."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label:
                field.label = capfirst(field.label)


class MemberForm(Form):
    user = forms.ModelChoiceField(label=_("person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("role in the group"), choices=Membership.Role.choices)
    represents = forms.CharField(label=_("represents"), max_length=200, required=False)

    def __init__(self, *args, group: Group, **kwargs):
        super().__init__(*args, **kwargs)
        # People of the provider: staff, external members and its students' accounts; for
        # a regional group, the people with a role at any member provider.
        people = Q(role_assignments__provider_id=group.provider_id) | Q(
            student__institution__provider_id=group.provider_id
        )
        if group.is_regional:
            people = Q(role_assignments__provider__in=group.member_providers.all())
        self.fields["user"].queryset = (
            User.objects.filter(people).distinct().order_by("last_name", "first_name")
        )


class StandingItemForm(Form):
    title = forms.CharField(label=_("title"), max_length=300)
    kind = forms.ChoiceField(label=_("when"), choices=StandingItem.Kind.choices)


class MeetingForm(Form):
    day = forms.DateField(label=_("date"), widget=DateInput())
    start = forms.TimeField(label=_("starts"), widget=TimeInput())
    end = forms.TimeField(label=_("ends"), widget=TimeInput())
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    count = forms.IntegerField(
        label=_("number of meetings in the series"),
        required=False,
        min_value=1,
        max_value=20,
        help_text=_("Two or more plans a series and e-mails the members an invitation."),
    )
    every_weeks = forms.IntegerField(
        label=_("repeat every … weeks"), required=False, min_value=1, max_value=8, initial=4
    )

    def times(self) -> tuple[datetime, datetime]:
        d = self.cleaned_data
        tz = timezone.get_current_timezone()
        starts = timezone.make_aware(datetime.combine(d["day"], d["start"]), tz)
        ends = timezone.make_aware(datetime.combine(d["day"], d["end"]), tz)
        return starts, ends

    @classmethod
    def suggested(cls, group: Group) -> dict:
        day = timezone.localdate() + timedelta(days=14)
        return {"day": day, "start": "13:00", "end": "14:30"}


class MinutesForm(Form):
    minutes = forms.CharField(
        label=_("minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    decision = forms.CharField(
        label=_("decision"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def member_label(membership) -> str:
    """A member as the minutes name them: "Riitta Rinne (puheenjohtaja)"."""
    user = membership.user
    if membership.represents:
        what = membership.represents
    elif membership.role != membership.Role.MEMBER:
        what = str(membership.get_role_display())
    else:
        what = user.title
    return f"{user.display_name} ({what})" if what else user.display_name


class AttendeesForm(Form):
    """Who was present: the group's members ticked, and any others written. Saved as the
    text the minutes print ("Name (role), Name (role), …")."""

    present = forms.MultipleChoiceField(
        label=_("members present"), required=False, widget=forms.CheckboxSelectMultiple
    )
    others = forms.CharField(
        label=_("others present"),
        required=False,
        max_length=1000,
        help_text=_("Names and positions of guests, separated by commas."),
    )

    def __init__(self, *args, group: Group, attendees: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        memberships = group.memberships.select_related("user").order_by("role", "user__last_name")
        self.labels = {str(m.pk): member_label(m) for m in memberships}
        self.fields["present"].choices = list(self.labels.items())
        if not self.is_bound and attendees:
            by_label = {label: pk for pk, label in self.labels.items()}
            entries = [e.strip() for e in attendees.split(",") if e.strip()]
            self.initial["present"] = [by_label[e] for e in entries if e in by_label]
            self.initial["others"] = ", ".join(e for e in entries if e not in by_label)

    def attendees_text(self) -> str:
        names = [self.labels[pk] for pk in self.labels if pk in self.cleaned_data["present"]]
        others = [e.strip() for e in self.cleaned_data["others"].split(",") if e.strip()]
        return ", ".join(names + others)


class FollowUpForm(Form):
    title = forms.CharField(label=_("task"), max_length=300)
    owner = forms.ModelChoiceField(
        label=_("responsible"), queryset=User.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("due"), widget=DateInput())

    def __init__(self, *args, group: Group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            welfare_group_memberships__group=group
        ).order_by("last_name")


class HighlightForm(Form):
    to_group = forms.ModelChoiceField(label=_("to group"), queryset=Group.objects.none())
    title = forms.CharField(label=_("title"), max_length=300)
    text = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, student_body: Group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_group"].queryset = Group.objects.filter(
            provider_id=student_body.provider_id
        ).exclude(kind=Group.Kind.STUDENT_BODY)


class SectionForm(Form):
    body = forms.CharField(
        label=_("text"), required=False, widget=forms.Textarea(attrs={"rows": 14})
    )
    lock = forms.IntegerField(widget=forms.HiddenInput)


class NewSectionForm(Form):
    title = forms.CharField(label=_("title of the new section"), max_length=200)


class CommentForm(Form):
    text = forms.CharField(label=_("your comment"), widget=forms.Textarea(attrs={"rows": 4}))


class ParticipationForm(Form):
    participant = forms.ChoiceField(label=_("who"), choices=Participant.choices)
    description = forms.CharField(label=_("how they took part"), max_length=300)
    on = forms.DateField(label=_("date"), widget=DateInput())


class EvaluationForm(Form):
    written_on = forms.DateField(label=_("date"), widget=DateInput())
    text = forms.CharField(
        label=_("evaluation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the plan was carried out, what the indicators show, what to change."),
    )


class ApproveForm(Form):
    approved_on = forms.DateField(label=_("approved on"), widget=DateInput())
    approved_by_body = forms.CharField(label=_("approved by"), max_length=200)


class DataPointForm(Form):
    institution = forms.ModelChoiceField(
        label=_("institution"), queryset=Institution.objects.none()
    )
    campus = forms.ModelChoiceField(
        label=_("campus"), queryset=Campus.objects.none(), required=False
    )
    year = forms.IntegerField(label=_("year"), min_value=1990, max_value=2100)
    value = forms.FloatField(label=_("value"))
    respondents = forms.IntegerField(label=_("respondents"), min_value=0, required=False)

    def __init__(self, *args, provider_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(provider_id=provider_id)
        self.fields["campus"].queryset = Campus.objects.filter(institution__provider_id=provider_id)


class ImportForm(Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: indicator;institution;campus;year;value;respondents"),
    )


class GroupForm(Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Group.Kind.choices)
    name = forms.CharField(label=_("name"), max_length=200)
    institution = forms.ModelChoiceField(
        label=_("institution"), queryset=Institution.objects.none(), required=False
    )
    campus = forms.ModelChoiceField(
        label=_("campus"), queryset=Campus.objects.none(), required=False
    )
    chair = forms.ModelChoiceField(label=_("chair"), queryset=User.objects.none(), required=False)
    parent = forms.ModelChoiceField(
        label=_("parent group"), queryset=Group.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("tasks and working methods"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, provider_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(provider_id=provider_id)
        self.fields["campus"].queryset = Campus.objects.filter(institution__provider_id=provider_id)
        self.fields["parent"].queryset = Group.objects.filter(
            provider_id=provider_id,
            kind__in=[Group.Kind.STEERING, Group.Kind.WELFARE, Group.Kind.CAMPUS],
        )
        self.fields["chair"].queryset = (
            User.objects.filter(role_assignments__provider_id=provider_id)
            .distinct()
            .order_by("last_name", "first_name")
        )


class PlanForm(Form):
    title = forms.CharField(label=_("title"), max_length=200)
    institutions = forms.ModelMultipleChoiceField(
        label=_("institutions"), queryset=Institution.objects.none()
    )
    extra_sections = forms.CharField(
        label=_("extra sections"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One title per line, e.g. crisis plan, absence follow-up (core curricula)."),
    )
    review_interval_months = forms.IntegerField(
        label=_("review interval (months)"), min_value=1, max_value=120, initial=48
    )

    def __init__(self, *args, provider_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institutions"].queryset = Institution.objects.filter(provider_id=provider_id)

    def clean_extra_sections(self) -> list[str]:
        lines = [
            " ".join(line.split()) for line in self.cleaned_data["extra_sections"].splitlines()
        ]
        return [line for line in lines if line]


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "name", "goal", "unit", "direction", "target", "source"]


class RegionalPlanForm(Form):
    title = forms.CharField(label=_("title"), max_length=200)
    review_interval_months = forms.IntegerField(
        label=_("review interval (months)"), min_value=1, max_value=120, initial=48
    )


class ReferenceForm(Form):
    """A reference of the regional plan: a member provider's plan, or a municipal plan."""

    kind = forms.ChoiceField(label=_("kind"), choices=PlanReference.Kind.choices)
    plan = forms.ModelChoiceField(
        label=_("welfare plan of a member provider"),
        queryset=WelfarePlan.objects.none(),
        required=False,
    )
    title = forms.CharField(
        label=_("title of the municipal wellbeing plan"), max_length=300, required=False
    )
    url = forms.URLField(label=_("address of the municipal wellbeing plan"), required=False)
    shared_goals = forms.CharField(
        label=_("shared goals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One goal per line."),
    )

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["plan"].queryset = plans

    def clean_shared_goals(self) -> list[str]:
        lines = [" ".join(line.split()) for line in self.cleaned_data["shared_goals"].splitlines()]
        return [line for line in lines if line]
