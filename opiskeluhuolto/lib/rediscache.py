"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

`django.core.cache.backends.redis.RedisCacheClient.get_client` builds a new
`redis.Redis` for every cache operation, and building one copies redis-py's table of
response callbacks (about 60 µs of CPU). A signed-in page makes several cache
operations (the session, the permission facts, free times), so this was a measurable
part of every request. A `redis.Redis` holds no connection of its own: it takes one from
its pool for each command and is safe to share between threads. Behaviour is otherwise
Django's.

    CACHE_BACKEND=opiskeluhuolto.lib.rediscache.RedisCache
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # The pools live as long as this object, so their ids are not reused.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
