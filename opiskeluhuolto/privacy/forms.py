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
    """The answer and its outcome (LAW.md L-GDPR-5). The ground and the reason are needed
    when something is withheld; `actions.answer_request` checks them (and the form shows
    its errors at their fields), so the rule is written once."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=DataRequest.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome of the request.")},
    )
    ground = forms.ChoiceField(
        label=_("Legal ground, when data is withheld"),
        choices=[("", "–"), *DataRequest.Ground.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason, as told to the requester"),
        help_text=_(
            "Needed when data is withheld. Shown to the requester (GDPR Art 12(4)): the "
            "reason, without repeating what is withheld."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    answer = forms.CharField(
        label=_("How it was answered"),
        max_length=300,
        error_messages={"required": _("Say how the request was answered.")},
    )
