"""portal/cache.py: Django's Redis cache with one client object per pool."""

from __future__ import annotations

import os

import pytest
from django.core.cache import caches

from portal.cache import RedisCache


@pytest.fixture
def redis_cache():
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        message = "needs CACHE_URL=redis://..."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return cache


def test_every_call_reuses_one_client_per_pool(redis_cache):
    redis_cache.set("portal-cache-test", {"a": 1}, timeout=30)
    first = redis_cache._cache.get_client(write=False)
    assert redis_cache.get("portal-cache-test") == {"a": 1}
    assert redis_cache.get_many(["portal-cache-test", "nothing"]) == {"portal-cache-test": {"a": 1}}
    assert redis_cache._cache.get_client(write=False) is first
    assert redis_cache.add("portal-cache-test", 2) is False
    redis_cache.delete("portal-cache-test")
    assert redis_cache.get("portal-cache-test") is None


def test_a_forked_child_talks_to_redis_on_its_own_connection(redis_cache):
    redis_cache.set("portal-cache-fork", "parent", timeout=30)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a prefork worker or a gunicorn worker
        try:
            redis_cache.set("portal-cache-fork", "child", timeout=30)
            os.write(write, b"ok" if redis_cache.get("portal-cache-fork") == "child" else b"no")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 2) == b"ok"
    assert redis_cache.get("portal-cache-fork") == "child"
