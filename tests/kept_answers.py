"""The page cache and the fragments turned on for a test: the set-up every cache test shares.

The suite runs with both off (portal/settings/test.py); a test that checks what is kept turns
them on, starts from an empty ``pages`` cache and from data versions no earlier test has used,
so nothing another test kept can match.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import caches

from portal import page_cache


@contextmanager
def kept(settings, *, page_seconds: int = 0, fragment_seconds: int = 0) -> Iterator[None]:
    """``with kept(settings, fragment_seconds=60): yield`` in an autouse fixture."""
    settings.PORTAL_PAGE_CACHE_SECONDS = page_seconds
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = fragment_seconds
    caches[page_cache.PAGES_CACHE].clear()
    page_cache.invalidate()
    page_cache.invalidate_activity()
    yield
    caches[page_cache.PAGES_CACHE].clear()
