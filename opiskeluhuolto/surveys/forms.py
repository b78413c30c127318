"""Forms of the survey builder: errors next to the field in the user's language."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.annualclock.models import ClockItem
from opiskeluhuolto.meetings.models import Group
from opiskeluhuolto.organisation.models import Campus, StudentGroup

from . import library
from .models import Question, Survey

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NewSurveyForm(forms.Form):
    group = forms.ModelChoiceField(queryset=Group.objects.none(), label=_("owner group"))
    template = forms.ChoiceField(label=_("template"), required=False)
    title = forms.CharField(
        label=_("title (Finnish)"), required=False, max_length=200,
        help_text=_("Leave empty to use the template's title."),
    )  # fmt: skip
    audience = forms.ChoiceField(label=_("audience"), choices=Survey.Audience.choices[:3])
    campus = forms.ModelChoiceField(
        queryset=Campus.objects.none(), required=False, label=_("campus")
    )
    student_group = forms.ModelChoiceField(
        queryset=StudentGroup.objects.none(), required=False, label=_("student group")
    )
    starting_year = forms.IntegerField(
        label=_("starting year"), required=False, min_value=2000, max_value=2099,
        help_text=_("Only students (or their guardians) of groups that started in this year."),
    )  # fmt: skip
    is_anonymous = forms.BooleanField(label=_("anonymous"), required=False, initial=True)
    clock_item = forms.ModelChoiceField(
        queryset=ClockItem.objects.none(), required=False, label=_("annual clock item"),
        help_text=_(
            "The item's next occurrence gives the dates left empty below, and its "
            "“results due” the release date."
        ),
    )  # fmt: skip
    opens_on = forms.DateField(label=_("opens on"), required=False, widget=DATE)
    closes_on = forms.DateField(label=_("closes on"), required=False, widget=DATE)
    results_on = forms.DateField(label=_("results released on"), required=False, widget=DATE)

    def __init__(self, *args, groups, clock_items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["clock_item"].queryset = (
            clock_items if clock_items is not None else ClockItem.objects.none()
        )
        self.fields["clock_item"].label_from_instance = lambda i: f"{i.clock}: {i}"
        self.fields["template"].choices = [("", _("from scratch")), *library.names()]
        institutions = {g.institution_id for g in groups if g.institution_id}
        providers = {g.provider_id for g in groups}
        self.fields["campus"].queryset = (
            Campus.objects.filter(institution__provider_id__in=providers).filter(
                institution_id__in=institutions
            )
            if institutions
            else Campus.objects.none()
        )
        self.fields["student_group"].queryset = StudentGroup.objects.filter(
            institution_id__in=institutions
        )

    def clean(self):
        data = super().clean()
        if not data.get("template") and not (data.get("title") or "").strip():
            self.add_error("title", _("Give the survey a title or choose a template."))
        item, group = data.get("clock_item"), data.get("group")
        if item is not None and group is not None and item.clock.provider_id != group.provider_id:
            self.add_error("clock_item", _("The clock item is of another provider's clock."))
        if item is None:
            for name in ("opens_on", "closes_on"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Give the date or choose an annual clock item."))
        return data


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Question.Kind.choices)
    text_fi = forms.CharField(label=_("question in Finnish"), max_length=500)
    text_sv = forms.CharField(label=_("question in Swedish"), max_length=500, required=False)
    text_en = forms.CharField(label=_("question in English"), max_length=500, required=False)
    options = forms.CharField(
        label=_("options"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One option a line: Finnish | Swedish | English."),
    )  # fmt: skip
    required = forms.BooleanField(label=_("required"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        options = []
        for i, line in enumerate((data.get("options") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + ["", ""]
            options.append({"value": i, "fi": parts[0], "sv": parts[1], "en": parts[2]})
        data["option_list"] = options
        return data


class ReaderChoice(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}, {obj.title}" if obj.title else obj.display_name


class ResultReadersForm(forms.Form):
    """Who else reads the released results: the choices are the rule's
    (`access.surveys.result_reader_choices`), a person outside them is a form error."""

    shared_with = ReaderChoice(
        queryset=User.objects.none(), required=False, label=_("results also shown to"),
        error_messages={"invalid_choice": _("Only staff of the survey's provider can be named.")},
        help_text=_("Staff of the provider who may read the results once they are released."),
    )  # fmt: skip

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = choices


class RescheduleForm(forms.Form):
    opens_on = forms.DateField(label=_("opens on"), widget=DATE)
    closes_on = forms.DateField(label=_("closes on"), widget=DATE)
    results_on = forms.DateField(label=_("results released on"), widget=DATE)
