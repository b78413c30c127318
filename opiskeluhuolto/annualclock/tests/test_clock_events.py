"""The annual clock writes its own audit rows, not the meetings app's (issue 15), and the
rows it wrote there before move over with their time, person and object."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from opiskeluhuolto.annualclock import actions
from opiskeluhuolto.annualclock.models import ClockEvent
from opiskeluhuolto.meetings.models import CommunalEvent

BEFORE = [("annualclock", "0001_annual_clocks"), ("meetings", "0002_plan_evaluations")]
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


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_clock_rows_move_out_of_the_meetings_table():
    old = _migrate(BEFORE)
    try:
        User = old.get_model("accounts", "User")
        Event = old.get_model("meetings", "CommunalEvent")
        person = User.objects.create(username="p")
        at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
        Event.objects.create(
            actor=person, verb="clock.item.add", object_type="clockitem", object_id=7
        )
        Event.objects.filter(verb="clock.item.add").update(at=at)
        Event.objects.create(
            actor=person, verb="meeting.schedule", object_type="meeting", object_id=3
        )
        new = _migrate(AFTER)
        moved = new.get_model("annualclock", "ClockEvent").objects.get()
        assert (moved.verb, moved.object_type, moved.object_id) == (
            "clock.item.add",
            "clockitem",
            7,
        )
        assert (moved.at, moved.actor_id) == (at, person.pk)
        kept = new.get_model("meetings", "CommunalEvent").objects.values_list("verb", flat=True)
        assert list(kept) == ["meeting.schedule"]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
