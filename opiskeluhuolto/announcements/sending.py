"""The e-mail side of a delivery: one message per recipient, resumable without duplicates.

Each delivery row is claimed, sent and marked in its own short transaction (the row is
locked with `select_for_update(skip_locked=True)`, so two workers never send the same
row). A send that stops midway leaves the rest `pending`; the next run sends only those.
At worst the one message in flight at a crash is sent again: the price of not holding
a transaction open across a whole batch of SMTP calls.

A failure is recorded on the recipient's row with the error. A permanent refusal of the
address (the server's 5xx for the recipient: `SMTPRecipientsRefused`, or a 5xx answer to
the message) is a *bounce* and is not retried; any other failure is retried by the task
worker (`run_due` every 15 minutes re-runs unfinished sends) with a growing delay,
`BACKOFF` doubled after each attempt, at most `MAX_ATTEMPTS` times in all.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta

from django.conf import settings
from django.core import mail, signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Announcement, Delivery

BATCH = 500
MAX_ATTEMPTS = 5
BACKOFF = timedelta(minutes=5)
UNSUBSCRIBE_SALT = "announcements.unsubscribe"


def unsubscribe_token(user_id: int, provider_id: int) -> str:
    return signing.dumps([user_id, provider_id], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    try:
        user_id, provider_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(user_id), int(provider_id)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def render(a: Announcement, d: Delivery) -> tuple[str, str]:
    with translation.override(d.language):
        body = a.body_in(d.language).strip()
        footer = [
            "",
            "--",
            _("Read it in the service: %(url)s")
            % {"url": settings.SITE_URL + reverse("announcements:read", args=[a.pk])},
        ]
        if a.kind == Announcement.Kind.NEWSLETTER:
            link = reverse(
                "announcements:unsubscribe", args=[unsubscribe_token(d.user_id, a.provider_id)]
            )
            footer.append(_("No more newsletters: %(url)s") % {"url": settings.SITE_URL + link})
        return a.title_in(d.language), body + "\n" + "\n".join(footer)


def _retryable(now=None):
    """The rows to send now: pending, or failed with attempts left whose delay has passed."""
    from django.db.models import Q

    now = now or timezone.now()
    return Q(email_status=Delivery.Email.PENDING) | (
        Q(email_status=Delivery.Email.FAILED, attempts__lt=MAX_ATTEMPTS)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    )


def _unfinished():
    """Rows still to be sent some time: pending, or failed with attempts left."""
    from django.db.models import Q

    return Q(email_status=Delivery.Email.PENDING) | Q(
        email_status=Delivery.Email.FAILED, attempts__lt=MAX_ATTEMPTS
    )


def is_bounce(error: BaseException) -> bool:
    """A permanent refusal of the recipient's address (not worth trying again)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    if isinstance(error, smtplib.SMTPSenderRefused):
        return False  # our sender address: a problem of ours, not the recipient's
    code = getattr(error, "smtp_code", None)
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= int(code or 0) < 600


def backoff(attempts: int) -> timedelta:
    """The delay before the next attempt after `attempts` failed ones: 5, 10, 20, 40 min."""
    return BACKOFF * (2 ** max(attempts - 1, 0))


def send_pending(announcement_id: int, *, batch: int = BATCH, connection=None) -> int:
    """Send every delivery still to be e-mailed, once each in this run; return how many went.

    `connection` is a mail backend instance (a test's or the demo's); by default the
    `default` mailer of `settings.MAILERS`, one connection kept open per batch."""
    a = Announcement.objects.get(pk=announcement_id)
    sent = 0
    last_pk = 0
    conn = connection or mail.mailers.default
    while True:
        ids = list(
            Delivery.objects.filter(_retryable(), announcement_id=a.pk, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            break
        last_pk = ids[-1]
        conn.open()
        try:
            for pk in ids:
                sent += _send_one(a, pk, conn)
        finally:
            conn.close()
    finish_if_done(a)
    return sent


def _send_one(a: Announcement, pk: int, conn) -> int:
    with transaction.atomic():
        d = Delivery.objects.select_for_update(skip_locked=True).filter(_retryable(), pk=pk).first()
        if d is None:  # another worker has it, or it is done
            return 0
        subject, body = render(a, d)
        d.attempts += 1
        try:
            message = mail.EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [d.email])
            conn.send_messages([message])
        except Exception as error:  # noqa: BLE001  (any backend failure is recorded, retried)
            bounced = is_bounce(error)
            d.email_status = Delivery.Email.BOUNCED if bounced else Delivery.Email.FAILED
            d.last_error = f"{type(error).__name__}: {error}"[:300]
            d.next_attempt_at = None if bounced else timezone.now() + backoff(d.attempts)
            d.save(update_fields=["attempts", "email_status", "last_error", "next_attempt_at"])
            return 0
        d.email_status = Delivery.Email.SENT
        d.emailed_at = timezone.now()
        d.last_error = ""
        d.next_attempt_at = None
        d.save(
            update_fields=[
                "attempts",
                "email_status",
                "emailed_at",
                "last_error",
                "next_attempt_at",
            ]
        )
        return 1


def finish_if_done(a: Announcement) -> None:
    """Sent when no row is left to try (sent, bounced, or out of attempts)."""
    if not Delivery.objects.filter(_unfinished(), announcement_id=a.pk).exists():
        Announcement.objects.filter(pk=a.pk, status=Announcement.Status.SENDING).update(
            status=Announcement.Status.SENT
        )
