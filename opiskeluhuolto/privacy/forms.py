from django import forms
from django.utils.translation import gettext
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
    cases = forms.TypedMultipleChoiceField(
        label=_("Matters withheld, when the request is answered in part"),
        help_text=_(
            "Needed when the request is answered in part under the Data Protection Act "
            "34 §: the requester gets nothing of the ticked matters through the service "
            "until you end the refusal."
        ),
        coerce=int,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    answer = forms.CharField(
        label=_("How it was answered"),
        max_length=300,
        error_messages={"required": _("Say how the request was answered.")},
    )

    def __init__(self, *args, matters=(), **kwargs):
        """`matters`: the student's welfare matters as (id, label) pairs, no confidential
        text (`matter_label`)."""
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = list(matters)


def matter_label(case) -> str:
    """A matter as the register administration picks it: its number, dates and state;
    never its subject (confidential, and not needed to tell the matters apart)."""
    opened = f"{case.opened_on.day}.{case.opened_on.month}.{case.opened_on.year}"
    return gettext("Matter no. %(number)s, opened %(opened)s (%(status)s)") % {
        "number": case.pk,
        "opened": opened,
        "status": case.get_status_display(),
    }
