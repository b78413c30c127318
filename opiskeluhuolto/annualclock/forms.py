from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Institution, StudentGroup

from .models import Clock, ClockItem

DATE_RE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.?\s*$")


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
        max_length=6,
        help_text=_("Day and month, e.g. 11.2."),
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
        if self.instance.pk and self.instance.kind == "date" and self.instance.day:
            self.initial["date"] = f"{self.instance.day}.{self.instance.month}."

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == "date":
            m = DATE_RE.match(data.get("date") or "")
            if not m:
                self.add_error("date", _("Enter the date as day and month, e.g. 11.2."))
            else:
                data["day"], data["month"] = int(m.group(1)), int(m.group(2))
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
