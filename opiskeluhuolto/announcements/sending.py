"""The e-mail side of a delivery: one message per recipient, resumable without duplicates.

Each delivery row is claimed, sent and marked in its own short transaction (the row is
locked with `select_for_update(skip_locked=True)`, so two workers never send the same
row). A send that stops midway leaves the rest `pending`; the next run sends only those.
At worst the one message in flight at a crash is sent again: the price of not holding
a transaction open across a whole batch of SMTP calls.
"""

from __future__ import annotations

from django.conf import settings
from django.core import mail, signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Announcement, Delivery

BATCH = 500
MAX_ATTEMPTS = 3
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


def _retryable():
    from django.db.models import Q

    return Q(email_status=Delivery.Email.PENDING) | Q(
        email_status=Delivery.Email.FAILED, attempts__lt=MAX_ATTEMPTS
    )


def send_pending(announcement_id: int, *, batch: int = BATCH, connection=None) -> int:
    """Send every delivery still to be e-mailed, once each in this run; return how many went."""
    a = Announcement.objects.get(pk=announcement_id)
    sent = 0
    last_pk = 0
    conn = connection or mail.get_connection()
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
            mail.EmailMessage(
                subject, body, settings.DEFAULT_FROM_EMAIL, [d.email], connection=conn
            ).send()
        except Exception as error:  # noqa: BLE001  (any backend failure is recorded, retried)
            d.email_status = Delivery.Email.FAILED
            d.last_error = f"{type(error).__name__}: {error}"[:300]
            d.save(update_fields=["attempts", "email_status", "last_error"])
            return 0
        d.email_status = Delivery.Email.SENT
        d.emailed_at = timezone.now()
        d.last_error = ""
        d.save(update_fields=["attempts", "email_status", "emailed_at", "last_error"])
        return 1


def finish_if_done(a: Announcement) -> None:
    if not Delivery.objects.filter(_retryable(), announcement_id=a.pk).exists():
        Announcement.objects.filter(pk=a.pk, status=Announcement.Status.SENDING).update(
            status=Announcement.Status.SENT
        )
