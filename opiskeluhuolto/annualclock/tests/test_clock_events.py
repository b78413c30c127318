"""The annual clock writes its own audit rows, not the meetings app's (issue 15), and the
rows it wrote there before move over with their time, person and object."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from opiskeluhuolto.annualclock import actions
from opiskeluhuolto.annualclock.models import ClockEvent
from opiskeluhuolto.meetings.models import CommunalEvent

AFTER = [("annualclock", "0002_clock_events")]


@pytest.mark.django_db
def test_clock_actions_write_their_own_rows(cast):
    clock = actions.create_clock(by=cast.admin, provider=cast.provider, name="K", kind="welfare")
    assert not CommunalEvent.objects.exists()
    event = ClockEvent.objects.get()
    assert (event.verb, event.object_type, event.object_id, event.actor) == (
        "clock.create",
        "clock",
        clock.pk,
        cast.admin,
    )


def _state_at(targets):
    """The models as the migration sees them (its historical state), on today's tables.

    The migration's function runs on those models without migrating the database back
    and forth: that round trip re-rendered the state of every later migration and took
    70–76 s of each CI pass. The tables the function reads and writes are the same ones
    at the target and today; were a column added without a default since, the writes
    below would fail and say so."""
    return MigrationLoader(connection).project_state(targets).apps


@pytest.mark.django_db
def test_the_clock_rows_move_out_of_the_meetings_table():
    migration = importlib.import_module("opiskeluhuolto.annualclock.migrations.0002_clock_events")
    old = _state_at(AFTER)
    User = old.get_model("accounts", "User")
    Event = old.get_model("meetings", "CommunalEvent")
    person = User.objects.create(username="p")
    at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    Event.objects.create(actor=person, verb="clock.item.add", object_type="clockitem", object_id=7)
    Event.objects.filter(verb="clock.item.add").update(at=at)
    Event.objects.create(actor=person, verb="meeting.schedule", object_type="meeting", object_id=3)

    migration.move_rows(old, None)

    moved = old.get_model("annualclock", "ClockEvent").objects.get()
    assert (moved.verb, moved.object_type, moved.object_id) == ("clock.item.add", "clockitem", 7)
    assert (moved.at, moved.actor_id) == (at, person.pk)
    kept = Event.objects.values_list("verb", flat=True)
    assert list(kept) == ["meeting.schedule"]

    # Backwards, the rows go back with their time and person.
    migration.move_back(old, None)
    back = Event.objects.get(verb="clock.item.add")
    assert (back.at, back.actor_id, back.object_id) == (at, person.pk, 7)
