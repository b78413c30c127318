"""The shared cache of several app servers, against a real Redis (TEST_REDIS_URL).

`.ci/run` starts a Redis of its own and sets TEST_REDIS_URL; without it these tests are
deselected and the summary says so (conftest.py). Production with more than one app
server uses `opiskeluhuolto.lib.rediscache.RedisCache` and `cached_db` sessions
(README, Production).
"""

import json
from datetime import date

import pytest
import redis
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opiskeluhuolto.access.permissions import for_user
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.lib.rediscache import RedisCache
from opiskeluhuolto.organisation.models import Role, RoleAssignment
from opiskeluhuolto.testing.second_process import manage, shared_database

pytestmark = pytest.mark.redis

BACKEND = "opiskeluhuolto.lib.rediscache.RedisCache"


@pytest.fixture
def backend(redis_url):
    ours = RedisCache(redis_url, {"KEY_PREFIX": "t"})
    ours.clear()
    yield ours
    ours.clear()


@pytest.fixture
def shared_cache(settings, redis_url):
    """The project's cache is the Redis one, emptied before and after."""
    settings.CACHES = {"default": {"BACKEND": BACKEND, "LOCATION": redis_url}}
    cache.clear()
    yield cache
    cache.clear()


def test_the_backend_behaves_as_djangos_and_reads_its_keys(backend, redis_url):
    djangos = DjangoRedisCache(redis_url, {"KEY_PREFIX": "t"})
    # Same stored form both ways: an upgrade may run old and new servers side by side.
    djangos.set("object", {"day": date(2026, 11, 9), "ids": [1, 2]})
    assert backend.get("object") == {"day": date(2026, 11, 9), "ids": [1, 2]}
    backend.set("count", 5)
    assert djangos.get("count") == 5
    assert backend.client.get(backend.make_key("count")) == b"5"  # raw, so INCR works
    assert backend.incr("count", 2) == 7 and djangos.get("count") == 7
    backend.set("flag", True)
    assert djangos.get("flag") is True
    with pytest.raises(ValueError):
        backend.incr("missing")

    assert backend.add("count", 1) is False and backend.add("new", 1) is True
    assert backend.get("absent", "default") == "default"
    backend.set("gone", 1, timeout=0)
    assert not backend.has_key("gone")
    backend.set("forever", 1, timeout=None)
    assert backend.client.ttl(backend.make_key("forever")) == -1
    assert backend.touch("forever", 60) and backend.client.ttl(backend.make_key("forever")) > 0
    assert backend.delete("forever") and not backend.delete("forever")

    assert backend.set_many({"a": 1, "b": "kaksi"}, timeout=60) == []
    assert backend.get_many(["a", "b", "c"]) == {"a": 1, "b": "kaksi"}
    assert backend.get_many([]) == {}
    backend.delete_many(["a", "b"])
    assert backend.get_many(["a", "b"]) == {}


def test_one_client_serves_every_operation(redis_url, monkeypatch):
    """The reason the module exists: Django's backend builds a client per operation."""
    made = []
    build = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        made.append(1)
        build(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    ours = RedisCache(redis_url, {"KEY_PREFIX": "one-client"})
    for n in range(10):
        ours.set(f"k{n}", n)
        assert ours.get(f"k{n}") == n
    ours.delete_many([f"k{n}" for n in range(10)])
    assert len(made) == 1


def test_sessions_are_read_from_the_shared_cache(cast, client, settings, shared_cache):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(cast.teacher)
    key = "django.contrib.sessions.cached_db" + client.session.session_key
    assert shared_cache.get(key)
    assert Session.objects.filter(session_key=client.session.session_key).exists()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("front:home")).status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert not [sql for sql in reads if "django_session" in sql], "read from the database"
    client.post(reverse("account_logout"))
    assert shared_cache.get(key) is None
    assert client.get(reverse("front:home")).status_code == 302


#: Run in another process: the facts token, whether that process found the teacher's
#: facts in the shared cache under it, and whether it sees the teacher as principal.
OTHER_SERVER = """
import json
from django.core.cache import cache
from django.utils import timezone
from opiskeluhuolto.access import facts
from opiskeluhuolto.access.permissions import for_user
from opiskeluhuolto.accounts.models import User
user = User.objects.get(pk={pk})
token = facts.token()
# One fact, the role assignments (access.facts keeps each fact under its own key).
found = cache.get(f"access-facts:{pk}:{{timezone.localdate().isoformat()}}:{{token}}:grants")
print(json.dumps({{"token": token, "cached": found is not None,
                   "principal": for_user(user).has_role("principal")}}))
"""


@pytest.mark.django_db(transaction=True)
def test_a_role_change_reaches_another_server_process_at_once(
    cast, shared_cache, redis_url, tmp_path
):
    teacher = cast.teacher
    can = for_user(User.objects.get(pk=teacher.pk))  # caches the facts in Redis
    assert not can.has_role(Role.PRINCIPAL) and can.facts_token is not None

    def other_server() -> dict:
        with shared_database(tmp_path) as env:
            out = manage(
                "shell",
                "-c",
                OTHER_SERVER.format(pk=teacher.pk),
                env={**env, "CACHE_BACKEND": BACKEND, "CACHE_LOCATION": redis_url},
            )
        return json.loads(out.strip().splitlines()[-1])

    # The other process reads the facts this one cached, under the same token.
    assert other_server() == {"token": can.facts_token, "cached": True, "principal": False}
    RoleAssignment.objects.create(
        user=teacher,
        role=Role.PRINCIPAL,
        provider=cast.provider,
        institution=cast.lukio,
        valid_from=cast.today,
    )
    seen = other_server()
    assert seen["token"] != can.facts_token, "the write changed the token"
    assert seen == {"token": seen["token"], "cached": False, "principal": True}
