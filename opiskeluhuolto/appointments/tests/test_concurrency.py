"""Parallel attempts at one time give exactly one booking (the database decides).

Runs against whatever database is configured: on PostgreSQL the exclusion
constraint and the unique active slot refuse the losers; on SQLite the writes
are serialised and the unique constraint refuses them. Each thread has its own
connection, so the attempts really overlap.
"""

import threading
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, connections
from django.utils import timezone

from opiskeluhuolto.appointments import actions
from opiskeluhuolto.appointments.models import AppointmentRequest, Booking
from opiskeluhuolto.appointments.slots import free_slots
from opiskeluhuolto.organisation.models import Role

ATTEMPTS = 6


@pytest.fixture
def setting(transactional_db):
    from opiskeluhuolto.testing.cast import build

    cast = build(timezone.localdate())
    today = timezone.localdate()
    for weekday in range(5):
        actions.add_hours(
            cast.kuraattori,
            cast.lukio,
            kind="bookable",
            weekday=weekday,
            starts_at=time(8),
            ends_at=time(16),
            slot_minutes=60,
            mode="on_site",
            place="",
            valid_from=today - timedelta(days=7),
        )
    slots = free_slots(
        cast.kuraattori.pk,
        cast.lukio.pk,
        cast.lukio.school_calendar(),
        today,
        today + timedelta(120),
    )
    requests = [
        actions.create_request(
            student,
            service=Role.SOCIAL_WORKER,
            requested_by=AppointmentRequest.RequestedBy.STAFF,
            channel=AppointmentRequest.Channel.IN_PERSON,
            actor=cast.kuraattori,
        )
        for student in [cast.aino, cast.onni] * (ATTEMPTS // 2)
    ]
    return cast, slots[0], requests


def test_parallel_attempts_on_one_time_give_exactly_one_booking(setting):
    cast, slot, requests = setting
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(req):
        try:
            barrier.wait()
            try:
                actions.book(
                    student=req.student,
                    professional=cast.kuraattori,
                    starts_at=slot.starts_at,
                    actor=cast.kuraattori,
                    request=req,
                )
                result = "booked"
            except ValidationError:
                result = "refused"
            except OperationalError:
                # SQLite's shared in-memory test database reports a locked table
                # instead of waiting: the attempt failed, nothing was written.
                result = "refused" if connection.vendor == "sqlite" else "error"
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(r,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["booked"] + ["refused"] * (ATTEMPTS - 1)
    assert Booking.objects.active().filter(professional=cast.kuraattori).count() == 1
    booked = Booking.objects.get()
    assert booked.starts_at == slot.starts_at
    # Every loser's request is still waiting for a time: nothing was lost.
    assert AppointmentRequest.objects.open().count() == ATTEMPTS - 1


def test_the_database_itself_refuses_overlaps(setting):
    """Bypassing the action: PostgreSQL refuses any overlapping range (exclusion
    constraint); every database refuses a second active booking at the same start."""
    from django.db import IntegrityError, transaction

    cast, slot, _requests = setting
    Booking.objects.create(
        professional=cast.kuraattori,
        student=cast.aino,
        institution=cast.lukio,
        service=Role.SOCIAL_WORKER,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        booked_by=cast.kuraattori,
    )
    shift = timedelta(minutes=30) if connection.vendor == "postgresql" else timedelta(0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            professional=cast.kuraattori,
            student=cast.onni,
            institution=cast.lukio,
            service=Role.SOCIAL_WORKER,
            starts_at=slot.starts_at + shift,
            ends_at=slot.ends_at + shift,
            booked_by=cast.kuraattori,
        )
    # A cancelled booking frees the time for a new one.
    Booking.objects.update(status=Booking.Status.CANCELLED)
    Booking.objects.create(
        professional=cast.kuraattori,
        student=cast.onni,
        institution=cast.lukio,
        service=Role.SOCIAL_WORKER,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        booked_by=cast.kuraattori,
    )
