"""Messages about a request and how a booked meeting is held: the actions of both.

Who may call these is decided by `opiskeluhuolto.access.appointments` (the request's
viewers write, the service's professionals change the meeting); these enforce the
domain rules and raise ValidationError with messages the UI shows next to the field.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import tasks
from .models import AppointmentEvent, AppointmentRequest, Booking, Mode, RequestMessage

#: A message is short: a question about the time or the way of meeting, not a record.
MESSAGE_MAX = 1000
OPEN_STATES = (AppointmentRequest.Status.OPEN, AppointmentRequest.Status.BOOKED)


@transaction.atomic
def post_message(req: AppointmentRequest, *, author, body: str, from_staff: bool) -> RequestMessage:
    """Add a message to an unresolved request; the other side is told there is one
    (never what it says: the e-mail carries no content)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > MESSAGE_MAX:
        raise ValidationError(
            {"body": _("The message is too long (at most %(n)s characters).") % {"n": MESSAGE_MAX}}
        )
    locked = AppointmentRequest.objects.select_for_update().get(pk=req.pk)
    if locked.status not in OPEN_STATES:
        raise ValidationError(
            {"body": _("The request is already resolved: messages can no longer be added.")}
        )
    message = RequestMessage.objects.create(
        request=locked, author=author, from_staff=from_staff, body=body, sent_at=timezone.now()
    )
    transaction.on_commit(lambda: tasks.send_message_notice.enqueue(message.pk))
    return message


def check_meeting(mode: str, link: str, place: str) -> tuple[str, str, str]:
    """The cleaned (mode, link, place): a remote meeting needs an https link; a link
    belongs only to a remote meeting."""
    link = (link or "").strip()
    place = (place or "").strip()
    if mode not in Mode.values:
        raise ValidationError({"mode": _("Choose how you will meet.")})
    if mode == Mode.REMOTE:
        if not link:
            raise ValidationError({"meeting_link": _("Give the link of the remote meeting.")})
        try:
            URLValidator(schemes=["https"])(link)
        except ValidationError:
            raise ValidationError(
                {"meeting_link": _("Give the whole address, beginning with https://.")}
            ) from None
        return mode, link, ""
    if link:
        raise ValidationError({"meeting_link": _("A link is only for a remote meeting.")})
    return mode, "", place


@transaction.atomic
def set_meeting(booking: Booking, *, mode: str, link: str, place: str, actor) -> Booking:
    """Say how a booked meeting is held: in person (where), by phone, or remote (link)."""
    mode, link, place = check_meeting(mode, link, place)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.ACTIVE:
        raise ValidationError(_("The booking is no longer active."))
    booking.mode, booking.meeting_link = mode, link
    if mode != Mode.ON_SITE or place:
        booking.place = place
    booking.save(update_fields=["mode", "meeting_link", "place"])
    AppointmentEvent.objects.create(
        kind=AppointmentEvent.Kind.MEETING,
        actor=actor,
        request=booking.request,
        booking=booking,
        detail=mode,
    )
    transaction.on_commit(lambda: tasks.send_booking_email.enqueue(booking.pk, "changed"))
    return booking
