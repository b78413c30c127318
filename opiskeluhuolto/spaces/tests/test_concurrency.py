"""Parallel attempts at overlapping times of one space give exactly one booking.

Like the appointments' double-booking test: each thread has its own connection, so the
attempts really overlap. Each attempt wants a different start (10.00, 10.10, …), so the
unique start alone would let them all in: what decides is the space's write lock with the
overlap check in the same transaction (every database) and, on PostgreSQL, the exclusion
constraint. SQLite's shared in-memory test database may report a locked table instead of
waiting; such an attempt wrote nothing.
"""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, connections, transaction

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.spaces import actions
from opiskeluhuolto.spaces.models import Booking

from .conftest import at, make_space, next_monday

ATTEMPTS = 8


@pytest.fixture
def setting(transactional_db):
    from django.utils import timezone

    from opiskeluhuolto.testing.cast import build

    cast = build(timezone.localdate())
    space = make_space(cast)
    users = [User.objects.create(username=f"u{i}") for i in range(ATTEMPTS)]
    return space, users


def test_parallel_overlapping_attempts_give_exactly_one_booking(setting):
    space, users = setting
    monday = next_monday()
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(i, user):
        try:
            barrier.wait()
            start = at(monday, 10) + timedelta(minutes=10 * i)
            try:
                actions.book(
                    space,
                    by=user,
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                    kind="staff",
                )
                result = "booked"
            except ValidationError:
                result = "refused"
            except OperationalError:
                result = "refused" if connection.vendor == "sqlite" else "error"
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i, u)) for i, u in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["booked"] + ["refused"] * (ATTEMPTS - 1)
    assert Booking.objects.filter(space=space, status="active").count() == 1


def test_the_database_itself_refuses_a_second_booking(setting):
    """Bypassing the action: every database refuses a second active booking at the same
    start; PostgreSQL refuses any overlap (the exclusion constraint)."""
    space, users = setting
    start = at(next_monday(), 10)
    Booking.objects.create(
        space=space, starts_at=start, ends_at=start + timedelta(hours=2), kind="staff"
    )
    shift = timedelta(minutes=30) if connection.vendor == "postgresql" else timedelta(0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            space=space,
            starts_at=start + shift,
            ends_at=start + shift + timedelta(hours=2),
            kind="staff",
        )
    # A cancelled booking frees the time.
    Booking.objects.update(status=Booking.Status.CANCELLED)
    Booking.objects.create(
        space=space, starts_at=start + shift, ends_at=start + timedelta(hours=3), kind="staff"
    )
