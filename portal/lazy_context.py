"""Template context read only when the template asks for it.

A page whose body is a cached fragment (portal/fragments.py) should not read what only
that body shows: on a hit nobody asks for it. Django's templates call a callable they find
in the context, so each value given by :func:`lazy_values` is a callable that computes the
page's data the first time the template resolves any of them, once per request, and never
when the fragment comes from the cache.

With fragments off (``PORTAL_FRAGMENT_CACHE_SECONDS=0``: the embedded default and the test
suite) every fragment is rendered, so nothing would be skipped: the values are then computed
at once and the context holds the values themselves (tests read them from
``response.context``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from portal import fragments


def _item(data: Callable[[], dict[str, Any]], name: str) -> Any:
    # A KeyError here is a programming error (a name the compute function does not give):
    # it is not swallowed by the template engine, so the page's tests catch it.
    return data()[name]


def lazy_values(compute: Callable[[], dict[str, Any]], *names: str) -> dict[str, Any]:
    """``{name: callable}`` for the template context; ``compute()`` runs at most once."""
    if fragments.seconds() <= 0:
        values = compute()
        return {name: values[name] for name in names}
    data = functools.cache(compute)
    return {name: functools.partial(_item, data, name) for name in names}
