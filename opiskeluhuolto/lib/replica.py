"""Reads of dashboards, exports and statistics from a streaming replica (issue 21, part 5).

With `DATABASE_REPLICA_URL` set, settings.py adds the database alias `replica` (a
PostgreSQL hot standby of the primary). `ReplicaRouter` sends a read there only while a
view marked `@replica_reads` runs; everything else reads from the primary, and every
write goes to the primary, always. Three things keep a reader on the primary:

- a write earlier in the same request (the rest of the request reads its own writes);
- a write request (POST, PUT, PATCH, DELETE) in the last `REPLICA_PIN_SECONDS`: the
  response sets the cookie `PIN_COOKIE`, which lives that long, so the person who has
  just written sees it on the next dashboard even if the replica lags;
- a replica that does not answer: the router falls back to the primary and asks again
  after `RECHECK_SECONDS`.

Raw SQL of a marked view must pick its connection with `connection_for_read(Model)`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router

REPLICA = "replica"
PIN_COOKIE = "oh_primary"
#: After a failed connection the replica is not asked again for this long.
RECHECK_SECONDS = 10.0
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_wanted: ContextVar[bool] = ContextVar("replica_wanted", default=False)
_primary_only: ContextVar[bool] = ContextVar("replica_primary_only", default=False)
#: Monotonic time until which the replica counts as down.
_down_until = [0.0]


def configured() -> bool:
    return REPLICA in settings.DATABASES


def pin_seconds() -> int:
    return int(getattr(settings, "REPLICA_PIN_SECONDS", 5))


def available() -> bool:
    """The replica answers (a connection is open or opens); remembered as down for a while."""
    if time.monotonic() < _down_until[0]:
        return False
    conn = connections[REPLICA]
    try:
        conn.ensure_connection()
    except DatabaseError:
        conn.close()
        _down_until[0] = time.monotonic() + RECHECK_SECONDS
        return False
    return True


def mark_down() -> None:
    _down_until[0] = time.monotonic() + RECHECK_SECONDS


def reads_from_replica() -> bool:
    """Would a read now go to the replica?"""
    if not (_wanted.get() and configured()) or _primary_only.get():
        return False
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return False  # a transaction on the primary reads its own snapshot
    return available()


class ReplicaRouter:
    """Reads of `@replica_reads` views to the replica; writes and migrations to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if reads_from_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        _primary_only.set(True)  # read your own writes for the rest of this request
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # a standby is read-only; it follows the primary's schema


def connection_for_read(model):
    """The connection a raw-SQL read about `model` should use (the router's choice)."""
    return connections[router.db_for_read(model)]


def replica_reads(view: Callable) -> Callable:
    """Mark a read-only view (a dashboard, an export, statistics) as one the replica may serve."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        token = _wanted.set(True)
        try:
            return view(request, *args, **kwargs)
        finally:
            _wanted.reset(token)

    wrapped.replica_reads = True  # type: ignore[attr-defined]
    return wrapped


class ReplicaPinMiddleware:
    """Keeps the person who has just written on the primary for `REPLICA_PIN_SECONDS`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _primary_only.set(PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            _primary_only.reset(token)
        if request.method in UNSAFE_METHODS and configured():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=pin_seconds(),
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
