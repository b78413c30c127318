from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from opiskeluhuolto.appointments import actions
from opiskeluhuolto.appointments.models import Availability


def publish_week(user, institution, start: time, end: time, *, minutes: int = 45, kind="bookable"):
    for weekday in range(5):
        actions.add_hours(
            user,
            institution,
            kind=kind,
            weekday=weekday,
            starts_at=start,
            ends_at=end,
            slot_minutes=minutes,
            mode="on_site",
            place="Huone 101",
            valid_from=timezone.localdate().replace(day=1),
        )


@pytest.fixture
def hours(cast):
    """Kaisa (kuraattori) and Pekka (psykologi) publish weekday hours at the lukio."""
    publish_week(cast.kuraattori, cast.lukio, time(9), time(12))
    publish_week(cast.psykologi, cast.lukio, time(12), time(15), minutes=60)
    publish_week(cast.nurse, cast.lukio, time(8), time(10), kind=Availability.Kind.WALK_IN)
    return cast


#: A Monday in the autumn term, 08.00 in Helsinki.
MONDAY = datetime(2026, 11, 9, 8, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
#: The root conftest builds a module's shared cast at this moment (`cast_moment`).
CAST_MOMENT = MONDAY


@pytest.fixture
def cast(request, _module_cast, db, time_machine):
    """The cast on a fixed Monday: deadlines and slots are the same on every run. Shared by
    a module's tests as the root conftest's `cast` is (built once at the same moment,
    deep-copied for each test), else built for the test."""
    import copy

    from opiskeluhuolto.testing.cast import build

    time_machine.move_to(MONDAY, tick=False)
    if _module_cast is not None and _module_cast.open:
        return copy.deepcopy(_module_cast.built)
    return build(timezone.localdate())


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=ZoneInfo("Europe/Helsinki"))


@pytest.fixture
def english():
    """Messages in English, so the tests read like the source strings."""
    from django.utils import translation

    with translation.override("en"):
        yield
