"""Forms of the procedures pages: a procedure, a version's text, a drill or safety walk."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib.forms import DateInput

from .configuring import ADAPTS_ERROR
from .models import Audience, Kind, SafetyRecord
from .safety import SAFETY_REQUIRED


def parse_steps(text: str) -> list[dict]:
    """One step a line: "what is done | who is responsible" (the role is optional)."""
    steps = []
    for line in (text or "").splitlines():
        what, _sep, role = line.partition("|")
        if what.strip():
            steps.append({"text": what.strip(), "role": role.strip()})
    return steps


def steps_text(steps: list[dict]) -> str:
    return "\n".join(
        f"{s.get('text', '')} | {s['role']}" if s.get("role") else s.get("text", "")
        for s in steps or []
    )


#: The languages a version's text may be translated to; Finnish is the text itself.
OTHER_LANGUAGES = (("sv", _("Swedish")), ("en", _("English")))


class VersionForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    steps = forms.CharField(
        label=_("Steps"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One step a line: what is done | who is responsible."),
        max_length=20000,
    )
    change_note = forms.CharField(
        label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    review_on = forms.DateField(label=_("Review by"), widget=DateInput())

    def __init__(self, *args, first: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in OTHER_LANGUAGES:
            # Optional: a reader of another language gets the Finnish text where it is empty.
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title in %(language)s") % {"language": name},
                required=False,
                max_length=200,
            )
            self.fields[f"summary_{code}"] = forms.CharField(
                label=_("Summary in %(language)s") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"steps_{code}"] = forms.CharField(
                label=_("Steps in %(language)s") % {"language": name},
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_("Optional; the same steps as in Finnish, in the same order."),
            )
        if "change_note" in self.fields and not first:
            # Every version after the first says what changed (actions._check_text);
            # marked required like the site's other required fields.
            note = self.fields["change_note"]
            note.required = True
            note.error_messages["required"] = _("Say what changed from the previous version.")

    def cleaned_steps(self) -> list[dict]:
        return parse_steps(self.cleaned_data["steps"])

    def cleaned_translations(self) -> dict:
        """{"sv": {"title", "summary", "steps"}, ...} with only what was written."""
        out = {}
        for code, _name in OTHER_LANGUAGES:
            text = {
                "title": self.cleaned_data.get(f"title_{code}", "").strip(),
                "summary": self.cleaned_data.get(f"summary_{code}", "").strip(),
                "steps": parse_steps(self.cleaned_data.get(f"steps_{code}", "")),
            }
            text = {key: value for key, value in text.items() if value}
            if text:
                out[code] = text
        return out


def translations_initial(translations: dict) -> dict:
    """A version's translations as the form's initial values."""
    initial = {}
    for code, _name in OTHER_LANGUAGES:
        text = (translations or {}).get(code) or {}
        initial[f"title_{code}"] = text.get("title", "")
        initial[f"summary_{code}"] = text.get("summary", "")
        initial[f"steps_{code}"] = steps_text(text.get("steps") or [])
    return initial


class ProcedureForm(VersionForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    unit = forms.ChoiceField(label=_("Applies to"))
    owner_group = forms.TypedChoiceField(label=_("Owner group"), coerce=int)
    audience = forms.MultipleChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=["staff"],
    )
    field_order = ["title", "kind", "unit", "owner_group", "audience", "summary", "steps"]

    def __init__(self, *args, units=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = list(units)
        self.fields["owner_group"].choices = list(groups)
        del self.fields["change_note"]


class SettingsForm(forms.Form):
    """A procedure's settings; the choices come from `configuring` (the view passes them)."""

    adapts = forms.TypedChoiceField(
        label=_("Adapts the procedure"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_(
            "A campus or institution version may adapt the procedure of the same kind of "
            "the institution or the provider."
        ),
        error_messages={"invalid_choice": ADAPTS_ERROR},
    )
    audience = forms.MultipleChoiceField(
        label=_("Audience"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    followers = forms.TypedMultipleChoiceField(
        label=_("Groups that follow it"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Publishing a new version puts its review on their next agenda."),
    )
    must_know_roles = forms.MultipleChoiceField(
        label=_("Roles that must confirm reading it"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible = forms.TypedChoiceField(
        label=_("Responsible person for incidents"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Without one, an incident goes to the campus's kuraattori or principal."),
    )
    follow_up_days = forms.IntegerField(
        label=_("Days to follow an incident up"), min_value=1, max_value=365
    )
    review_remind_days = forms.IntegerField(
        label=_("Remind the owner group's chair this many days before the review date"),
        min_value=1,
        max_value=365,
    )
    lock = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, adaptable=(), groups=(), roles=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adapts"].choices = [("", "—"), *adaptable]
        self.fields["followers"].choices = list(groups)
        self.fields["must_know_roles"].choices = list(roles)
        self.fields["responsible"].choices = [("", "—"), *people]


class SafetyRecordForm(forms.Form):
    """Nothing is chosen for the person: an untouched form is refused field by field
    (`safety.SAFETY_REQUIRED`), not saved as a lockdown drill held today."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", "—"), *SafetyRecord.Kind.choices],
        error_messages={"required": SAFETY_REQUIRED["kind"]},
    )
    campus = forms.TypedChoiceField(
        label=_("Campus"),
        coerce=int,
        empty_value=None,
        error_messages={"required": SAFETY_REQUIRED["campus"]},
    )
    held_on = forms.DateField(
        label=_("Held on"),
        widget=DateInput(),
        error_messages={"required": SAFETY_REQUIRED["held_on"]},
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=0, max_value=1440, initial=0
    )
    groups = forms.CharField(label=_("Groups that took part"), max_length=300, required=False)
    findings = forms.CharField(
        label=_("What was found"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    clock_item = forms.TypedChoiceField(
        label=_("Annual clock item it fulfils"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, campuses=(), clock_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campus"].choices = [("", "—"), *campuses]
        self.fields["clock_item"].choices = [("", "—"), *clock_items]


class CorrectiveActionForm(forms.Form):
    description = forms.CharField(label=_("What is to be done"), max_length=300)
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    due_on = forms.DateField(label=_("Due"), widget=DateInput())

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = list(owners)
