"""A Redis cache backend with one Redis client for the process, over redis-py's public API.

Django's own `django.core.cache.backends.redis.RedisCache` builds a new `redis.Redis` for
every cache operation, and building one copies redis-py's table of response callbacks
(about 60 µs of CPU). A signed-in page makes several cache operations (the session, the
permission facts, free times), so that was a measurable part of every request. A
`redis.Redis` holds no connection of its own: it takes one from its pool for each command
and is safe to share between threads (and its pool starts afresh in a forked process).

Hand-written rather than a subclass of Django's backend because the part to change
(`RedisCacheClient.get_client`) is private to Django and may change in any release. This
implements Django's documented cache API (`BaseCache`) over one `redis.Redis.from_url`
client, and stores values exactly as Django's backend does (integers as they are, so
that `incr` works in Redis; everything else pickled), so the two can read each other's
keys during an upgrade. One server only: `CACHE_LOCATION=redis://host:6379/0`; OPTIONS
go to `redis.Redis.from_url` (e.g. `{"max_connections": 50}`).

    CACHE_BACKEND=opiskeluhuolto.lib.rediscache.RedisCache
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from functools import cached_property
from typing import Any

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.exceptions import ImproperlyConfigured


def dumps(value: Any) -> int | bytes:
    # `type(...) is int`, as Django's backend: a bool is pickled, so it reads back a bool.
    return value if type(value) is int else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def loads(data: bytes | str) -> Any:
    try:
        return int(data)
    except ValueError:
        return pickle.loads(data)  # type: ignore[arg-type]  # noqa: S301 - bytes (no decode_responses); only we write


class RedisCache(BaseCache):
    def __init__(self, server: str | list[str], params: dict) -> None:
        super().__init__(params)
        servers = [server] if isinstance(server, str) else list(server)
        if len(servers) != 1 or "," in servers[0] or ";" in servers[0]:
            raise ImproperlyConfigured("RedisCache takes exactly one redis:// address")
        self._url = servers[0]
        self._options = params.get("OPTIONS", {})

    @cached_property
    def client(self) -> redis.Redis:
        """The one client, and its connection pool, of this backend object (Django's
        cache handler keeps one backend object per thread, as with its own backend)."""
        return redis.Redis.from_url(self._url, **self._options)

    def get_backend_timeout(self, timeout: float | None = DEFAULT_TIMEOUT) -> int | None:
        if timeout == DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        # None keeps the key for ever; zero or less deletes it.
        return None if timeout is None else max(0, int(timeout))

    def _key(self, key: str, version: int | None) -> str:
        return self.make_and_validate_key(key, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key, ttl = self._key(key, version), self.get_backend_timeout(timeout)
        if ttl == 0:
            added = bool(self.client.set(key, dumps(value), nx=True))
            if added:
                self.client.delete(key)
            return added
        return bool(self.client.set(key, dumps(value), ex=ttl, nx=True))

    def get(self, key, default=None, version=None) -> Any:
        value = self.client.get(self._key(key, version))
        return default if value is None else loads(value)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        key, ttl = self._key(key, version), self.get_backend_timeout(timeout)
        if ttl == 0:
            self.client.delete(key)
        else:
            self.client.set(key, dumps(value), ex=ttl)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key, ttl = self._key(key, version), self.get_backend_timeout(timeout)
        if ttl is None:
            return bool(self.client.persist(key))
        return bool(self.client.expire(key, ttl))

    def delete(self, key, version=None) -> bool:
        return bool(self.client.delete(self._key(key, version)))

    def get_many(self, keys: Iterable[str], version=None) -> dict[str, Any]:
        names = {self._key(key, version): key for key in keys}
        if not names:
            return {}
        values = self.client.mget(list(names))
        return {names[k]: loads(v) for k, v in zip(names, values, strict=True) if v is not None}

    def has_key(self, key, version=None) -> bool:
        return bool(self.client.exists(self._key(key, version)))

    def incr(self, key, delta=1, version=None) -> int:
        key = self._key(key, version)
        if not self.client.exists(key):
            raise ValueError(f"Key '{key}' not found.")
        return int(self.client.incr(key, delta))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        if not data:
            return []
        ttl = self.get_backend_timeout(timeout)
        values = {self._key(key, version): dumps(value) for key, value in data.items()}
        with self.client.pipeline() as pipe:
            if ttl == 0:
                pipe.delete(*values)
            else:
                pipe.mset(values)
                if ttl is not None:  # MSET takes no expiry: one EXPIRE per key
                    for key in values:
                        pipe.expire(key, ttl)
            pipe.execute()
        return []

    def delete_many(self, keys, version=None) -> None:
        names = [self._key(key, version) for key in keys]
        if names:
            self.client.delete(*names)

    def clear(self) -> None:
        """Empty the Redis database of CACHE_LOCATION (as Django's backend: FLUSHDB)."""
        self.client.flushdb()

    def close(self, **kwargs) -> None:
        """Connections go back to the pool after each command; nothing to close per request."""
