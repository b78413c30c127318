"""The Redis cache keeps one client per connection pool (no Redis server needed: building
clients and pools connects to nothing)."""

from opiskeluhuolto.lib.rediscache import RedisCache


def backend(location):
    return RedisCache(location, {})._cache


def test_every_call_gets_the_same_client_on_the_same_pool():
    client = backend("redis://127.0.0.1:6379/7")
    first = client.get_client("a")
    assert client.get_client("b") is first
    assert client.get_client("a", write=True) is first
    assert first.connection_pool is client._get_connection_pool(write=True)


def test_each_server_has_its_own_client():
    client = backend("redis://127.0.0.1:6379/7,redis://127.0.0.1:6380/7")
    writer = client.get_client(write=True)
    reader = client.get_client()  # reads go to the other servers
    assert writer is not reader
    assert writer.connection_pool is not reader.connection_pool
    assert client.get_client() is reader
    assert reader.connection_pool.connection_kwargs["port"] == 6380
