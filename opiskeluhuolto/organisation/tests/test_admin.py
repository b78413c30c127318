"""The Django admin for provider admins: permitted through the group, scoped to their providers."""

import pytest
from django.urls import reverse

from opiskeluhuolto.lib import hetu
from opiskeluhuolto.organisation import actions
from opiskeluhuolto.organisation.models import Student

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_admin(cast):
    """Olli becomes the provider admin of the other provider, which has a student of its own."""
    actions.assign_role(
        cast.outsider, role="provider_admin", provider=cast.other_provider, valid_from=cast.today
    )
    born = cast.aino.date_of_birth
    actions.enrol_student(
        institution=cast.other_institution,
        first_name="Naapurin",
        last_name="Opiskelija",
        date_of_birth=born,
        hetu=hetu.make(born, 960),
    )
    return cast.outsider


def test_provider_admin_can_use_the_admin(client, cast):
    client.force_login(cast.admin)
    assert client.get(reverse("admin:organisation_student_changelist")).status_code == 200
    assert client.get(reverse("admin:organisation_student_add")).status_code == 200


def test_lists_show_only_the_admins_own_providers(client, cast, other_admin):
    client.force_login(other_admin)
    body = client.get(reverse("admin:organisation_student_changelist")).content.decode()
    assert "Naapurin" in body and "Aino" not in body
    body = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "aino" not in body and "olli" in body


def test_another_providers_row_cannot_be_opened(client, cast, other_admin):
    client.force_login(other_admin)
    r = client.get(reverse("admin:organisation_student_change", args=[cast.aino.pk]))
    assert r.status_code in (302, 404)
    assert "Aino" not in r.content.decode()


def test_a_student_cannot_be_put_into_another_providers_institution(client, cast, other_admin):
    client.force_login(other_admin)
    born = cast.aino.date_of_birth
    r = client.post(
        reverse("admin:organisation_student_add"),
        {
            "institution": cast.lukio.pk,
            "first_name": "Väärä",
            "last_name": "Paikka",
            "date_of_birth": born.isoformat(),
            "hetu": hetu.make(born, 961),
            "status": "active",
            "guardianships-TOTAL_FORMS": "0",
            "guardianships-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 200  # the form is shown again with an error
    assert not Student.objects.filter(last_name="Paikka").exists()


def test_rehtori_is_not_let_into_the_admin(client, cast):
    client.force_login(cast.rehtori)
    r = client.get(reverse("admin:index"))
    assert r.status_code == 302
