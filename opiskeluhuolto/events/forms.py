from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.annualclock.models import ClockItem
from opiskeluhuolto.lib.forms import DateInput, DateTimeInput
from opiskeluhuolto.organisation.models import Campus, Institution, StudentGroup

from .models import Campaign, Event


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "institution",
            "campuses",
            "campaign",
            "organiser",
            "audience",
            "student_group",
            "starting_year",
            "title_fi",
            "description_fi",
            "title_sv",
            "description_sv",
            "title_en",
            "description_en",
            "starts_at",
            "ends_at",
            "place",
            "remote_link",
            "registration",
            "capacity",
            "feedback",
            "clock_item",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "campuses": forms.CheckboxSelectMultiple,
            **{
                f"description_{lang}": forms.Textarea(attrs={"rows": 4})
                for lang in ("fi", "sv", "en")
            },
        }

    def __init__(self, *args, provider_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        from opiskeluhuolto.meetings.models import Group

        self.fields["institution"].queryset = Institution.objects.filter(provider_id=provider_id)
        self.fields["campuses"].queryset = Campus.objects.filter(
            institution__provider_id=provider_id
        )
        self.fields["student_group"].queryset = StudentGroup.objects.filter(
            institution__provider_id=provider_id
        )
        self.fields["campaign"].queryset = Campaign.objects.filter(provider_id=provider_id)
        self.fields["organiser"].queryset = Group.objects.filter(provider_id=provider_id)
        self.fields["clock_item"].queryset = ClockItem.objects.filter(
            type=ClockItem.Type.EVENT, clock__provider_id=provider_id
        )


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "institution",
            "campuses",
            "organiser",
            "audience",
            "name",
            "description",
            "name_sv",
            "description_sv",
            "name_en",
            "description_en",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "campuses": forms.CheckboxSelectMultiple,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in ("description", "description_sv", "description_en")
            },
        }

    def __init__(self, *args, provider_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        from opiskeluhuolto.meetings.models import Group

        self.fields["institution"].queryset = Institution.objects.filter(provider_id=provider_id)
        self.fields["campuses"].queryset = Campus.objects.filter(
            institution__provider_id=provider_id
        )
        self.fields["organiser"].queryset = Group.objects.filter(provider_id=provider_id)


class AttendanceForm(forms.Form):
    head_count = forms.IntegerField(label=_("Head count"), min_value=0, required=False)
