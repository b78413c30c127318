"""A referral to individual welfare made from the incident's page, through the cases app."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.cases.models import Referral
from opiskeluhuolto.incidents import actions
from opiskeluhuolto.incidents.models import Step
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
    # Only once for her: the page then links the referral.
    again = client.get(url, {"student": cast.onni.pk})
    assert again.status_code == 302 and Referral.objects.count() == 1
    detail = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert reverse("cases:referral", args=[referral.pk]) in detail
    assert f"{url}?student={cast.onni.pk}" not in detail


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


def test_each_involved_student_is_referred_once_and_the_referrals_are_steps(cast, client):
    """Issue 17: after referring one involved student the link for the other stayed away,
    and the referral did not show in the incident's steps."""
    incident = _incident(cast)
    incident.students.add(cast.aino)
    client.force_login(cast.kuraattori)
    detail_url = reverse("incidents:detail", args=[incident.pk])
    url = reverse("incidents:refer", args=[incident.pk])
    detail = client.get(detail_url).content.decode()
    assert f"{url}?student={cast.onni.pk}" in detail
    assert f"{url}?student={cast.aino.pk}" in detail

    client.post(url, {"student": cast.onni.pk, "reason": "Onni tarvitsee tukea."})
    detail = client.get(detail_url, HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    # Onni's link is gone, Aino's stays.
    assert f"{url}?student={cast.onni.pk}" not in detail
    assert f"{url}?student={cast.aino.pk}" in detail
    # The referral is a step: who was referred, by whom, when; not its contents.
    step = incident.steps.get(kind=Step.Kind.REFERRAL)
    assert step.student == cast.onni and step.by == cast.kuraattori
    assert step.referral == Referral.objects.get(student=cast.onni)
    assert step.on == timezone.localdate()
    steps = detail.split("</dl>", 1)[1]  # the steps come after the facts
    assert "yhteydenotto opiskeluhuoltoon: " + cast.onni.full_name in steps
    assert cast.kuraattori.display_name in steps
    assert "Onni tarvitsee tukea." not in detail

    client.post(url, {"student": cast.aino.pk, "reason": "Aino tarvitsee tukea."})
    assert Referral.objects.count() == 2
    assert incident.steps.filter(kind=Step.Kind.REFERRAL).count() == 2
    detail = client.get(detail_url).content.decode()
    assert f"{url}?student=" not in detail
    for r in Referral.objects.all():
        assert reverse("cases:referral", args=[r.pk]) in detail
    incident.refresh_from_db()
    assert incident.referral == Referral.objects.get(student=cast.onni)
    # Once each: a second referral of the same student is refused.
    with pytest.raises(ValidationError):
        actions.refer(incident, cast.aino, by=cast.kuraattori, reason="Uudelleen.")
    assert Referral.objects.count() == 2


def test_a_referral_step_is_not_recorded_by_hand(cast):
    incident = _incident(cast)
    with pytest.raises(ValidationError):
        actions.add_step(incident, by=cast.kuraattori, kind=Step.Kind.REFERRAL)
    assert not incident.steps.exists()


def test_migration_writes_the_step_of_a_referral_made_before_steps(cast):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("opiskeluhuolto.incidents.migrations.0004_referral_steps")
    incident = _incident(cast)
    referral = actions.refer(incident, cast.onni, by=cast.kuraattori, reason="Tukea.")
    incident.steps.all().delete()  # as it was before referrals were steps
    migration.referral_steps(apps, None)
    step = incident.steps.get()
    assert step.kind == Step.Kind.REFERRAL and step.student == cast.onni
    assert step.referral == referral and step.by == cast.kuraattori
    assert actions.referred_students(incident) == {cast.onni.pk}
