"""Meetings planned as a series, with iCalendar invitations to the members by e-mail.

`schedule_series` plans every meeting of the series in one transaction (an overlap with
any meeting of the group refuses the whole series) and, after the commit, the task
worker e-mails each member with an address one .ics file holding every meeting
(`invitation_ics`). The invitation names the group, the time and the place only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from . import actions
from .models import Group, Meeting
from .models.audit import record

MAX_MEETINGS = 20
MAX_INTERVAL_WEEKS = 8
PRODID = "-//Opiskeluhuolto//meetings//FI"


def series_times(
    starts_at: datetime, ends_at: datetime, *, every_weeks: int, count: int
) -> list[tuple[datetime, datetime]]:
    """The start and end of each meeting: the same local time every `every_weeks` weeks
    (across a change of daylight saving time too)."""
    if not 1 <= every_weeks <= MAX_INTERVAL_WEEKS:
        raise ValidationError(
            {"every_weeks": _("Repeat every 1–%(n)s weeks.") % {"n": MAX_INTERVAL_WEEKS}}
        )
    if not 2 <= count <= MAX_MEETINGS:
        raise ValidationError({"count": _("A series has 2–%(n)s meetings.") % {"n": MAX_MEETINGS}})
    tz = timezone.get_current_timezone()
    first_start, first_end = timezone.localtime(starts_at, tz), timezone.localtime(ends_at, tz)
    times = []
    for n in range(count):
        shift = timedelta(weeks=every_weeks * n)
        start = timezone.make_aware((first_start + shift).replace(tzinfo=None), tz)
        end = timezone.make_aware((first_end + shift).replace(tzinfo=None), tz)
        times.append((start, end))
    return times


@transaction.atomic
def schedule_series(
    group: Group,
    *,
    by,
    starts_at: datetime,
    ends_at: datetime,
    every_weeks: int,
    count: int,
    place: str = "",
) -> list[Meeting]:
    times = series_times(starts_at, ends_at, every_weeks=every_weeks, count=count)
    meetings = [
        actions.schedule_meeting(group, by=by, starts_at=s, ends_at=e, place=place)
        for s, e in times
    ]
    record(by, "meeting.series", meetings[0])
    ids = [m.pk for m in meetings]

    def enqueue() -> None:
        from . import tasks

        tasks.send_invitations.enqueue(ids)

    transaction.on_commit(enqueue)
    return meetings


def invitation_ics(meetings: list[Meeting]) -> bytes:
    """One calendar (METHOD:REQUEST) with an event per meeting; the UID stays the same for
    a meeting, so a calendar application updates rather than duplicates it."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    for meeting in meetings:
        event = VEvent()
        event.add("uid", f"meeting-{meeting.pk}@opiskeluhuolto")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", meeting.group.name)
        if meeting.place:
            event.add("location", meeting.place)
        cal.add_component(event)
    return cal.to_ical()
