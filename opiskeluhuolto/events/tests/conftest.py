from datetime import timedelta

import pytest
from django.utils import timezone


def make_group(cast):
    from opiskeluhuolto.meetings import actions
    from opiskeluhuolto.meetings.models import Group

    admin = cast.users["admin"]
    group = actions.create_group(
        by=admin,
        provider=cast.provider,
        kind=Group.Kind.WELFARE,
        name="Lukion yhteisöllinen opiskeluhuoltoryhmä",
        institution=cast.lukio,
        chair=cast.users["rehtori"],
    )
    actions.add_member(group, by=admin, user=cast.users["teacher"], role="member")
    return group


def make_event(cast, group, **fields):
    from opiskeluhuolto.events import actions
    from opiskeluhuolto.events.models import Event

    start = fields.pop("starts_at", timezone.now() + timedelta(days=7))
    campuses = fields.pop("campuses", [cast.lukio_campus])
    event = Event(
        provider=cast.provider,
        institution=cast.lukio,
        organiser=group,
        audience=fields.pop("audience", "students"),
        title_fi=fields.pop("title_fi", "Liikkuva välitunti"),
        title_sv=fields.pop("title_sv", "Rörlig rast"),
        description_fi=fields.pop("description_fi", "Tule mukaan liikkumaan."),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        place=fields.pop("place", "Liikuntasali"),
        registration=fields.pop("registration", True),
        capacity=fields.pop("capacity", 2),
        **fields,
    )
    return actions.save_event(event, by=cast.users["rehtori"], campuses=campuses)


@pytest.fixture
def group(cast):
    return make_group(cast)


@pytest.fixture
def event(cast, group):
    return make_event(cast, group)


def begin(event, *, ended: bool = True):
    """Move an event into the past (attendance is recorded once it has begun); with
    `ended=False` it is under way."""
    now = timezone.now()
    type(event).objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(hours=1) if ended else now + timedelta(hours=1),
    )
    event.refresh_from_db()
    return event
