"""Who reaches the events' pages. The lukio's welfare group (Riitta chairs it, Teemu is a
member) organises a registration event for everyone of the lukio's Etu-Töölö campus next
week: its students (Aino) and guardians of minors there (Matti) and the lukio's school
staff see it and register; the lukio's writers and the organiser group manage it."""

from __future__ import annotations

from datetime import timedelta

from opiskeluhuolto.access.matrix import Row

WRITERS_ANYWHERE = (
    "admin",
    "rehtori",
    "kuraattori",
    "kuraattori_out",
    "psykologi",
    "nurse",
    "outsider",
)
#: The lukio's writers (provider admin, principal, welfare professionals) and the
#: organiser group's member Teemu.
MANAGERS = ("admin", "rehtori", "kuraattori", "psykologi", "nurse", "teacher")
#: Everyone the event is meant for: the lukio's school staff, Aino, Aino's guardian.
VIEWERS = (*MANAGERS, "supervisor", "student", "guardian")
CALENDAR = ("student", "adult", "guardian")


def setup(cast) -> None:
    from django.utils import timezone

    from opiskeluhuolto.events import actions
    from opiskeluhuolto.events.models import Event
    from opiskeluhuolto.meetings import actions as meetings
    from opiskeluhuolto.meetings.models import Group

    admin = cast.users["admin"]
    group = meetings.create_group(
        by=admin,
        provider=cast.provider,
        kind=Group.Kind.WELFARE,
        name="Lukion yhteisöllinen ryhmä (tapahtumat)",
        institution=cast.lukio,
        chair=cast.users["rehtori"],
    )
    meetings.add_member(group, by=admin, user=cast.users["teacher"], role="member")
    today = timezone.localdate()
    cast.campaign = actions.create_campaign(
        by=cast.users["rehtori"],
        institution=cast.lukio,
        organiser=group,
        audience="everyone",
        name="Hyvinvointiviikko",
        starts_on=today,
        ends_on=today + timedelta(days=10),
        campuses=[cast.lukio_campus],
    )
    start = timezone.now() + timedelta(days=7)
    cast.event = actions.save_event(
        Event(
            provider=cast.provider,
            institution=cast.lukio,
            organiser=group,
            audience=Event.Audience.EVERYONE,
            title_fi="Kotiväenilta",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Juhlasali",
            registration=True,
            capacity=50,
        ),
        by=cast.users["rehtori"],
        campuses=[cast.lukio_campus],
    )
    from opiskeluhuolto.events.models import CalendarFeed

    cast.calendar_feed = CalendarFeed.objects.create(user=cast.users["student"])
    actions.register(cast.event, cast.users["student"])  # Aino has a place (api cancel)


def _event(c):
    return {"pk": c.event.pk}


def _to(members, status):
    return {"*": 404, "anonymous": 302, **{m: status for m in members}}


ROWS = [
    Row("events:index", {"*": 200, "anonymous": 302}),
    Row("events:new", _to(WRITERS_ANYWHERE, 200)),
    Row("events:event", _to(VIEWERS, 200), kwargs=_event),
    Row("events:campaign_new", _to(WRITERS_ANYWHERE, 200)),
    Row("events:campaign", _to(VIEWERS, 200), kwargs=lambda c: {"pk": c.campaign.pk}),
    Row("events:register", _to(VIEWERS, 302), kwargs=_event, method="post"),
    Row("events:cancel", _to(VIEWERS, 302), kwargs=_event, method="post"),
    Row(
        "events:attendance",
        _to(MANAGERS, 302),
        kwargs=_event,
        method="post",
        data=lambda c: {"head_count": "12"},
    ),
    Row("events:report", _to(MANAGERS, 302), kwargs=_event, method="post"),
    Row("events:invite", _to(MANAGERS, 302), kwargs=_event, method="post"),
    Row("events:feedback", _to(MANAGERS, 302), kwargs=_event, method="post"),
    # The API: the list for everyone signed in; registering and cancelling as on the page
    # (cancelling without a registration is 404, so the row registers first).
    Row("api:events", {"*": 200, "anonymous": 401}),
    Row(
        "api:events-register",
        {"*": 404, "anonymous": 401, **{m: 201 for m in VIEWERS}},
        kwargs=lambda c: {"event_id": c.event.pk},
        method="post",
    ),
    Row(
        "api:events-cancel",
        {"*": 404, "anonymous": 401, "student": 200},
        kwargs=lambda c: {"event_id": c.event.pk},
        method="delete",
    ),
    # The communal calendar: students (Aino, Eero) and guardians of minors (Matti).
    Row("events:calendar", _to(CALENDAR, 200)),
    Row("events:calendar_feeds", _to(CALENDAR, 200)),
    Row("events:calendar_feeds", _to(CALENDAR, 302), method="post"),
    Row(
        "events:calendar_feed_revoke",
        _to(("student",), 302),
        kwargs=lambda c: {"pk": c.calendar_feed.pk},
        method="post",
    ),
    Row("events:calendar_feed", {"*": 200}, kwargs=lambda c: {"token": c.calendar_feed.token}),
]
