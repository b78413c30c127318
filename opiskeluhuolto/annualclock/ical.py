"""The private iCalendar feed of a clock, made with the `icalendar` library (Outlook, Teams)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from .layers import Dated
from .models import Clock


def build(clock: Clock, dated: list[Dated], base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Opiskeluhuolto//vuosikello//FI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", clock.name)
    stamp = timezone.now()
    for d in dated:
        event = Event()
        event.add("uid", f"clockitem-{d.item.pk}-{d.start.isoformat()}@opiskeluhuolto")
        event.add("summary", d.item.title)
        event.add("dtstart", d.start)
        event.add("dtend", d.end + timedelta(days=1))  # all-day events end exclusively
        event.add("dtstamp", stamp)
        event.add("categories", [d.item.get_type_display()])
        description = [d.item.timing]
        if d.item.results_due:
            description.append(str(d.item.results_due))
        event.add("description", "\n".join(description))
        event.add("url", f"{base_url.rstrip('/')}/clock/items/{d.item.pk}/")
        cal.add_component(event)
    return cal.to_ical()
