from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EventFilterForm(forms.Form):
    """Filters of the audit trail page and its export. Only opaque ids enter the address."""

    provider = forms.TypedChoiceField(label=_("Provider"), coerce=int, required=False)
    kind = forms.ChoiceField(label=_("Change"), required=False)
    actor = forms.TypedChoiceField(label=_("Who"), coerce=int, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    student = forms.IntegerField(
        label=_("Student number"),
        required=False,
        min_value=1,
        max_value=2**31 - 1,  # the column's range: a larger number is an error, not a 500
        help_text=_("Choose a student's name in the list to see only their events."),
    )

    def __init__(self, data, *, providers, actors):
        super().__init__(data)
        everyone = [("", _("All"))]
        self.fields["provider"].choices = everyone + list(providers)
        self.fields["kind"].choices = everyone + list(AuditEvent.Kind.choices)
        self.fields["actor"].choices = everyone + list(actors)
        if len(providers) < 2:
            del self.fields["provider"]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date must not be before the start date."))
        return data

    def filter(self, events):
        data = self.cleaned_data
        if data.get("provider"):
            events = events.filter(provider_id_ref=data["provider"])
        if data.get("kind"):
            events = events.filter(kind=data["kind"])
        if data.get("actor"):
            events = events.filter(actor_id=data["actor"])
        if data.get("since"):
            events = events.filter(at__date__gte=data["since"])
        if data.get("until"):
            events = events.filter(at__date__lte=data["until"])
        if data.get("student"):
            events = events.filter(student_id_ref=data["student"])
        return events
