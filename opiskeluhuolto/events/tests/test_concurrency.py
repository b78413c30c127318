"""50 parallel registrations for 10 places fill exactly 10 (the event row lock decides).

Like the appointments' double-booking test: each thread has its own connection, so the
attempts really overlap. On PostgreSQL `select_for_update` serialises them and every
attempt gets an answer (a place or the waiting list); SQLite's shared in-memory test
database may instead report a locked table, which leaves nothing written.
"""

import threading

import pytest
from django.db import OperationalError, connection, connections
from django.utils import timezone

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.events import actions
from opiskeluhuolto.events.models import Registration

from .conftest import make_event, make_group

ATTEMPTS = 50
CAPACITY = 10


@pytest.fixture
def setting(transactional_db):
    from opiskeluhuolto.testing.cast import build

    cast = build(timezone.localdate())
    event = make_event(cast, make_group(cast), capacity=CAPACITY, audience="staff")
    users = [User.objects.create(username=f"u{i}") for i in range(ATTEMPTS)]
    return event, users


def test_fifty_parallel_attempts_fill_exactly_the_capacity(setting):
    event, users = setting
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user):
        try:
            barrier.wait()
            try:
                result = actions.register(event, user).status
            except OperationalError:
                result = "locked" if connection.vendor == "sqlite" else "error"
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert "error" not in outcomes
    registered = Registration.objects.filter(event=event, status="registered").count()
    assert outcomes.count("registered") == registered
    if connection.vendor == "postgresql":
        assert registered == CAPACITY
        assert outcomes.count("waiting") == ATTEMPTS - CAPACITY
    else:
        assert registered == min(CAPACITY, ATTEMPTS - outcomes.count("locked"))
    assert registered <= CAPACITY
