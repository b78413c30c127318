"""A test world built once per test module and rolled back at its end.

The access tests (the permission matrix, the distance test) ask hundreds of URLs of the
same cast. Building the cast and every app's matrix objects for each URL cost more than
the requests themselves, so those modules build them once, in a transaction around the
whole module; pytest-django's per-test transaction is then a savepoint inside it, rolled
back after each test, so every test starts from the same world, as if freshly built.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings

#: The settings every test runs with (conftest.py `_fast_and_quiet` sets them per test).
#: A module-scoped world is built before those per-test settings apply, so it sets them
#: itself while building.
TEST_SETTINGS = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "REQUIRE_STAFF_MFA": False,
    # Strong identification is tested on its own (accounts/tests/test_oidc.py).
    "REQUIRE_STRONG_ID": False,
    "TASKS": {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
    # Uploaded files (procedure attachments) go to a temporary directory, not var/media.
    "MEDIA_ROOT": tempfile.mkdtemp(prefix="opiskeluhuolto-test-media-"),
}


class ModuleWorld[T]:
    """A world built with `build()` in a transaction that stays open until `close()`,
    which rolls it back (once; later calls do nothing).

    `module_world` closes it when its block ends; conftest.py's shared cast closes it
    earlier, before the first test of its module that must not see it."""

    def __init__(self, django_db_blocker, build: Callable[[], T]) -> None:
        self._blocker = django_db_blocker
        self._atomic = transaction.atomic()
        # Like the transaction of django.test.TestCase: an application's
        # `atomic(durable=True)` inside a test is not refused because of this one.
        self._atomic._from_testcase = True  # type: ignore[attr-defined]  # as TestCase sets it
        self.open = False
        # The database is unblocked only to build and to roll back: between, a test of the
        # module that asks for no database is refused it, as everywhere.
        with django_db_blocker.unblock():
            self._atomic.__enter__()
            self.open = True
            try:
                if connection.vendor == "postgresql":
                    # As conftest.py does for each test: the access log's chain is checked
                    # at each INSERT, since this transaction never commits.
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS records_log_chain IMMEDIATE")
                cache.clear()
                with override_settings(**TEST_SETTINGS):
                    self.built: T = build()
            except BaseException:
                self.close()
                raise

    def close(self) -> None:
        if not self.open:
            return
        self.open = False
        with self._blocker.unblock():
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)
            cache.clear()


@contextmanager
def module_world[T](django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """Build a world with `build()` in a transaction that is rolled back when the block ends.

    Use from a module-scoped fixture that depends on `django_db_setup`; the tests using it
    must be marked `django_db` (non-transactional), so each runs in a savepoint of its own.
    """
    world = ModuleWorld(django_db_blocker, build)
    try:
        yield world.built
    finally:
        world.close()


def facts_of(users) -> dict[str, object]:
    """The cached access facts (`access.facts.restore`) of `users` as the world stands,
    computed now, to be put back into the cache at the start of each test of the module
    (`keep_facts`).

    Each test starts from the world as built, so the facts token is the one read here, and
    facts cached under it are the ones any request would compute again (a fact computed
    after a write of its request is kept only while the token is unchanged; a write
    changes the token, and facts under a new token are never kept). Without them each test's `cache.clear()` (conftest.py)
    made every request of the permission matrix and the distance test compute its user's
    facts anew: a third of their time.
    """
    from opiskeluhuolto.access import facts
    from opiskeluhuolto.access.permissions import Permissions
    from opiskeluhuolto.accounts.models import User

    keys = []
    for user in users:
        can = Permissions(User.objects.get(pk=user.pk))  # a copy: nothing kept on `user`
        facts.restore(can)
        for name in facts.FACTS:  # each computed and cached under the token
            getattr(can, name)
        keys += facts.keys(can)
    return cache.get_many(keys)


def build_matrix_world():
    """The cast with every app's matrix objects (`access.matrix.setup_cast`) and its
    members' facts (`facts_of`): the world of the permission matrix and of the production
    pages test, built once per module through `module_world`."""
    from django.utils import timezone

    from opiskeluhuolto.access.matrix import setup_cast
    from opiskeluhuolto.testing.cast import MEMBERS, build

    cast = build(timezone.localdate())
    setup_cast(cast)
    users = [cast.member(m) for m in MEMBERS if m != "anonymous"]
    return cast, facts_of(users)


def keep_facts(entries: dict[str, object]) -> None:
    """Put the world's facts (`facts_of`) back into the emptied cache."""
    cache.set_many(entries)
