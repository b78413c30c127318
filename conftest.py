import os

import pytest

# Browser tests drive a live server from a sync Playwright session.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    from django.core.cache import cache

    cache.clear()  # the database is rolled back after each test: nothing cached may outlive it
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REQUIRE_STAFF_MFA = False
    # Strong identification is tested on its own (accounts/tests/test_oidc.py).
    settings.REQUIRE_STRONG_ID = False
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _access_log_chained_per_statement(request):
    """On PostgreSQL the access log is chained as its transaction commits (records
    migration 0003). A test in a transaction that is rolled back never commits, so there
    the same trigger runs at the end of each INSERT instead. Tests with real commits
    (`transaction=True`, the browser tests) keep the deferred chaining of production."""
    marker = request.node.get_closest_marker("django_db")
    fixtures = request.fixturenames
    if not (marker or "db" in fixtures):
        return
    if (marker and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(fixtures):
        return
    request.getfixturevalue("db")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS records_log_chain IMMEDIATE")


@pytest.fixture
def cast(db):
    from django.utils import timezone

    from opiskeluhuolto.testing.cast import build

    return build(timezone.localdate())
