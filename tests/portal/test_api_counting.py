"""The API's rate limits counted in one round trip (portal/api/counting.py)."""

from __future__ import annotations

import pickle

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache

from portal.api.counting import count


@pytest.fixture
def redis_cache():
    if not isinstance(cache._connections[cache._alias], RedisCache):
        pytest.skip("needs the suite's Redis")
    return cache


def test_a_window_counts_from_its_first_request_and_says_when_it_ends(redis_cache):
    key = "throttle_test_window"
    redis_cache.delete(key)
    assert [count(redis_cache, key, 60, limit=2)[0] for _ in range(3)] == [1, 2, 3]
    assert 0 < count(redis_cache, key, 60, limit=2)[1] <= 60
    client = redis_cache._cache.get_client(redis_cache.make_and_validate_key(key))
    assert 0 < client.ttl(redis_cache.make_and_validate_key(key)) <= 60


def test_a_count_without_a_lifetime_gets_one_when_it_refuses(redis_cache):
    key = "throttle_test_no_lifetime"
    full_key = redis_cache.make_and_validate_key(key)
    client = redis_cache._cache.get_client(full_key, write=True)
    client.set(full_key, 5)  # a process stopped between INCR and EXPIRE
    assert count(redis_cache, key, 60, limit=2)[0] == 6
    assert 0 < client.ttl(full_key) <= 60


def test_drf_s_old_list_of_request_times_starts_a_new_count(redis_cache):
    key = "throttle_test_old_list"
    full_key = redis_cache.make_and_validate_key(key)
    redis_cache._cache.get_client(full_key, write=True).set(full_key, pickle.dumps([1.0, 2.0]))
    assert count(redis_cache, key, 60, limit=2) == (1, 60.0)
    assert count(redis_cache, key, 60, limit=2)[0] == 2


def test_other_caches_count_with_add_and_incr(settings):
    from django.core.cache.backends.locmem import LocMemCache

    local = LocMemCache("throttle-test", {})
    assert [count(local, "k", 60, limit=5)[0] for _ in range(3)] == [1, 2, 3]
