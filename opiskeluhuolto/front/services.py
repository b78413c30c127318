"""Accessibility feedback and service-break notices (LAW.md L-306-3, L-306-6)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AccessibilityFeedback, ProviderContact, ServiceBreak

#: A break is announced this long before it starts.
ANNOUNCE_DAYS = 7
_BREAK_KEY = "front:service-break"


def receive_feedback(provider, *, message: str, reply_to: str = "") -> AccessibilityFeedback:
    """Store the feedback and send the receipt with the time received (L-306-3)."""
    if not message.strip():
        raise ValidationError({"message": _("Write your feedback.")})
    now = timezone.now()
    feedback = AccessibilityFeedback.objects.create(
        provider=provider,
        received_at=now,
        message=message.strip(),
        reply_to=reply_to.strip(),
        due_on=AccessibilityFeedback.due_from(timezone.localdate(now)),
    )
    contact = ProviderContact.objects.filter(provider=provider).first()
    if feedback.reply_to:
        transaction.on_commit(lambda: _send_receipt(feedback))
    if contact is not None:
        transaction.on_commit(lambda: _forward(feedback, contact.accessibility_email))
    return feedback


def receipt_text(feedback: AccessibilityFeedback) -> str:
    at = timezone.localtime(feedback.received_at)
    due = feedback.deadline
    return _(
        "Your accessibility feedback was received on %(day)s at %(time)s. It will be answered "
        "by %(due)s (Act on the Provision of Digital Services 306/2019, § 10)."
    ) % {
        "day": f"{at.day}.{at.month}.{at.year}",
        "time": f"{at:%H.%M}",
        "due": f"{due.day}.{due.month}.{due.year}",
    }


def _send_receipt(feedback: AccessibilityFeedback) -> None:
    send_mail(
        _("Receipt: accessibility feedback"),
        receipt_text(feedback),
        settings.DEFAULT_FROM_EMAIL,
        [feedback.reply_to],
    )


def _forward(feedback: AccessibilityFeedback, to: str) -> None:
    send_mail(
        _("Accessibility feedback no. %(no)s") % {"no": feedback.pk},
        feedback.message,
        settings.DEFAULT_FROM_EMAIL,
        [to],
    )


@transaction.atomic
def answer_feedback(feedback: AccessibilityFeedback, *, by) -> AccessibilityFeedback:
    feedback = AccessibilityFeedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.answered_at is not None:
        raise ValidationError(_("This feedback has already been answered."))
    feedback.answered_at = timezone.now()
    feedback.answered_by = by
    feedback.save(update_fields=["answered_at", "answered_by"])
    return feedback


def current_break():
    """The break going on or starting within ANNOUNCE_DAYS, or None.

    The breaks not yet over are kept in the cache (cleared when one is saved or deleted,
    and at most five minutes old, for the processes of a local-memory cache); which of
    them to announce is decided at each request, so a break shows and ends on time."""
    now = timezone.now()
    breaks = cache.get(_BREAK_KEY)
    if breaks is None:
        breaks = list(ServiceBreak.objects.filter(ends_at__gt=now).order_by("starts_at")[:10])
        cache.set(_BREAK_KEY, breaks, 300)
    horizon = now + timedelta(days=ANNOUNCE_DAYS)
    return next((b for b in breaks if b.ends_at > now and b.starts_at <= horizon), None)


def _forget(**kwargs) -> None:
    cache.delete(_BREAK_KEY)


post_save.connect(_forget, sender=ServiceBreak, dispatch_uid="front-break-save")
post_delete.connect(_forget, sender=ServiceBreak, dispatch_uid="front-break-delete")
