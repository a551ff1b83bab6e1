"""The shared cache (Redis) as something the portal can do without for a while.

What the portal keeps in it is all expendable: allauth's rate-limit counters for sign-up
and password reset, the page cache's version number, the e-mail "already sent" marks
that stop a repeated notice. So while Redis is down, each operation answers as if the
key were missing (and a write as if it had not been stored), a warning is logged once a
minute per process, and the page goes on:

- rate limits **fail open** (a person can still sign in and sign up; failed logins stay
  limited by django-axes, which keeps its counts in the database);
- the page cache renders every page afresh (``portal/page_cache.py`` sees no version);
- an e-mail mark that cannot be set lets the e-mail go (at least once rather than never).

Timeouts are short, so a Redis that hangs costs a request at most about a second.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 60.0
_last_warning = 0.0


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.ConnectionError, redis.TimeoutError, ConnectionError, TimeoutError)


REDIS_ERRORS = _redis_errors()


def _warn(operation: str, error: BaseException) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning("cache unavailable (%s: %s); going on without it", operation, error)


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering "missing" instead of raising while Redis is away."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        super().__init__(server, params)

    def _tolerate(self, operation: str, call, fallback: Any) -> Any:
        try:
            return call()
        except REDIS_ERRORS as error:
            _warn(operation, error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._tolerate("get", lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._tolerate("get_many", lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._tolerate("has_key", lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def set(self, key, value, timeout=..., version=None):
        kwargs = {} if timeout is ... else {"timeout": timeout}
        self._tolerate("set", lambda: super(ResilientRedisCache, self).set(key, value, version=version, **kwargs), None)

    def set_many(self, data, timeout=..., version=None):
        kwargs = {} if timeout is ... else {"timeout": timeout}
        return self._tolerate(
            "set_many", lambda: super(ResilientRedisCache, self).set_many(data, version=version, **kwargs), list(data)
        )

    def add(self, key, value, timeout=..., version=None):
        kwargs = {} if timeout is ... else {"timeout": timeout}
        # True: whoever asks "am I first?" goes ahead (an e-mail rather sent twice than never).
        return self._tolerate(
            "add", lambda: super(ResilientRedisCache, self).add(key, value, version=version, **kwargs), True
        )

    def touch(self, key, timeout=..., version=None):
        kwargs = {} if timeout is ... else {"timeout": timeout}
        return self._tolerate(
            "touch", lambda: super(ResilientRedisCache, self).touch(key, version=version, **kwargs), False
        )

    def delete(self, key, version=None):
        return self._tolerate("delete", lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        self._tolerate("delete_many", lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except REDIS_ERRORS as error:
            _warn("incr", error)
            raise ValueError(f"Key {key!r} not found (cache unavailable)") from error

    def clear(self):
        self._tolerate("clear", lambda: super(ResilientRedisCache, self).clear(), None)
