"""The announcements' scheduled work: the annual clock's communication items become
drafts (`clockdrafts`), and the command of README.md's "Scheduled jobs" runs it all."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from opiskeluhuolto.announcements import actions, sending
from opiskeluhuolto.announcements.models import Announcement, Delivery
from opiskeluhuolto.annualclock import actions as clock

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _run() -> None:
    call_command("send_due_announcements", stdout=io.StringIO())


def _communication_item(cast, on, *, kind="home_school"):
    c = clock.create_clock(
        by=cast.users["admin"],
        provider=cast.provider,
        name="Lukion vuosikello",
        kind=kind,
        institution=cast.lukio,
    )
    return clock.add_item(
        c,
        by=cast.users["admin"],
        title="Syksyn uutiskirje",
        note="Kerro syksyn tapahtumista.",
        type="communication",
        kind="date",
        day=on.day,
        month=on.month,
    )


def _draft(cast, **fields) -> Announcement:
    a = Announcement(
        provider=cast.provider,
        kind=Announcement.Kind.NEWSLETTER,
        audience=Announcement.Audience.GUARDIANS,
        title_fi="Syksyn uutiskirje",
        body_fi="Tervetuloa kotiväenillaan.",
        campus=cast.lukio_campus,
        **fields,
    )
    return actions.save_draft(a, by=cast.rehtori)


# --- the scheduled command ---------------------------------------------------------------
def test_the_command_drafts_the_clock_items_once(cast):
    item = _communication_item(cast, cast.today + timedelta(days=3))
    _run()
    assert Announcement.objects.filter(clock_item=item).count() == 1
    _run()
    assert Announcement.objects.filter(clock_item=item).count() == 1


def test_the_command_sends_a_scheduled_announcement_once(cast, django_capture_on_commit_callbacks):
    a = _draft(cast)
    with django_capture_on_commit_callbacks(execute=True):
        actions.schedule(a, by=cast.rehtori, send_at=timezone.now() + timedelta(hours=2))
    _run()
    assert not Delivery.objects.exists()  # not yet
    Announcement.objects.filter(pk=a.pk).update(send_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    a.refresh_from_db()
    assert a.status == Announcement.Status.SENT
    sent = len(mail.outbox)
    assert sent == Delivery.objects.filter(announcement=a, email_status="sent").count() > 0
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    assert len(mail.outbox) == sent


def test_the_command_retries_a_failed_delivery_once(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY  # the first send is done by hand below
    a = _draft(cast)
    with django_capture_on_commit_callbacks(execute=True):
        actions.schedule(a, by=cast.rehtori)

    class Refusing(mail.mailers.default.__class__):
        def send_messages(self, messages):
            if messages[0].to[0] == cast.guardian.email:
                raise OSError("451 try again later")
            return super().send_messages(messages)

    sending.send_pending(a.pk, connection=Refusing())
    failed = Delivery.objects.get(announcement=a, user=cast.guardian)
    assert failed.email_status == "failed" and failed.attempts == 1
    mail.outbox.clear()
    settings.TASKS = IMMEDIATE
    _run()  # within the delay: nothing yet
    assert mail.outbox == []
    Delivery.objects.filter(pk=failed.pk).update(next_attempt_at=timezone.now())
    _run()
    failed.refresh_from_db()
    assert failed.email_status == "sent" and failed.attempts == 2
    assert [m.to for m in mail.outbox] == [[cast.guardian.email]]
    a.refresh_from_db()
    assert a.status == Announcement.Status.SENT
    _run()
    assert len(mail.outbox) == 1
