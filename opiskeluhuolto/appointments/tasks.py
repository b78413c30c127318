"""Background e-mail of appointments, run by the task worker (django.tasks + django-tasks-db).

Enqueued by the actions with `transaction.on_commit`, so nothing is sent for a
change that was rolled back. The messages name the time, place and
professional; never the reason for the visit.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

KINDS = ("confirmation", "cancellation", "reminder", "changed")


def _recipient(booking) -> str:
    student = booking.student
    return (student.user.email if student.user_id and student.user.email else "") or student.email


def where(booking) -> str:
    """How and where the meeting is held, in words (with the link of a remote meeting)."""
    from .models import Mode

    if booking.mode == Mode.REMOTE:
        link = f" {booking.meeting_link}" if booking.meeting_link else ""
        return f"{booking.get_mode_display()}{link}"
    if booking.mode == Mode.PHONE:
        return str(booking.get_mode_display())
    return booking.place or str(booking.get_mode_display())


def _body(booking, kind: str) -> tuple[str, str]:
    start = timezone.localtime(booking.starts_at)
    facts = {
        "who": booking.professional.display_name,
        "service": booking.get_service_display(),
        "day": start.strftime("%d.%m.%Y"),
        "time": start.strftime("%H.%M"),
        "place": where(booking),
    }
    subject = {
        "confirmation": _("Your appointment is booked"),
        "cancellation": _("Your appointment was cancelled"),
        "reminder": _("Reminder: your appointment"),
        "changed": _("How your appointment is held changed"),
    }[kind]
    first = {
        "confirmation": _("Your appointment with %(who)s (%(service)s) is booked."),
        "cancellation": _("Your appointment with %(who)s (%(service)s) was cancelled."),
        "reminder": _("A reminder of your appointment with %(who)s (%(service)s)."),
        "changed": _("%(who)s (%(service)s) changed how your appointment is held."),
    }[kind] % facts
    when = _("Time: %(day)s at %(time)s. Place: %(place)s.") % facts
    link = getattr(settings, "SITE_URL", "") + reverse("appointments:index")
    more = _("See, move or cancel your appointments: %(link)s") % {"link": link}
    return subject, f"{first}\n\n{when}\n\n{more}\n"


@task()
def send_booking_email(booking_id: int, kind: str) -> bool:
    """E-mail the student about a booking (with the .ics file); False when there is no address."""
    from .ical import booking_ics
    from .models import Booking

    if kind not in KINDS:
        raise ValueError("unknown kind")
    booking = Booking.objects.select_related("student__user", "professional").get(pk=booking_id)
    to = _recipient(booking)
    if not to:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _body(booking, kind)
        message = EmailMessage(subject, body, to=[to])
        if kind != "cancellation":
            message.attach("aika.ics", booking_ics(booking), "text/calendar")
        message.send()
    return True


def _message_recipients(message) -> list[str]:
    """Staff's message: the person who asked (the student, or the guardian who asked).
    The student's or guardian's: the assigned professional, else the service's
    professionals at the institution."""
    from opiskeluhuolto.organisation.models import RoleAssignment

    req = message.request
    if message.from_staff:
        asker = req.requested_by_user
        if asker is not None and asker.pk != req.student.user_id and asker.email:
            return [asker.email]
        return [e for e in [_recipient(req)] if e]
    if req.professional is not None:
        return [req.professional.email] if req.professional.email else []
    staff = RoleAssignment.objects.valid_on(timezone.localdate()).at_institution(req.institution)
    return sorted(
        set(
            staff.filter(role=req.service)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


@task()
def send_message_notice(message_id: int) -> int:
    """Tell the other side there is a new message about a request; never what it says."""
    from .models import RequestMessage

    message = RequestMessage.objects.select_related(
        "request__student__user", "request__requested_by_user", "request__professional"
    ).get(pk=message_id)
    to = _message_recipients(message)
    if not to:
        return 0
    base = getattr(settings, "SITE_URL", "")
    with translation.override(settings.LANGUAGE_CODE):
        if message.from_staff:
            link = base + reverse("appointments:request_messages", args=[message.request_id])
        else:
            link = base + reverse("appointments:request_detail", args=[message.request_id])
        body = _("You have a new message about an appointment request. Read it here: %(link)s") % {
            "link": link
        }
        for address in to:
            EmailMessage(_("A new message about an appointment"), body + "\n", to=[address]).send()
    return len(to)
