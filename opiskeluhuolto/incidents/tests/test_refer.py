"""A referral to individual welfare made from the incident's page, through the cases app."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.cases.models import Referral
from opiskeluhuolto.incidents import actions
from opiskeluhuolto.procedures.tests.helpers import bullying_procedure
from opiskeluhuolto.records.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def _incident(cast):
    bullying_procedure(cast)
    return actions.report(
        by=cast.teacher,
        campus=cast.lukio_campus,
        category="bullying",
        occurred_at=timezone.now() - timedelta(hours=1),
        students=[cast.onni],
        description="Onnia tönittiin käytävällä.",
    )


def test_handler_refers_a_student_from_the_incident(cast, client):
    incident = _incident(cast)
    assert incident.handler == cast.kuraattori
    client.force_login(cast.kuraattori)
    detail = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    url = reverse("incidents:refer", args=[incident.pk])
    assert f"{url}?student={cast.onni.pk}" in detail
    before = AccessLogEntry.objects.filter(subject_kind="incident").count()
    assert client.get(url, {"student": cast.onni.pk}).status_code == 200
    assert AccessLogEntry.objects.filter(subject_kind="incident").count() == before + 1
    response = client.post(url, {"student": cast.onni.pk, "reason": "Tarvitsee tukea."})
    referral = Referral.objects.get()
    assert response.url == reverse("cases:referral", args=[referral.pk])
    incident.refresh_from_db()
    assert incident.referral == referral
    # Filed by the cases app under its own rules; nothing of the incident copied.
    assert referral.student == cast.onni and referral.referred_by == cast.kuraattori
    assert referral.reason == "Tarvitsee tukea."
    assert "tönittiin" not in referral.reason
    # Only once: the page then links the referral.
    again = client.get(url, {"student": cast.onni.pk})
    assert again.status_code == 302 and Referral.objects.count() == 1
    detail = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert reverse("cases:referral", args=[referral.pk]) in detail


def test_refer_refuses_others_and_bad_input(cast, client):
    incident = _incident(cast)
    url = reverse("incidents:refer", args=[incident.pk])
    # The reporter is not the handler: the incident is not hers to refer from.
    client.force_login(cast.teacher)
    assert client.get(url, {"student": cast.onni.pk}).status_code == 404
    client.force_login(cast.kuraattori)
    # A student not involved, no student, garbage: 404, nothing filed.
    assert client.get(url, {"student": cast.aino.pk}).status_code == 404
    assert client.get(url).status_code == 404
    assert client.get(url, {"student": "x1"}).status_code == 404
    # No reason: the form says so, nothing filed.
    response = client.post(url, {"student": cast.onni.pk, "reason": " "})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Referral.objects.exists()
