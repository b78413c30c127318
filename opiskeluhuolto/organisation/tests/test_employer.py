"""The employer of a role assignment (issue 20): the provider admin records on the
organisation's page that the wellbeing county employs the kuraattori it posts; audited as
a change of the role, in the app and in the administration alike."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from opiskeluhuolto import audit
from opiskeluhuolto.audit.models import AuditEvent
from opiskeluhuolto.organisation import actions
from opiskeluhuolto.organisation.models import Organisation, RoleAssignment

pytestmark = pytest.mark.django_db


def _county(cast, provider=None):
    return actions.save_organisation(
        Organisation(provider=provider or cast.provider),
        kind=Organisation.Kind.COUNTY,
        name="Testilän hyvinvointialue",
    )


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    client.force_login(user)
    return client


def test_the_admin_records_the_county_as_the_employer_on_its_page(cast):
    county = _county(cast)
    kaisa = cast.users["kuraattori"].role_assignments.get()
    url = reverse("organisation:employer_set", args=[county.pk])
    page = reverse("organisation:organisation", args=[county.pk])
    admin = _client(cast.users["admin"])
    form = admin.get(page).context["employee_form"]
    assert kaisa in form.fields["assignment"].queryset
    # Another provider's roles are no choice.
    outsider = cast.users["outsider"].role_assignments.get()
    assert outsider not in form.fields["assignment"].queryset
    response = admin.post(url, {"assignment": outsider.pk}, follow=True)
    assert "Valitse henkilö ja rooli luettelosta." in response.content.decode()
    outsider.refresh_from_db()
    assert outsider.employer is None

    assert admin.post(url, {"assignment": kaisa.pk}).status_code == 302
    kaisa.refresh_from_db()
    assert kaisa.employer == county and kaisa.employer_name == "Testilän hyvinvointialue"
    [event] = AuditEvent.objects.filter(kind=audit.Kind.ROLE_CHANGED)
    assert (event.before["employer"], event.after["employer"]) == (None, county.pk)
    assert event.actor_id == cast.users["admin"].pk and event.object_id == kaisa.pk
    text = admin.get(page).content.decode()
    assert "Henkilöstö, jonka työnantaja se on" in text and "Kaisa" in text
    # Already employed by the county: not offered again; saving it again changes nothing.
    assert kaisa not in admin.get(page).context["employee_form"].fields["assignment"].queryset
    assert not actions.set_employer(kaisa, employer=county, by=cast.users["admin"])
    assert AuditEvent.objects.filter(kind=audit.Kind.ROLE_CHANGED).count() == 1

    # Back to the provider.
    assert admin.post(url, {"assignment": kaisa.pk, "employs": "0"}).status_code == 302
    kaisa.refresh_from_db()
    assert kaisa.employer is None
    last = AuditEvent.objects.filter(kind=audit.Kind.ROLE_CHANGED).latest("pk")
    assert (last.before["employer"], last.after["employer"]) == (county.pk, None)
    # Giving back someone the county does not employ is refused.
    teacher = cast.users["teacher"].role_assignments.get()
    admin.post(url, {"assignment": teacher.pk, "employs": "0"})
    assert AuditEvent.objects.filter(kind=audit.Kind.ROLE_CHANGED).count() == 2


def test_only_the_provider_admin_sets_the_employer(cast):
    county = _county(cast)
    kaisa = cast.users["kuraattori"].role_assignments.get()
    url = reverse("organisation:employer_set", args=[county.pk])
    page = reverse("organisation:organisation", args=[county.pk])
    # The principal edits the organisation but not the roles; staff read who it employs.
    for who in ("rehtori", "kuraattori", "teacher", "external", "outsider"):
        client = _client(cast.users[who])
        assert client.post(url, {"assignment": kaisa.pk}).status_code == 404, who
        if who != "outsider":
            response = client.get(page)
            assert "employee_form" not in response.context, who
    kaisa.refresh_from_db()
    assert kaisa.employer is None
    # An organisation of another provider never employs this provider's staff.
    elsewhere = _county(cast, cast.other_provider)
    with pytest.raises(ValidationError) as refused:
        actions.set_employer(kaisa, employer=elsewhere, by=cast.users["admin"])
    assert "employer" in refused.value.error_dict
    kaisa.refresh_from_db()
    assert kaisa.employer is None


def test_the_administration_audits_a_change_of_employer(cast):
    """The role assignment's administration page audits the employer too."""
    from opiskeluhuolto.audit.tests.test_admin import _post_data

    county = _county(cast)
    assignment = RoleAssignment.objects.get(user=cast.teacher)
    client = Client()
    client.force_login(cast.admin)
    url = reverse("admin:organisation_roleassignment_change", args=[assignment.pk])
    data = _post_data(client.get(url))
    data["employer"] = county.pk
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [event] = AuditEvent.objects.filter(source="admin")
    assert event.kind == audit.Kind.ROLE_CHANGED
    assert (event.before["employer"], event.after["employer"]) == (None, county.pk)
