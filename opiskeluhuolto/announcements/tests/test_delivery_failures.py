"""E-mail failures: recorded per recipient, bounces not retried, failures retried with
backoff until MAX_ATTEMPTS, a send dying midway resumes; the owner sees the counts."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.announcements import actions, sending
from opiskeluhuolto.announcements.models import Announcement, Delivery
from opiskeluhuolto.organisation.models import Guardianship

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


class Crash(BaseException):
    """A worker dying midway."""


def failing_backend(*, bounce=(), fail=(), crash_after: int | None = None):
    """The locmem backend, refusing chosen addresses: `bounce` with the server's 550 for
    the recipient, `fail` with a dropped connection; `crash_after` messages it dies."""
    base = mail.mailers.default.__class__

    class Failing(base):  # type: ignore[misc, valid-type]
        calls = 0

        def send_messages(self, messages):
            Failing.calls += 1
            if crash_after is not None and Failing.calls > crash_after:
                raise Crash
            to = messages[0].to[0]
            if to in bounce:
                raise smtplib.SMTPRecipientsRefused({to: (550, b"5.1.1 no such user")})
            if to in fail:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            return super().send_messages(messages)

    return Failing()


@pytest.fixture
def newsletter(cast, settings, django_capture_on_commit_callbacks):
    """A newsletter to the lukio campus's guardians, five more of them with an address;
    queued (the deliveries made), not yet e-mailed."""
    settings.TASKS = DUMMY
    for i in range(5):
        g = User.objects.create(username=f"h{i}", email=f"h{i}@test.invalid")
        Guardianship.objects.create(student=cast.aino, guardian=g)
    a = actions.save_draft(
        Announcement(
            provider=cast.provider,
            kind="newsletter",
            audience="guardians",
            campus=cast.lukio_campus,
            title_fi="Uutiskirje",
            body_fi="Tervetuloa.",
        ),
        by=cast.rehtori,
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.schedule(a, by=cast.rehtori)
    return a


def _row(a, email) -> Delivery:
    return Delivery.objects.get(announcement=a, email=email)


def test_bounce_is_recorded_and_not_retried_failure_backs_off(cast, newsletter, time_machine):
    a = newsletter
    time_machine.move_to(timezone.now(), tick=False)
    backend = failing_backend(bounce={"h0@test.invalid"}, fail={"h1@test.invalid"})
    total = Delivery.objects.filter(announcement=a, email_status="pending").count()
    assert sending.send_pending(a.pk, connection=backend) == total - 2
    bounced, failed = _row(a, "h0@test.invalid"), _row(a, "h1@test.invalid")
    assert bounced.email_status == "bounced" and "550" in bounced.last_error
    assert bounced.next_attempt_at is None
    assert failed.email_status == "failed" and "SMTPServerDisconnected" in failed.last_error
    assert failed.next_attempt_at == timezone.now() + sending.BACKOFF
    a.refresh_from_db()
    assert a.status == "sending"  # a retry is still to come
    # Within the delay nothing goes; after it only the failed one, once.
    assert sending.send_pending(a.pk, connection=backend) == 0
    time_machine.shift(sending.BACKOFF + timedelta(seconds=1))
    assert sending.send_pending(a.pk, connection=backend) == 0
    failed.refresh_from_db()
    assert failed.attempts == 2 and failed.next_attempt_at == timezone.now() + 2 * sending.BACKOFF
    # It keeps failing: the delays double until MAX_ATTEMPTS, then the send is finished.
    for _ in range(sending.MAX_ATTEMPTS - 2):
        time_machine.shift(sending.backoff(failed.attempts) + timedelta(seconds=1))
        sending.send_pending(a.pk, connection=backend)
        failed.refresh_from_db()
    assert failed.attempts == sending.MAX_ATTEMPTS and failed.email_status == "failed"
    time_machine.shift(timedelta(days=1))
    assert sending.send_pending(a.pk, connection=backend) == 0
    bounced.refresh_from_db()
    assert bounced.attempts == 1
    a.refresh_from_db()
    assert a.status == "sent"
    addresses = [m.to[0] for m in mail.outbox]
    assert len(addresses) == len(set(addresses)) == total - 2


def test_retry_succeeds_after_the_delay(cast, newsletter, time_machine):
    a = newsletter
    time_machine.move_to(timezone.now(), tick=False)
    sending.send_pending(a.pk, connection=failing_backend(fail={"h2@test.invalid"}))
    time_machine.shift(sending.BACKOFF + timedelta(seconds=1))
    assert sending.send_pending(a.pk) == 1
    row = _row(a, "h2@test.invalid")
    assert row.email_status == "sent" and row.attempts == 2 and row.last_error == ""
    a.refresh_from_db()
    assert a.status == "sent"


def test_send_failing_midway_resumes_without_duplicates(cast, newsletter):
    a = newsletter
    total = Delivery.objects.filter(announcement=a, email_status="pending").count()
    with pytest.raises(Crash):
        sending.send_pending(
            a.pk, batch=2, connection=failing_backend(bounce={"h0@test.invalid"}, crash_after=3)
        )
    assert len(mail.outbox) == 2  # three tried: one bounced, two sent
    assert sending.send_pending(a.pk, batch=2) == total - 3
    addresses = [m.to[0] for m in mail.outbox]
    assert len(addresses) == len(set(addresses)) == total - 1
    assert "h0@test.invalid" not in addresses


def test_owner_sees_sent_failed_and_bounced(cast, newsletter, client):
    a = newsletter
    backend = failing_backend(bounce={"h0@test.invalid"}, fail={"h1@test.invalid"})
    sending.send_pending(a.pk, connection=backend)
    client.force_login(cast.rehtori)
    page = client.get(reverse("announcements:send", args=[a.pk])).content.decode()
    sent = Delivery.objects.filter(announcement=a, email_status="sent").count()
    assert f"{sent} lähetetty" in page
    assert "1 epäonnistui" in page and "1 palautui" in page
    assert "h0@test.invalid" in page and "5.1.1 no such user" in page
    assert "SMTPServerDisconnected" in page


def test_bounce_rule():
    assert sending.is_bounce(smtplib.SMTPRecipientsRefused({"x": (550, b"no")}))
    assert sending.is_bounce(smtplib.SMTPDataError(554, b"rejected"))
    assert not sending.is_bounce(smtplib.SMTPDataError(451, b"later"))
    assert not sending.is_bounce(smtplib.SMTPSenderRefused(553, b"sender", "from@x"))
    assert not sending.is_bounce(OSError("timed out"))
    assert [sending.backoff(n) for n in (1, 2, 3)] == [
        sending.BACKOFF,
        2 * sending.BACKOFF,
        4 * sending.BACKOFF,
    ]


def test_sending_uses_the_mailers_api_without_deprecation_warnings(cast, newsletter):
    """The default mailer of `MAILERS`, no `get_connection()` nor `connection=` argument
    (deprecated in Django 6.1): the same messages, one per recipient."""
    import warnings

    from django.utils.deprecation import RemovedInDjango2028Warning

    mail.outbox = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sent = sending.send_pending(newsletter.pk)
    assert not [w for w in caught if issubclass(w.category, RemovedInDjango2028Warning)]
    addresses = [m.to[0] for m in mail.outbox]
    assert sent == len(addresses) >= 5 and len(set(addresses)) == len(addresses)
    assert set(addresses) == set(
        Delivery.objects.filter(announcement=newsletter, email_status="sent").values_list(
            "email", flat=True
        )
    )
    assert {f"h{i}@test.invalid" for i in range(5)} <= set(addresses)
