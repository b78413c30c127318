"""Gathering the expert group on the case page: people found by name, role and campus,
the student's written consent naming them recorded in one go with their membership."""

import pytest
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.cases.models import Case, Consent, Referral
from opiskeluhuolto.cases.people import people_for, search

from .story import open_aino_case

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _post(cast, **overrides):
    data = {
        "kind": "participants",
        "given_by": "student",
        "how": "written",
        "given_on": cast.today.isoformat(),
        "named_members": [cast.psykologi.pk],
    }
    data.update(overrides)
    return data


def test_group_supervisor_and_own_campus_come_first(cast):
    people = people_for(cast.aino)
    assert people[0].user == cast.supervisor and people[0].is_group_supervisor
    own_campus = [p.user for p in people if p.on_own_campus]
    assert cast.nurse in own_campus
    assert people.index(next(p for p in people if p.user == cast.nurse)) < people.index(
        next(p for p in people if p.user == cast.psykologi)
    )
    # Kalle works at another institution: he cannot be named.
    assert cast.kuraattori_out not in [p.user for p in people]


def test_search_by_name_role_and_campus(cast):
    people = people_for(cast.aino)
    assert [p.user for p in search(people, q="pekka")] == [cast.psykologi]
    assert [p.user for p in search(people, role="psychologist")] == [cast.psykologi]
    assert cast.psykologi not in [p.user for p in search(people, campus="Etu-Töölö")]


def test_kuraattori_adds_a_member_with_the_written_consent_in_one_go(cast):
    case = open_aino_case(cast)
    kaisa = client_for(cast.kuraattori)
    page = kaisa.get(reverse("records:case", args=[case.pk]))
    assert reverse("cases:expert_group", args=[case.pk]) in page.text
    page = kaisa.get(reverse("cases:expert_group", args=[case.pk]), {"q": "Pekka"})
    assert page.status_code == 200 and "Pekka Psykologi" in page.text
    # The search narrowed the list of people to choose from.
    assert f'name="named_members" value="{cast.nurse.pk}"' not in page.text
    r = kaisa.post(reverse("cases:expert_group", args=[case.pk]), _post(cast))
    assert r.status_code == 302
    assert case.memberships.filter(user=cast.psykologi, ended_on__isnull=True).exists()
    consent = case.consents.get(kind=Consent.Kind.PARTICIPANTS)
    assert list(consent.named_members.all()) == [cast.psykologi]


def test_oral_consent_adds_nobody_and_says_so_next_to_the_field(cast):
    case = open_aino_case(cast)
    r = client_for(cast.kuraattori).post(
        reverse("cases:expert_group", args=[case.pk]), _post(cast, how="oral")
    )
    assert r.status_code == 200
    assert 'id="id_how_error"' in r.text
    assert not case.memberships.filter(user=cast.psykologi).exists()
    assert not case.consents.filter(kind=Consent.Kind.PARTICIPANTS).exists()


def test_choosing_nobody_is_an_error_next_to_the_list(cast):
    case = open_aino_case(cast)
    r = client_for(cast.kuraattori).post(
        reverse("cases:expert_group", args=[case.pk]), _post(cast, named_members=[])
    )
    assert r.status_code == 200 and 'id="id_named_members_error"' in r.text


def test_responsible_person_is_named_and_becomes_a_member(cast):
    referral = Referral.objects.create(
        student=cast.aino,
        institution=cast.lukio,
        channel="staff",
        referred_by=cast.teacher,
        reason="x",
        received_on=cast.today,
        with_student=True,
        guardian_notice="sent",
    )
    r = client_for(cast.kuraattori).post(
        reverse("cases:open_case", args=[referral.pk]),
        {
            "subject": "Jaksaminen",
            "background": "Opettaja on huolissaan jaksamisesta.",
            "kind": "expert_group",
            "given_by": "student",
            "how": "written",
            "given_on": cast.today.isoformat(),
            "named_members": [cast.supervisor.pk],
            "responsible": cast.kuraattori.pk,
        },
    )
    assert r.status_code == 302
    case = Case.objects.get(referral=referral)
    assert case.memberships.get(user=cast.kuraattori).is_responsible
    assert cast.kuraattori in case.consents.get().named_members.all()
