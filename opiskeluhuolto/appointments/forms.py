"""Forms of appointments: they check the shape of input; the actions enforce the rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Institution, Student

from .models import (
    AppointmentRequest,
    Availability,
    AvailabilityException,
    GroupWork,
    Mode,
    Service,
)
from .slots import Slot

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InstitutionChoiceMixin:
    fields: dict[str, forms.Field]  # the form's, which this mixin is mixed into

    def limit_institutions(self, institutions) -> None:
        field = self.fields["institution"]
        field.queryset = institutions
        if institutions.count() == 1:
            field.initial = institutions.first()


class HoursForm(InstitutionChoiceMixin, forms.ModelForm):
    institution = forms.ModelChoiceField(Institution.objects.none(), label=_("institution"))

    class Meta:
        model = Availability
        fields = [
            "institution",
            "kind",
            "weekday",
            "starts_at",
            "ends_at",
            "slot_minutes",
            "mode",
            "place",
            "valid_from",
            "valid_until",
        ]
        widgets = {"starts_at": TIME, "ends_at": TIME, "valid_from": DATE, "valid_until": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and start >= end:
            self.add_error("ends_at", _("The end must be after the start."))
        until, since = data.get("valid_until"), data.get("valid_from")
        if until and since and until < since:
            self.add_error("valid_until", _("The hours must not end before they start."))
        return data

    def validate_constraints(self, exclude=None):
        # The action checks these with a message next to the field.
        return None


class ExceptionForm(InstitutionChoiceMixin, forms.ModelForm):
    institution = forms.ModelChoiceField(Institution.objects.none(), label=_("institution"))

    class Meta:
        model = AvailabilityException
        fields = [
            "institution",
            "kind",
            "day",
            "starts_at",
            "ends_at",
            "slot_minutes",
            "mode",
            "place",
        ]
        widgets = {"day": DATE, "starts_at": TIME, "ends_at": TIME}
        help_texts = {
            "starts_at": _("Leave both times empty when you are away for the whole day."),
        }

    def validate_constraints(self, exclude=None):
        return None


class ContactForm(InstitutionChoiceMixin, forms.Form):
    institution = forms.ModelChoiceField(Institution.objects.none(), label=_("institution"))
    phone = forms.CharField(label=_("phone"), max_length=40)
    hours = forms.CharField(
        label=_("phone hours"),
        max_length=200,
        help_text=_("For example: Mon–Fri 8.00–9.00 and 12–13."),
    )


class StudentRequestForm(forms.Form):
    """A student's or guardian's own request; the urgency is for the professional to assess."""

    student = forms.ModelChoiceField(Student.objects.none(), label=_("child"))
    service = forms.ChoiceField(label=_("whom do you want to meet"), choices=Service.choices)
    topic = forms.ChoiceField(
        label=_("what would you like to talk about"),
        choices=[("", _("I would rather not say")), *AppointmentRequest.Topic.choices],
        required=False,
    )
    topic_text = forms.CharField(
        label=_("a few words, if you like"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("Optional. Only the welfare staff read this."),
    )
    message = forms.CharField(
        label=_("a message to the professional"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text=_("Optional. For example: could we meet on Teams, or which days suit you."),
    )

    def __init__(self, *args, children=None, **kwargs):
        super().__init__(*args, **kwargs)
        if children is None:
            del self.fields["student"]
        else:
            self.fields["student"].queryset = children


class StaffRequestForm(forms.Form):
    """A request received by phone, in person, from a guardian, another person or a referral."""

    student = forms.ModelChoiceField(Student.objects.none(), label=_("student"))
    service = forms.ChoiceField(label=_("service"), choices=Service.choices)
    requested_by = forms.ChoiceField(
        label=_("requested by"), choices=AppointmentRequest.RequestedBy.choices
    )
    requester_description = forms.CharField(
        label=_("who contacted"),
        required=False,
        max_length=200,
        help_text=_("For another person: e.g. 'a youth worker'. No identity codes."),
    )
    channel = forms.ChoiceField(label=_("channel"), choices=AppointmentRequest.Channel.choices)
    requested_at = forms.DateTimeField(
        label=_("when the request came"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )
    urgent = forms.BooleanField(label=_("urgent (my assessment)"), required=False)

    def __init__(self, *args, students=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = (
            students if students is not None else Student.objects.none()
        )

    def clean_requested_at(self) -> datetime | None:
        value = self.cleaned_data.get("requested_at")
        if value and value > timezone.now():
            raise forms.ValidationError(_("A request cannot be made in the future."))
        return value


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class UrgencyForm(VersionForm):
    urgent = forms.TypedChoiceField(
        label=_("urgency"),
        choices=[
            ("0", _("normal: by the 7th working day")),
            ("1", _("urgent: same or next working day")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


class CloseForm(VersionForm):
    reason = forms.ChoiceField(
        label=_("reason for closing"),
        choices=[("", "—"), *AppointmentRequest.CloseReason.choices],
    )


def slot_label(slot: Slot) -> str:
    start = timezone.localtime(slot.starts_at)
    end = timezone.localtime(slot.ends_at)
    return f"{start:%d.%m.%Y} {start:%H.%M}–{end:%H.%M}"


class SlotChoiceForm(forms.Form):
    """Choose one of the free times; the value is the start time in ISO form."""

    starts_at = forms.ChoiceField(label=_("time"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, slots: Sequence[Slot] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].choices = [("", "—")] + [
            (s.starts_at.isoformat(), slot_label(s)) for s in slots
        ]

    def clean_starts_at(self) -> datetime:
        return datetime.fromisoformat(self.cleaned_data["starts_at"])


class ReportForm(forms.Form):
    institution = forms.ModelChoiceField(
        Institution.objects.none(), label=_("institution"), required=False, empty_label=_("all")
    )
    months = forms.TypedChoiceField(
        label=_("period"),
        coerce=int,
        initial=12,
        required=False,
        empty_value=12,  # type: ignore[arg-type]  # stubs say str; coerce=int makes any value right
        choices=[
            (3, _("3 months")),
            (6, _("6 months")),
            (12, _("12 months")),
            (24, _("24 months")),
        ],
    )
    by = forms.ChoiceField(
        label=_("breakdown"),
        initial="institution",
        required=False,
        choices=[
            ("institution", _("institution")),
            ("campus", _("campus")),
            ("professional", _("professional")),
            ("provider", _("provider")),
        ],
    )


class MessageForm(forms.Form):
    """A short message about a request (the student, the guardian or the professional)."""

    body = forms.CharField(
        label=_("message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Only you and the welfare staff handling the request read the messages."),
    )

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["body"].help_text = _(
                "The student (or the guardian who asked) reads your answer on their request page."
            )


class MeetingForm(forms.Form):
    """How a booked meeting is held; the action checks the link of a remote meeting."""

    mode = forms.ChoiceField(
        label=_("how you meet"), choices=Mode.choices, widget=forms.RadioSelect
    )
    place = forms.CharField(
        label=_("place"),
        max_length=200,
        required=False,
        help_text=_("For a meeting in person, e.g. the room."),
    )
    meeting_link = forms.CharField(
        label=_("meeting link"),
        max_length=500,
        required=False,
        help_text=_("For a remote meeting: the address of the video meeting (e.g. Teams)."),
    )


EMPLOYER_PROVIDER = "provider"


class VisitStatisticsForm(forms.Form):
    """The institution and the calendar year of the visit statistics."""

    institution = forms.ModelChoiceField(Institution.objects.none(), label=_("institution"))
    year = forms.TypedChoiceField(label=_("year"), coerce=int)
    #: "" everyone's work; "provider" the provider's own staff; an organisation's id.
    employer = forms.ChoiceField(label=_("employer"), required=False)

    def __init__(self, *args, institutions, years, employers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["institution"].empty_label = None
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["employer"].choices = [
            ("", _("all employers")),
            (EMPLOYER_PROVIDER, _("the provider's own staff")),
            *((str(o.pk), o.name) for o in employers),
        ]


class GroupWorkForm(forms.ModelForm):
    """One session of group or communal work; the service is the professional's own."""

    class Meta:
        model = GroupWork
        fields = ["service", "kind", "day", "minutes", "participants", "campus"]
        widgets = {"day": DATE}
        help_texts = {"participants": _("The number of students taking part; no names.")}

    def __init__(self, *args, services=(), campuses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [c for c in Service.choices if c[0] in services]
        self.fields["campus"].queryset = campuses
        self.fields["day"].initial = timezone.localdate()

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Record work already done: the date is in the future."))
        return day

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        if not 5 <= minutes <= 600:
            raise forms.ValidationError(_("Give the duration in minutes (5–600)."))
        return minutes
