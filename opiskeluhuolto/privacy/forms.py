from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DataRequest


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you ask for?"),
        choices=DataRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you ask for.")},
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("How it was answered"),
        max_length=300,
        error_messages={"required": _("Say how the request was answered.")},
    )
