"""Rate limits counted with one round trip to the shared cache per request.

DRF's rate throttles keep, per caller, the list of their request times: a read and a
write of that list to Redis on every request, the list as long as the limit (120 and more
entries, pickled each time). Every API request pays it, a request answered from the page
cache too (portal/api/caching.py), where it was most of the time spent.

Here a caller's count lives in one Redis key that starts with their first request and
expires ``duration`` seconds later (a fixed window from that request): one INCR per
request (with an EXPIRE for the window's first, a TTL for Retry-After when refusing). A
caller gets at most the limit in each window; across the edge of two windows they may get
up to twice the limit within one duration, which the limits allow for (they stop
harvesting, they do not meter).

While Redis is away the request is allowed (the limits fail open, as the resilient cache
makes every other use of it). Caches other than Redis (local memory, in the embedded
default without Redis) count with add and incr.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache

from portal.resilient_cache import REDIS_ERRORS, _warn


def _backend(cache: Any) -> Any:
    # DRF's throttles hold django.core.cache.cache, a proxy to this thread's backend.
    connections, alias = getattr(cache, "_connections", None), getattr(cache, "_alias", None)
    return connections[alias] if connections is not None and alias else cache


def count(cache: Any, key: str, seconds: int, limit: int) -> tuple[int, float] | None:
    """This request's number in ``key``'s window and, past ``limit``, the seconds the window has left;
    None when not counted."""
    backend = _backend(cache)
    if isinstance(backend, RedisCache):
        import redis

        full_key = backend.make_and_validate_key(key)
        client = backend._cache.get_client(full_key, write=True)
        try:
            number = client.incr(full_key)
            # The window starts with its first request. A count left without a lifetime (a
            # process that stopped between the two commands) gets one when it refuses.
            if number == 1 or (number > limit and client.ttl(full_key) < 0):
                client.expire(full_key, seconds)
            left = client.ttl(full_key) if number > limit else seconds
        except redis.ResponseError:
            # Not a number: a list of request times left by DRF's own throttle before an
            # upgrade. Counting starts again from this request.
            client.set(full_key, 1, ex=seconds)
            return 1, float(seconds)
        except REDIS_ERRORS as error:
            _warn("rate limit", error)
            return None
        return int(number), float(left if left and left > 0 else seconds)
    if backend.add(key, 1, seconds):
        return 1, float(seconds)
    try:
        return backend.incr(key), float(seconds)
    except (ValueError, TypeError):  # expired meanwhile, or not a number: a new window from this request
        backend.set(key, 1, seconds)
        return 1, float(seconds)


class CountingThrottle:
    """For DRF's SimpleRateThrottle subclasses: the same rates and cache keys, counted by :func:`count`."""

    rate: str | None
    num_requests: int
    duration: int
    cache: Any
    _left: float = 0.0

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)  # type: ignore[attr-defined]
        if key is None:
            return True
        counted = count(self.cache, key, self.duration, self.num_requests)
        if counted is None:
            return True
        number, self._left = counted
        return number <= self.num_requests

    def wait(self) -> float:
        return self._left
