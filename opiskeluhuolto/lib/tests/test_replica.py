"""The replica router without a replica (issue 21, part 5): which alias each read and write
gets. The real streaming replica is started in test_replica_streaming.py."""

from __future__ import annotations

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, router, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from opiskeluhuolto.lib import replica
from opiskeluhuolto.organisation.models import Provider


@pytest.fixture
def with_replica(monkeypatch):
    """A replica that is configured and answers; no connection is opened."""
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "available", lambda: True)


def _reads_in(view_body, *, method="get", cookies=None):
    """Run `view_body` as a `@replica_reads` view behind the pin middleware; its result and
    the response."""
    seen = {}

    @replica.replica_reads
    def view(request):
        seen["result"] = view_body()
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method)("/")
    request.COOKIES.update(cookies or {})
    response = replica.ReplicaPinMiddleware(view)(request)
    return seen["result"], response


def test_without_a_replica_everything_reads_from_the_primary():
    result, _ = _reads_in(lambda: router.db_for_read(Provider))
    assert result == DEFAULT_DB_ALIAS


def test_a_marked_view_reads_from_the_replica(with_replica):
    result, response = _reads_in(lambda: router.db_for_read(Provider))
    assert result == replica.REPLICA
    assert replica.PIN_COOKIE not in response.cookies


def test_other_code_reads_from_the_primary(with_replica):
    assert router.db_for_read(Provider) == DEFAULT_DB_ALIAS


def test_writes_never_go_to_the_replica_and_the_request_then_reads_its_writes(with_replica):
    def body():
        before = router.db_for_read(Provider)
        write = router.db_for_write(Provider)
        return before, write, router.db_for_read(Provider)

    (before, write, after), _ = _reads_in(body)
    assert (before, write, after) == (replica.REPLICA, DEFAULT_DB_ALIAS, DEFAULT_DB_ALIAS)
    # The next request starts afresh.
    result, _ = _reads_in(lambda: router.db_for_read(Provider))
    assert result == replica.REPLICA


def test_a_write_request_pins_the_person_to_the_primary_for_a_few_seconds(with_replica, settings):
    settings.REPLICA_PIN_SECONDS = 7
    _, response = _reads_in(lambda: None, method="post")
    cookie = response.cookies[replica.PIN_COOKIE]
    assert cookie["max-age"] == 7 and cookie["httponly"]
    result, _ = _reads_in(lambda: router.db_for_read(Provider), cookies={replica.PIN_COOKIE: "1"})
    assert result == DEFAULT_DB_ALIAS


def test_no_pin_cookie_without_a_replica():
    _, response = _reads_in(lambda: None, method="post")
    assert replica.PIN_COOKIE not in response.cookies


@pytest.mark.django_db
def test_a_transaction_on_the_primary_reads_from_the_primary(with_replica):
    def body():
        with transaction.atomic():
            return router.db_for_read(Provider)

    result, _ = _reads_in(body)
    assert result == DEFAULT_DB_ALIAS


def test_a_replica_that_does_not_answer_falls_back_to_the_primary(monkeypatch):
    tries = []

    class Down:
        def ensure_connection(self):
            tries.append(1)
            raise OperationalError("connection refused")

        def close(self):
            pass

    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "connections", {replica.REPLICA: Down(), "default": _NoAtomic()})
    monkeypatch.setattr(replica, "_down_until", [0.0])
    for _ in range(3):
        result, _ = _reads_in(lambda: router.db_for_read(Provider))
        assert result == DEFAULT_DB_ALIAS
    assert tries == [1]  # asked once, then left alone for RECHECK_SECONDS


class _NoAtomic:
    in_atomic_block = False


def test_the_replica_is_never_migrated():
    r = replica.ReplicaRouter()
    assert r.allow_migrate(replica.REPLICA, "records") is False
    assert r.allow_migrate(DEFAULT_DB_ALIAS, "records") is True


@pytest.mark.parametrize(
    "name",
    [
        "insights:dashboard",
        "insights:export_csv",
        "insights:chart_svg",
        "insights:report_pdf",
        "appointments:report",
        "appointments:report_csv",
        "appointments:statistics",
        "appointments:statistics_csv",
    ],
)
def test_dashboards_exports_and_statistics_are_served_from_the_replica(name, with_replica):
    """Each of these views runs with the replica wanted (and nothing else marks itself)."""
    from django.urls import resolve, reverse

    assert getattr(resolve(reverse(name)).func, "replica_reads", False)
