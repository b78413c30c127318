from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Campus, Institution, StudentGroup

from .models import Announcement


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = [
            "kind",
            "audience",
            "institution",
            "campus",
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

    def __init__(self, *args, provider_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        from opiskeluhuolto.meetings.models import Group

        self.fields["institution"].queryset = Institution.objects.filter(provider_id=provider_id)
        self.fields["campus"].queryset = Campus.objects.filter(institution__provider_id=provider_id)
        self.fields["student_group"].queryset = StudentGroup.objects.filter(
            institution__provider_id=provider_id
        )
        self.fields["welfare_group"].queryset = Group.objects.filter(provider_id=provider_id)


class SendForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        help_text=_("Leave empty to send now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    confirmed = forms.BooleanField(
        label=_("I have checked that nothing confidential is sent"), required=False
    )
