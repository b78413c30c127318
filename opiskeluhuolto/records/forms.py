"""Forms of the welfare register."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.cases.models import Consent
from opiskeluhuolto.lib.forms import DateInput
from opiskeluhuolto.organisation.models import Provider

from .models import Disclosure, RecordEntry

WRITABLE_KINDS = [
    (k, label)
    for k, label in RecordEntry.Kind.choices
    if k
    in (
        RecordEntry.Kind.MEETING,
        RecordEntry.Kind.INVESTIGATION,
        RecordEntry.Kind.MEASURE,
        RecordEntry.Kind.STUDENT_VIEW,
    )
]


def parse_participants(text: str) -> list[dict]:
    """One participant a line: "Name, position"."""
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, _sep, position = line.partition(",")
        rows.append({"name": name.strip(), "position": position.strip()})
    return rows


class EntryForm(forms.Form):
    """LAW.md L-20-1, L-20-3, L-20-5, L-18-3. Only what the group's aims need."""

    kind = forms.ChoiceField(label=_("Kind of entry"), choices=WRITABLE_KINDS)
    meeting_date = forms.DateField(label=_("Meeting date"), widget=DateInput(), required=False)
    participants = forms.CharField(
        label=_("Participants and their positions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One a line: name, position. For example: Kaisa Kuusela, kuraattori"),
    )
    decisions = forms.CharField(
        label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    plan = forms.CharField(
        label=_("Plan for carrying out the decisions"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    implementers = forms.CharField(
        label=_("Who carries out the decisions"), max_length=500, required=False
    )
    followers = forms.CharField(label=_("Who follows up"), max_length=500, required=False)
    follow_up_on = forms.DateField(label=_("Follow-up date"), widget=DateInput(), required=False)
    text = forms.CharField(
        label=_("Entry"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_(
            "Record only what the expert group's aims require. Therapy and health notes "
            "belong in the client or patient record, not here (§20)."
        ),
    )

    def action_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["participants"] = parse_participants(d["participants"])
        return d


class AmendForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput())
    text = forms.CharField(label=_("Correction"), widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)


class DisclosureForm(forms.Form):
    """LAW.md L-22-2: recipient, data and legal basis."""

    recipient = forms.CharField(label=_("Recipient"), max_length=200)
    data_items = forms.CharField(
        label=_("Information disclosed"), widget=forms.Textarea(attrs={"rows": 3})
    )
    basis = forms.ChoiceField(
        label=_("Legal basis"), choices=Disclosure.Basis.choices, widget=forms.RadioSelect
    )
    consent = forms.ModelChoiceField(
        label=_("Consent naming the recipient"),
        queryset=Consent.objects.none(),
        required=False,
        empty_label=_("(only when the basis is a consent)"),
    )
    statute_reference = forms.CharField(
        label=_("Section of law"),
        max_length=200,
        required=False,
        help_text=_("For example: Lastensuojelulaki 417/2007 25 §"),
    )
    recipient_provider = forms.ModelChoiceField(
        label=_("Transfer to another education provider"),
        queryset=Provider.objects.none(),
        required=False,
        empty_label=_("(not a transfer)"),
        help_text=_(
            "On a change of school the data go only on the consent to transfer to that "
            "provider (§23(3))."
        ),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_provider"].queryset = Provider.objects.exclude(
            pk=case.institution.provider_id
        )
        self.fields["consent"].queryset = Consent.objects.active().filter(
            student=case.student, kind__in=[Consent.Kind.DISCLOSURE, Consent.Kind.TRANSFER]
        )
        self.fields["consent"].label_from_instance = lambda c: (
            _("%(recipient)s (given %(date)s)")
            % {
                "recipient": c.recipient,
                "date": c.given_on.strftime("%d.%m.%Y"),
            }
        )


class RectificationForm(forms.Form):
    text = forms.CharField(
        label=_("What is wrong, and how should it read?"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class DecisionForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept: the record will be amended")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(
        label=_("Grounds of the decision"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_accepted(self):
        value = self.cleaned_data["accepted"]
        if value not in (True, False):
            raise ValidationError(_("Choose a decision."))
        return value


class StudentLogSearchForm(forms.Form):
    q = forms.CharField(label=_("Student's name"), max_length=100)


class AccessReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Findings and measures"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("For example: whose roles were ended, which memberships were asked to end."),
    )
