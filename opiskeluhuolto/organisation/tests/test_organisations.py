"""Organisations around the school (issue 20): who edits them, what students see."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from opiskeluhuolto.access import for_user
from opiskeluhuolto.meetings.models import Group, Membership
from opiskeluhuolto.organisation import actions
from opiskeluhuolto.organisation.models import (
    Campus,
    Organisation,
    OrganisationAgreement,
    OrganisationService,
)
from opiskeluhuolto.organisation.partners import public_services


def _youth_work(cast, **extra):
    org = actions.save_organisation(
        Organisation(provider=cast.provider),
        kind=Organisation.Kind.YOUTH_WORK,
        name="Testilän nuorisopalvelut",
        campuses=[cast.lukio_campus],
        **extra,
    )
    actions.save_service(
        OrganisationService(organisation=org),
        name="Koulunuorisotyö",
        hours="tiistaisin 12–15",
        audience="kaikki opiskelijat",
    )
    actions.save_service(
        OrganisationService(organisation=org), name="Verkostopalaveri", public=False
    )
    return org


def test_public_services_are_those_of_the_campus(cast):
    _youth_work(cast)
    assert [s.name for s in public_services(cast.lukio, cast.lukio_campus)] == ["Koulunuorisotyö"]
    assert not public_services(cast.amis, cast.amis_campus).exists()
    other = Campus.objects.create(institution=cast.lukio, name="Toinen")
    assert not public_services(cast.lukio, other).exists()
    # Without a campus recorded: the services of every campus of the institution.
    assert public_services(cast.lukio).count() == 1


def test_student_and_guardian_see_the_service_hours_at_home(client, cast):
    _youth_work(cast)
    for who in ("student", "guardian"):
        client.force_login(cast.users[who])
        page = client.get(reverse("front:home")).content.decode()
        assert "Koulunuorisotyö" in page and "tiistaisin 12–15" in page, who
        assert "Verkostopalaveri" not in page
    client.force_login(cast.users["adult"])  # Eero studies at the amis: none there
    assert "Koulunuorisotyö" not in client.get(reverse("front:home")).content.decode()


def test_the_public_welfare_page_lists_the_services_by_campus(client, cast):
    _youth_work(cast)
    page = client.get(reverse("appointments:public_page", args=[cast.lukio.slug]))
    text = page.content.decode()
    assert "Koulunuorisotyö" in text and "Etu-Töölö" in text
    assert "Verkostopalaveri" not in text


def test_who_edits_the_register(cast):
    org = _youth_work(cast)
    assert for_user(cast.admin).manage_organisation(org)
    assert for_user(cast.rehtori).manage_organisation(org)
    for who in ("kuraattori", "teacher", "external", "outsider", "student"):
        assert not for_user(cast.users[who]).manage_organisation(org), who
    assert for_user(cast.external).view_organisation(org)
    assert not for_user(cast.outsider).view_organisation(org)


def test_the_steering_groups_chair_edits_the_register(cast):
    org = _youth_work(cast)
    group = Group.objects.create(
        provider=cast.provider, kind=Group.Kind.STEERING, name="Ohjausryhmä"
    )
    assert not for_user(cast.kuraattori).manage_organisation(org)
    Membership.objects.create(group=group, user=cast.kuraattori, role=Membership.Role.SECRETARY)
    assert for_user(cast.kuraattori, cast.today).manage_organisation(org)
    # A campus group's chair does not.
    campus_group = Group.objects.create(
        provider=cast.provider,
        kind=Group.Kind.CAMPUS,
        institution=cast.lukio,
        campus=cast.lukio_campus,
        name="Kampusryhmä",
    )
    Membership.objects.create(group=campus_group, user=cast.teacher, role=Membership.Role.CHAIR)
    assert not for_user(cast.teacher, cast.today).manage_organisation(org)


def test_the_principal_adds_a_contact_service_and_agreement(client, cast):
    org = _youth_work(cast)
    client.force_login(cast.rehtori)
    r = client.post(
        reverse("organisation:contact_add", args=[org.pk]),
        {"contact-name": "Nea Nuorisotyö", "contact-role": "nuorisotyöntekijä"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("organisation:agreement_add", args=[org.pk]),
        {"agreement-starts_on": "1.1.2026", "agreement-ends_on": "", "agreement-scope": "Kampus"},
    )
    assert r.status_code == 302, r.content.decode()
    assert org.contacts.get().role == "nuorisotyöntekijä"
    assert org.agreements.get().provider == cast.provider
    page = client.get(reverse("organisation:organisation", args=[org.pk])).content.decode()
    assert "Nea Nuorisotyö" in page and "Koulunuorisotyö" in page


def test_campuses_of_another_provider_are_refused(cast):
    other = Campus.objects.create(institution=cast.other_institution, name="Naapuri")
    with pytest.raises(ValidationError):
        actions.save_organisation(
            Organisation(provider=cast.provider), kind="ngo", name="Järjestö", campuses=[other]
        )


def test_an_agreement_ends_after_it_starts(cast):
    org = _youth_work(cast)
    with pytest.raises(ValidationError):
        actions.add_agreement(org, starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1), scope="x")
    assert not OrganisationAgreement.objects.exists()
