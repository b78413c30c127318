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

KINDS = ("confirmation", "cancellation", "reminder")


def _recipient(booking) -> str:
    student = booking.student
    return (student.user.email if student.user_id and student.user.email else "") or student.email


def _body(booking, kind: str) -> tuple[str, str]:
    start = timezone.localtime(booking.starts_at)
    facts = {
        "who": booking.professional.display_name,
        "service": booking.get_service_display(),
        "day": start.strftime("%d.%m.%Y"),
        "time": start.strftime("%H.%M"),
        "place": booking.place or booking.get_mode_display(),
    }
    subject = {
        "confirmation": _("Your appointment is booked"),
        "cancellation": _("Your appointment was cancelled"),
        "reminder": _("Reminder: your appointment"),
    }[kind]
    first = {
        "confirmation": _("Your appointment with %(who)s (%(service)s) is booked."),
        "cancellation": _("Your appointment with %(who)s (%(service)s) was cancelled."),
        "reminder": _("A reminder of your appointment with %(who)s (%(service)s)."),
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
