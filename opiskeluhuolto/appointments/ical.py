"""iCalendar files: one per booking, and the private feed of a professional (icalendar library).

The feed holds no student names: each event is "Varattu aika" with the
student's initials at most, so a leaked feed address does not reveal who
comes (LAW.md L-20-* confidentiality; the token can be revoked).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Booking, Mode

PRODID = "-//Opiskeluhuolto//appointments//FI"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _location(booking: Booking) -> str:
    """The place of an in-person meeting; for a remote one its link, for a phone call the
    words "by phone" (calendar applications show the location on the event)."""
    if booking.mode == Mode.REMOTE:
        return booking.meeting_link or str(booking.get_mode_display())
    if booking.mode == Mode.PHONE:
        return str(booking.get_mode_display())
    return booking.place


def _event(booking: Booking, summary: str, description: str = "") -> Event:
    event = Event()
    event.add("uid", f"{booking.uid}@opiskeluhuolto")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.starts_at)
    event.add("dtend", booking.ends_at)
    event.add("summary", summary)
    if booking.place or booking.mode != Mode.ON_SITE:
        event.add("location", _location(booking))
    if booking.mode == Mode.REMOTE and booking.meeting_link:
        event.add("url", booking.meeting_link)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if booking.status == Booking.Status.CANCELLED else "CONFIRMED")
    return event


def booking_ics(booking: Booking) -> bytes:
    """The student's (or staff's) file for one booking: who they meet and where."""
    cal = _calendar(str(_("Appointment")))
    summary = _("Appointment: %(who)s (%(service)s)") % {
        "who": booking.professional.display_name,
        "service": booking.get_service_display(),
    }
    how = _("How: %(mode)s") % {"mode": booking.get_mode_display()}
    if booking.mode == Mode.REMOTE and booking.meeting_link:
        how += f"\n{booking.meeting_link}"
    cal.add_component(_event(booking, summary, how))
    return cal.to_ical()


def initials(first: str, last: str) -> str:
    return f"{first[:1]}{last[:1]}".upper()


def feed_ics(name: str, bookings: Iterable[Booking]) -> bytes:
    """The professional's feed: busy times with initials only, never names."""
    cal = _calendar(name)
    for b in bookings:
        cal.add_component(
            _event(b, f"Varattu aika ({initials(b.student.first_name, b.student.last_name)})")
        )
    return cal.to_ical()
