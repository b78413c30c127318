from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib.forms import DateInput, TimeInput

from .models import ServiceHours, Space, Visit, Weekday


class BookingForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    starts = forms.TimeField(label=_("Starts"), widget=TimeInput())
    ends = forms.TimeField(label=_("Ends"), widget=TimeInput())
    group: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("For a group"),
        queryset=None,
        required=False,
        empty_label=_("— for myself —"),
        help_text=_("Book in the name of a group you are a member of."),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups

    def times(self) -> tuple[datetime, datetime]:
        day = self.cleaned_data["day"]
        tz = timezone.get_current_timezone()
        return (
            timezone.make_aware(datetime.combine(day, self.cleaned_data["starts"]), tz),
            timezone.make_aware(datetime.combine(day, self.cleaned_data["ends"]), tz),
        )


class VisitForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Visitors"), choices=Visit.Kind.choices)
    count = forms.IntegerField(label=_("Head count"), min_value=0, max_value=100000)


class ServiceHoursForm(forms.ModelForm):
    class Meta:
        model = ServiceHours
        fields = ["organisation", "service", "weekday", "starts_at", "ends_at", "public"]
        widgets = {
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
        }


class OpeningHoursForm(forms.ModelForm):
    """The space's opening hours (`actions.set_opening_hours`)."""

    open_weekdays = forms.TypedMultipleChoiceField(
        label=_("Open on"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Space
        fields = ["open_weekdays", "opens_at", "closes_at"]
        widgets = {
            "opens_at": TimeInput(),
            "closes_at": TimeInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["open_weekdays"] = self.instance.weekdays()
