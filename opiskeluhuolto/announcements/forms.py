from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.access import communication
from opiskeluhuolto.lib.forms import DateTimeInput
from opiskeluhuolto.organisation.models import Campus, StudentGroup

from .models import Announcement


class AnnouncementForm(forms.ModelForm):
    """The draft. The campuses offered are those of the institutions the writer writes
    for (`access.communication`); `actions.save_draft` checks they are the chosen
    institution's."""

    campuses = forms.ModelMultipleChoiceField(
        label=_("Campuses"),
        queryset=Campus.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One or more campuses of the institution; none chosen: every campus."),
    )

    class Meta:
        model = Announcement
        fields = [
            "kind",
            "audience",
            "institution",
            "student_group",
            "starting_year",
            "welfare_group",
            "title_fi",
            "body_fi",
            "title_sv",
            "body_sv",
            "title_en",
            "body_en",
            "is_public",
        ]
        widgets = {f"body_{lang}": forms.Textarea(attrs={"rows": 8}) for lang in ("fi", "sv", "en")}

    def __init__(self, *args, provider_id: int, user, **kwargs):
        super().__init__(*args, **kwargs)
        from opiskeluhuolto.meetings.models import Group

        self.fields["institution"].queryset = communication.institutions_written_to_by(
            user, provider_id
        )
        self.fields["campuses"].queryset = (
            communication.campuses_written_to_by(user, provider_id)
            .select_related("institution")
            .order_by("institution__name", "name")
        )
        self.fields["student_group"].queryset = StudentGroup.objects.filter(
            institution__provider_id=provider_id
        )
        self.fields["welfare_group"].queryset = Group.objects.filter(provider_id=provider_id)
        campuses = self.fields["campuses"]
        if len({c.institution_id for c in campuses.queryset}) > 1:
            campuses.label_from_instance = lambda c: f"{c.name} ({c.institution.name})"
        if self.instance.pk:
            self.initial["campuses"] = self.instance.campus_ids()
        self.order_fields(["kind", "audience", "institution", "campuses"])


class SendForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        help_text=_("Leave empty to send now."),
        widget=DateTimeInput(),
    )
    confirmed = forms.BooleanField(
        label=_("I have checked that nothing confidential is sent"), required=False
    )
