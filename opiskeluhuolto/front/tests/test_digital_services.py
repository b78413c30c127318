"""Digital services act duties (LAW.md L-306-2, L-306-3, L-306-6): a real feedback address per
provider and an honest statement, feedback with a receipt and a two-week answer, and a
service-break notice on every page."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.front.models import AccessibilityFeedback, ProviderContact, ServiceBreak

pytestmark = pytest.mark.django_db


def test_the_statement_names_each_providers_feedback_address_and_what_was_checked(client, cast):
    ProviderContact.objects.create(
        provider=cast.provider, accessibility_email="saavutettavuus@testila.fi"
    )
    body = client.get(reverse("front:accessibility")).content.decode()
    assert "saavutettavuus@testila.fi" in body and cast.provider.name in body
    assert "axe-core" in body and "itsearvio" in body  # says honestly how it was checked
    assert reverse("front:accessibility_feedback") in body


def test_feedback_gets_a_receipt_with_the_time_received_and_a_two_week_deadline(
    client, cast, time_machine, django_capture_on_commit_callbacks
):
    ProviderContact.objects.create(
        provider=cast.provider, accessibility_email="saavutettavuus@testila.fi"
    )
    time_machine.move_to(datetime(2026, 11, 9, 10, 15, tzinfo=ZoneInfo("Europe/Helsinki")))
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("front:accessibility_feedback"),
            {
                "provider": cast.provider.pk,
                "message": "Kaavio ei toimi ruudunlukijalla.",
                "reply_to": "palaute@example.invalid",
            },
        )
    assert r.status_code == 200
    assert "9.11.2026 klo 10.15" in r.text and "23.11.2026" in r.text
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.due_on == date(2026, 11, 23)
    receipt = next(m for m in mail.outbox if m.to == ["palaute@example.invalid"])
    assert "10.15" in receipt.body and "23.11.2026" in receipt.body
    assert any(m.to == ["saavutettavuus@testila.fi"] for m in mail.outbox)


def test_feedback_without_text_is_refused_in_finnish(client, cast):
    r = client.post(reverse("front:accessibility_feedback"), {"provider": cast.provider.pk})
    assert r.status_code == 400 and "Kirjoita palautteesi." in r.text
    assert not AccessibilityFeedback.objects.exists()


def test_the_provider_admin_follows_and_marks_the_answer(client, cast):
    from opiskeluhuolto.front import services

    feedback = services.receive_feedback(cast.provider, message="Fontti on pieni.")
    client.force_login(cast.admin)
    page = client.get(reverse("front:feedback_list"))
    assert "Fontti on pieni." in page.content.decode()
    client.post(reverse("front:feedback_list"), {"feedback": feedback.pk})
    feedback.refresh_from_db()
    assert feedback.answered_at is not None and feedback.answered_by == cast.admin


def test_a_service_break_is_announced_on_every_page_with_the_alternatives(client, cast):
    now = timezone.now()
    ServiceBreak.objects.create(
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=2),
        message="Palvelu päivitetään.",
        alternatives="Kiireelliset asiat puhelimella kuraattorille.",
    )
    body = client.get(reverse("front:accessibility")).content.decode()
    assert "Käyttökatko" in body and "Kiireelliset asiat puhelimella" in body
    ServiceBreak.objects.all().delete()
    assert "Käyttökatko" not in client.get(reverse("front:accessibility")).content.decode()
