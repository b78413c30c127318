"""The student names a further member of her expert group herself (issue 19): the
consequences in plain words, her electronic consent naming the person, membership in the
same step, errors next to the field, nobody else may do it for her on this page."""

import pytest
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.cases.models import Consent

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_student_agrees_to_the_psychologist_and_he_joins(cast, case):
    url = reverse("cases:own_consent", args=[case.pk])
    aino = client_for(cast.student)
    page = aino.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    # Plain Finnish: what follows, and that she can withdraw.
    assert "Voit perua suostumuksesi milloin tahansa" in body
    assert cast.psykologi.display_name in body
    # Current members are not offered again.
    assert f'value="{cast.kuraattori.pk}"' not in body
    assert (
        client_for(cast.psykologi).get(reverse("records:case", args=[case.pk])).status_code == 404
    )

    r = aino.post(url, {"member": cast.psykologi.pk, "understood": "on"})
    assert r.status_code == 302
    consent = case.consents.exclude(kind="expert_group").get()
    assert consent.kind == Consent.Kind.PARTICIPANTS and consent.given_by == "student"
    assert consent.how == Consent.How.ELECTRONIC and consent.recorded_by == cast.student
    assert list(consent.named_members.all()) == [cast.psykologi]
    assert case.memberships.filter(user=cast.psykologi, ended_on__isnull=True).exists()
    assert (
        client_for(cast.psykologi).get(reverse("records:case", args=[case.pk])).status_code == 200
    )
    # Her case page shows the way to do it again.
    own = aino.get(reverse("records:case", args=[case.pk])).content.decode()
    assert reverse("cases:own_consent", args=[case.pk]) in own


def test_without_the_tick_nothing_is_recorded_and_the_error_is_next_to_the_field(cast, case):
    url = reverse("cases:own_consent", args=[case.pk])
    r = client_for(cast.student).post(url, {"member": cast.psykologi.pk})
    assert r.status_code == 400
    assert 'id="id_understood_error"' in r.content.decode()
    assert not case.consents.exclude(kind="expert_group").exists()


def test_only_the_student_herself_uses_the_page(cast, case):
    url = reverse("cases:own_consent", args=[case.pk])
    for other in (
        cast.guardian,
        cast.kuraattori,
        cast.eero_user if hasattr(cast, "eero_user") else cast.adult,
    ):
        assert client_for(other).get(url).status_code == 404
        assert (
            client_for(other)
            .post(url, {"member": cast.psykologi.pk, "understood": "on"})
            .status_code
            == 404
        )
    assert not case.memberships.filter(user=cast.psykologi).exists()
