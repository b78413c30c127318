"""The Redis cache keeps one client per server (no Redis server needed: building clients
and pools connects to nothing). tests/test_redis.py runs it against a real Redis."""

from opiskeluhuolto.lib.rediscache import RedisCache


def test_every_call_gets_the_same_client_on_the_same_pool():
    cache = RedisCache("redis://127.0.0.1:6379/7", {})
    first = cache.client
    assert cache.client is first and cache._reader() is first
    assert first.connection_pool is cache.client.connection_pool
    assert first.connection_pool.connection_kwargs["db"] == 7


def test_each_server_has_its_own_client():
    cache = RedisCache("redis://127.0.0.1:6379/7,redis://127.0.0.1:6380/7", {})
    writer = cache.client
    reader = cache._reader()  # reads go to the other servers
    assert writer is not reader
    assert writer.connection_pool is not reader.connection_pool
    assert cache._reader() is reader
    assert reader.connection_pool.connection_kwargs["port"] == 6380
    assert writer.connection_pool.connection_kwargs["port"] == 6379


def test_options_reach_the_pool():
    cache = RedisCache("redis://127.0.0.1:6379/0", {"OPTIONS": {"max_connections": 7}})
    assert cache.client.connection_pool.max_connections == 7
