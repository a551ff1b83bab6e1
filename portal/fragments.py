"""Parts of signed-in pages kept for everybody who may see the same thing.

Signed-in pages are never served whole from the page cache (portal/page_cache.py): each
shows its reader's own registrations, roles and forms. But most of such a page is the
same for everybody with the same *visibility*: the list of meetings, a project's
consortium, a dashboard's figures. Those parts are rendered once and kept, keyed by

- **what they show**: the page cache's CONTENT version (organisations, projects and their
  parts, communities, meetings) and the ACTIVITY version (registrations, memberships,
  reports), both bumped once a write commits, so a change is visible on the next request
  in the process that wrote it and within a second in the others;
- **who may see it**: :func:`viewer_key`, the reader's roles and memberships (two queries
  every signed-in page makes anyway), so a fragment is never shown to someone who could
  not see everything in it;
- **how it is shown**: the language and the time zone;
- **the clock**: fragments live ``PORTAL_FRAGMENT_CACHE_SECONDS`` (60 s in production),
  so what depends on the time of day ("upcoming", "due in 30 days") is at most that old,
  as on the anonymous pages. 0 (the embedded default and the test suite) turns them off.

The personal parts (a person's own registration, their forms) are rendered around the
fragments, never inside them. A form inside a fragment is safe all the same: the fragment
is rendered with a placeholder for the CSRF token, and each reader's token is put in on
the way out, as the page cache does.

Fragments live in the ``pages`` cache: local memory of each process with a bounded number
of entries, so a hit costs no round trip and the workers' memory stays bounded. When the
shared cache (Redis) is away there is no version, and every fragment is rendered afresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.translation import get_language

from events.permissions import memberships_by_community
from projects.permissions import Role, is_platform_admin, roles_by_project, staff_organisations_by_project

from . import page_cache

T = TypeVar("T")
MISSING = object()


def seconds() -> int:
    return int(getattr(settings, "PORTAL_FRAGMENT_CACHE_SECONDS", 0) or 0)


def viewer_key(user: Any) -> str:
    """Who may see what: the same key for two people exactly when every visibility and
    link decision (the permission functions, ``may_open``) answers the same for both."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return "anonymous"
    if is_platform_admin(user):
        return "admin"
    cached = getattr(user, "_portal_viewer_key", None)
    if cached is None:
        roles = sorted((project, sorted(held)) for project, held in roles_by_project(user).items())
        memberships = sorted(memberships_by_community(user).items())
        # Partner staff see their organisations' private parts; asked only of partner staff.
        organisations = (
            sorted((project, sorted(ids)) for project, ids in staff_organisations_by_project(user).items())
            if any(Role.PARTNER_STAFF in held for _, held in roles)
            else []
        )
        text = repr((roles, memberships, organisations, bool(getattr(user, "is_staff", False))))
        cached = hashlib.sha256(text.encode()).hexdigest()[:32]
        user._portal_viewer_key = cached
    return cached


def key(name: str, *vary: object, counted: bool = True) -> str | None:
    """The cache key of fragment ``name`` for these ``vary`` values; None when fragments are
    off or the shared cache is away (then the caller renders). ``counted=False`` for what
    shows no registrations, memberships or reports: it outlives the ACTIVITY version."""
    if seconds() <= 0:
        return None
    content = page_cache.CONTENT.current()
    activity = page_cache.ACTIVITY.current() if counted else "-"
    if content is None or activity is None:
        return None
    varying = hashlib.sha256(repr(vary).encode()).hexdigest()[:32]
    return f"fragment:{name}:{content}:{activity}:{get_language()}:{timezone.get_current_timezone_name()}:{varying}"


def cached(
    name: str, vary: tuple[object, ...], compute: Callable[[], T], *, counted: bool = True, shared: bool = False
) -> T:
    """``compute()``, kept like a fragment: for figures a selector computes for many readers.

    ``vary`` must hold everything the result depends on besides the versions, the
    language and the time zone, the viewer's :func:`viewer_key` included when the result
    depends on who asks. ``shared``: see :func:`kept`.
    """
    # Named apart from the {% fragment %} tag's HTML, so a value and a fragment that share
    # a name never read each other's entry.
    cache_key = key(f"value/{name}", *vary, counted=counted)
    if cache_key is None:
        return compute()
    value = kept(cache_key, shared=shared)
    if value is MISSING:
        value = compute()
        keep(cache_key, value, shared=shared)
    return value


# --- Where kept values live -----------------------------------------------------------------------
#
# In this process's bounded memory, and nowhere else, unless the caller asks for ``shared``.
# A shared value is also kept in the shared cache (Redis), for as long, under the same key.
# That is for small values that a person's next request needs and another worker may
# serve: their roles and memberships, and the meeting whose form they opened. With three
# workers, two POSTs of a form in three reach a worker that did not serve the form; read
# from the database, those rows cost such a POST 3 of its 8 queries and 1.7 ms of CPU
# (in-process: 7.2 ms and 8 queries; shared, 5.5 ms and 5). The person's own row stays in
# the worker's memory only: it holds the password hash. Rendered fragments stay local too:
# they are large, and a local miss is cheap for a page.


def kept(key: str, *, shared: bool = False) -> Any:
    """The value kept under ``key``, or MISSING."""
    local = caches[page_cache.PAGES_CACHE]
    value = local.get(key, MISSING)
    if value is MISSING and shared:
        value = page_cache.shared_cache.get(key, MISSING)
        if value is not MISSING:
            local.set(key, value, seconds())
    return value


def keep(key: str, value: Any, *, shared: bool = False) -> None:
    caches[page_cache.PAGES_CACHE].set(key, value, seconds())
    if shared:
        page_cache.shared_cache.set(key, value, seconds())
