"""Django admin changes of role assignments and guardianships write audit events too."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from opiskeluhuolto import audit
from opiskeluhuolto.audit.models import AuditEvent
from opiskeluhuolto.organisation.models import Guardianship, RoleAssignment

pytestmark = pytest.mark.django_db


def _post_data(response) -> dict:
    """The admin change form's current values, as the browser would send them back."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, date):
            value = value.isoformat()
        data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value not in (None, False):
                    data[sub.add_prefix(name)] = value
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.admin)
    return client


def _events(**filters):
    return list(AuditEvent.objects.filter(source="admin", **filters).order_by("pk"))


def test_changing_a_role_assignment_in_the_admin(admin_client, cast):
    assignment = RoleAssignment.objects.get(user=cast.teacher)
    url = reverse("admin:organisation_roleassignment_change", args=[assignment.pk])
    data = _post_data(admin_client.get(url))
    data["valid_until"] = "2030-07-31"
    data["role"] = "special_needs_teacher"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [event] = _events()
    assert event.kind == audit.Kind.ROLE_CHANGED
    assert (event.actor_id, event.provider_id_ref) == (cast.admin.pk, cast.provider.pk)
    assert (event.before["role"], event.after["role"]) == ("teacher", "special_needs_teacher")
    assert (event.before["valid_until"], event.after["valid_until"]) == (None, "2030-07-31")
    assert event.object_id == assignment.pk


def test_saving_an_unchanged_role_assignment_writes_nothing(admin_client, cast):
    assignment = RoleAssignment.objects.get(user=cast.teacher)
    url = reverse("admin:organisation_roleassignment_change", args=[assignment.pk])
    assert admin_client.post(url, _post_data(admin_client.get(url))).status_code == 302
    assert _events() == []


def test_adding_and_deleting_a_role_assignment_in_the_admin(admin_client, cast):
    add = reverse("admin:organisation_roleassignment_add")
    response = admin_client.post(
        add,
        {
            "user": cast.psykologi.pk,
            "role": "study_counsellor",
            "provider": cast.provider.pk,
            "institution": cast.lukio.pk,
            "valid_from": "2026-08-01",
        },
    )
    assert response.status_code == 302
    [added] = _events()
    assert added.kind == audit.Kind.ROLE_ADDED and added.before is None
    assert added.after["role"] == "study_counsellor"
    delete = reverse("admin:organisation_roleassignment_delete", args=[added.object_id])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    removed = _events()[-1]
    assert removed.kind == audit.Kind.ROLE_REMOVED
    assert removed.before == added.after and removed.after is None


def test_guardianships_in_the_student_admin(admin_client, cast):
    url = reverse("admin:organisation_student_change", args=[cast.onni.pk])
    data = _post_data(admin_client.get(url))
    prefix = "guardianships"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    # Remove Liisa and add Matti as Onni's guardians.
    data[f"{prefix}-0-DELETE"] = "on"
    data[f"{prefix}-{total}-guardian"] = cast.guardian.pk
    data[f"{prefix}-{total}-student"] = cast.onni.pk
    data[f"{prefix}-TOTAL_FORMS"] = total + 1
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["inline_admin_formsets"][0].formset.forms
    ]
    assert list(
        Guardianship.objects.filter(student=cast.onni).values_list("guardian", flat=True)
    ) == [cast.guardian.pk]
    events = {e.kind: e for e in _events()}
    assert set(events) == {audit.Kind.GUARDIANSHIP_ADDED, audit.Kind.GUARDIANSHIP_REMOVED}
    assert events[audit.Kind.GUARDIANSHIP_REMOVED].before == {
        "student": cast.onni.pk,
        "guardian": cast.guardian_onni.pk,
    }
    assert events[audit.Kind.GUARDIANSHIP_ADDED].after["guardian"] == cast.guardian.pk
    assert all(e.student_id_ref == cast.onni.pk for e in events.values())


def test_deleting_a_person_writes_the_removal_of_their_roles_and_guardianships(admin_client, cast):
    from opiskeluhuolto.organisation.models import Guardianship, RoleAssignment

    guardian = cast.onni.guardianships.first().guardian
    roles = RoleAssignment.objects.filter(user=guardian).count()
    links = Guardianship.objects.filter(guardian=guardian).count()
    assert links >= 1
    delete = reverse("admin:accounts_user_delete", args=[guardian.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    events = _events()
    assert [e.kind for e in events].count(audit.Kind.GUARDIANSHIP_REMOVED) == links
    assert [e.kind for e in events].count(audit.Kind.ROLE_REMOVED) == roles
    assert all(e.after is None for e in events)
