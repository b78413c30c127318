from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib.forms import DateInput

from .models import CalendarPeriod, SchoolYear


class SchoolYearForm(forms.ModelForm):
    class Meta:
        model = SchoolYear
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class CalendarPeriodForm(forms.ModelForm):
    class Meta:
        model = CalendarPeriod
        fields = ["kind", "name", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class StudentSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
