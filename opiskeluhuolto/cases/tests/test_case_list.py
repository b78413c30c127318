"""The staff's case list: named by subject, searched and filtered, each listed case logged."""

import pytest
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.records.models import AccessLogEntry

from .story import open_aino_case

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_cases_are_named_by_subject_and_filtered(cast):
    case = open_aino_case(cast)
    kaisa = client_for(cast.kuraattori)
    page = kaisa.get(reverse("cases:index"))
    assert "Opiskelujen tukeminen" in page.text and f"Asia {case.pk}" not in page.text
    assert "Kaisa Kuraattori" in page.text  # the responsible person
    assert AccessLogEntry.objects.filter(
        actor_id=cast.kuraattori.pk, case_id_ref=case.pk, purpose="case list"
    ).exists()
    assert "Opiskelujen tukeminen" in kaisa.get(reverse("cases:index"), {"q": "tukem aino"}).text
    nothing = kaisa.get(reverse("cases:index"), {"q": "matematiikka"})
    assert "Opiskelujen tukeminen" not in nothing.text
    assert (
        "Opiskelujen tukeminen" not in kaisa.get(reverse("cases:index"), {"status": "closed"}).text
    )
    assert (
        "Opiskelujen tukeminen"
        in kaisa.get(reverse("cases:index"), {"responsible": cast.kuraattori.pk}).text
    )
    other = kaisa.get(reverse("cases:index"), {"campus": cast.amis_campus.pk})
    assert "Opiskelujen tukeminen" not in other.text


def test_a_teacher_sees_no_subjects(cast):
    open_aino_case(cast)
    page = client_for(cast.teacher).get(reverse("cases:index"))
    assert page.status_code == 200 and "Opiskelujen tukeminen" not in page.text
