"""The communal calendar as iCalendar, made with the `icalendar` library (phones, Outlook)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from .community_calendar import Entry


def build(name: str, rows: list[Entry], base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Opiskeluhuolto//yhteisokalenteri//FI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    base = base_url.rstrip("/")
    for r in rows:
        ev = VEvent()
        ev.add("uid", f"{r.key}@opiskeluhuolto")
        ev.add("summary", r.title)
        if r.starts_at and r.ends_at:
            ev.add("dtstart", r.starts_at)
            ev.add("dtend", r.ends_at)
            ev.add("url", f"{base}/events/{r.event_id}/")
            if r.place:
                ev.add("location", r.place)
        else:
            ev.add("dtstart", r.start)
            ev.add("dtend", r.end + timedelta(days=1))  # all-day events end exclusively
            ev.add("url", f"{base}/events/calendar/")
        ev.add("dtstamp", stamp)
        ev.add("categories", [r.type_label])
        cal.add_component(ev)
    return cal.to_ical()
