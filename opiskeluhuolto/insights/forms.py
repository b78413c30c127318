from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib.forms import DateInput


class DashboardFilter(forms.Form):
    """Which unit and period the dashboard shows. Only ids and a keyword: no personal data."""

    institution = forms.TypedChoiceField(
        label=_("Institution"), required=False, coerce=int, empty_value=None
    )
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[("current", _("this school year")), ("previous", _("last school year"))],
    )

    def __init__(self, data=None, *, institutions=()):
        super().__init__(data)
        self.fields["institution"].choices = [("", _("All my units"))] + [
            (i.pk, i.name) for i in institutions
        ]

    def selection(self) -> tuple[int | None, str]:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["institution"], self.cleaned_data["period"] or "current"
        return None, "current"


class ResolveTaskForm(forms.Form):
    held_on = forms.DateField(label=_("Conversation held on"), widget=DateInput())
    agreed = forms.CharField(
        label=_("What was agreed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_(
            "Briefly: what you agreed with the student (and guardian). No health or welfare "
            "details: those belong to the welfare staff."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
