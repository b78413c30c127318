from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib.forms import DateInput

from .models import (
    CalendarPeriod,
    Campus,
    Organisation,
    OrganisationAgreement,
    OrganisationContact,
    OrganisationService,
    RoleAssignment,
    SchoolYear,
)


class SchoolYearForm(forms.ModelForm):
    class Meta:
        model = SchoolYear
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class CalendarPeriodForm(forms.ModelForm):
    class Meta:
        model = CalendarPeriod
        fields = ["kind", "name", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class StudentSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)


class OrganisationForm(forms.ModelForm):
    """An organisation's own fields; `campuses` offers the provider's campuses only."""

    class Meta:
        model = Organisation
        fields = ["kind", "name", "wellbeing_county", "description", "website", "campuses"]
        widgets = {"campuses": forms.CheckboxSelectMultiple()}

    def __init__(self, *args, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campuses"].queryset = Campus.objects.filter(
            institution__provider=provider
        ).select_related("institution")
        self.fields["campuses"].label_from_instance = lambda c: f"{c.institution.name}: {c.name}"


class ContactForm(forms.ModelForm):
    class Meta:
        model = OrganisationContact
        fields = ["name", "role", "phone", "email"]


class ServiceForm(forms.ModelForm):
    class Meta:
        model = OrganisationService
        fields = ["name", "description", "audience", "hours", "public"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class AgreementForm(forms.ModelForm):
    class Meta:
        model = OrganisationAgreement
        fields = ["starts_on", "ends_on", "scope"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "scope": forms.Textarea(attrs={"rows": 3}),
        }


class EmployeeForm(forms.Form):
    """A role assignment of the provider whose employer the organisation is (or is no
    longer): the choices are given by the view, only the provider's current roles."""

    assignment = forms.ModelChoiceField(
        label=_("person and role"), queryset=RoleAssignment.objects.none()
    )

    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignment"]
        field.queryset = assignments
        field.label_from_instance = lambda a: (
            f"{a.user.display_name} – {a.get_role_display()} – {a.unit}"
        )
