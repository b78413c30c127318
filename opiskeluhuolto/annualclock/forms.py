from __future__ import annotations

import re

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Institution, StudentGroup

from .models import Clock, ClockItem

DATE_RE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.?\s*$")
#: What a date picker (`<input type="date">`) sends: only its day and month are kept.
ISO_RE = re.compile(r"^\s*\d{4}-(\d{2})-(\d{2})\s*$")

#: The fields each recurrence kind uses; the form shows them in one fieldset per kind, and
#: the page's script shows only the chosen kind's (without script every fieldset shows).
KIND_FIELDS = {
    "date": ("date",),
    "weeks": ("first_week", "last_week"),
    "months": ("first_month", "last_month"),
    "term": ("term",),
}


class DateInput(forms.DateInput):
    input_type = "date"


def _groups_of(provider_id: int):
    """The welfare groups of the provider that may own or follow a clock.

    The group model is the one the clock's own relations name (`meetings.Group`): this app
    imports no code of `meetings`, which depends on it (meetings → annualclock)."""
    group_model = Clock._meta.get_field("groups").related_model
    return group_model.objects.of_provider(provider_id)


class ClockItemForm(forms.ModelForm):
    """One form for every recurrence kind; the fields not used by the kind are ignored."""

    date = forms.CharField(
        label=_("date"),
        required=False,
        max_length=10,
        widget=DateInput(),
        help_text=_("The item recurs on this day and month every year."),
    )

    class Meta:
        model = ClockItem
        fields = [
            "title",
            "title_sv",
            "title_en",
            "type",
            "kind",
            "date",
            "first_week",
            "last_week",
            "first_month",
            "last_month",
            "term",
            "every_years",
            "anchor_year",
            "owner_group",
            "audience",
            "community",
            "community_group",
            "results_due",
            "note",
        ]

    def __init__(self, *args, provider_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_group"].queryset = _groups_of(provider_id)
        self.fields["community_group"].queryset = StudentGroup.objects.filter(
            institution__provider_id=provider_id
        )
        self.fields["date"].label = capfirst(self.fields["date"].label)
        if self.instance.pk and self.instance.kind == "date" and self.instance.day:
            # The picker needs a whole date: the day and month in a year that has 29.2.
            self.initial["date"] = f"2028-{self.instance.month:02d}-{self.instance.day:02d}"

    def kind_fieldsets(self) -> list[tuple[str, str, list]]:
        """(kind, label, bound fields) per recurrence kind, in the order of the choices."""
        labels = dict(self.fields["kind"].choices)
        return [
            (kind, labels.get(kind, kind), [self[name] for name in names])
            for kind, names in KIND_FIELDS.items()
        ]

    def other_fields(self) -> list:
        """The visible fields outside the recurrence fieldsets."""
        in_sets = {name for names in KIND_FIELDS.values() for name in names}
        return [f for f in self.visible_fields() if f.name not in in_sets]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == "date":
            raw = data.get("date") or ""
            m = DATE_RE.match(raw)
            iso = ISO_RE.match(raw)
            if m:
                data["day"], data["month"] = int(m.group(1)), int(m.group(2))
            elif iso:
                data["day"], data["month"] = int(iso.group(2)), int(iso.group(1))
            else:
                self.add_error("date", _("Enter the date as day and month, e.g. 11.2."))
        unused = {
            "date": ("first_week", "last_week", "first_month", "last_month", "term"),
            "weeks": ("first_month", "last_month", "term"),
            "months": ("first_week", "last_week", "term"),
            "term": ("first_week", "last_week", "first_month", "last_month"),
        }.get(kind, ())
        for name in unused:
            data[name] = "" if name == "term" else None
        if kind != "date":
            data["day"] = data["month"] = None
        return data

    def action_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("date", None)
        return data

    def _post_clean(self):
        # The action validates the model (with translated recurrence messages); nothing here.
        pass


class ClockForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Clock.Kind.choices)
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("Leave empty for a clock of the whole provider."),
    )
    groups: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Groups that follow the clock"), queryset=None, required=False
    )

    def __init__(self, *args, provider_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(provider_id=provider_id)
        self.fields["groups"].queryset = _groups_of(provider_id)
