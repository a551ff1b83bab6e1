"""Whole API answers kept like the pages: the page cache for anonymous callers, fragments for the rest.

A list or detail answer holds only what the caller's visibility lets them see, never
anything personal, so it is kept as the HTML pages are:

- **Anonymous callers** (no session, no token): in the page cache (portal/page_cache.py),
  ``PORTAL_PAGE_CACHE_SECONDS`` (60 s in production, off in the embedded default and the tests).
- **Signed-in sessions**, and anonymous callers when the page cache is off: as a fragment
  (portal/fragments.py), keyed by the caller's visibility (``viewer_key``),
  ``PORTAL_FRAGMENT_CACHE_SECONDS``.
- **Token callers**: never; a token's scopes may change what an answer holds.

Keys carry the content *and* activity versions (the meetings' free seats and waiting lists
and the communities' member counts come from registrations and memberships, which the
page cache alone ignores), the language, the time zone, the scheme and host (the answers'
links are absolute), the accepted media type (``indent=``) and the full address. Only 200
answers are kept, with their ETag, so If-None-Match answers 304 on a hit as on a miss.

**Behind the rate limits.** The answer is looked up in the view's handler, after DRF has
authenticated the caller and counted the request against its limit: a cached answer still
counts, unlike the HTML page cache, which answers before anything else. The limit is a
share of the service per caller (harvesting, fairness), not only protection of the CPU; if
hits did not count, how much a caller may take, and when it gets 429, would depend on what
other callers happened to ask before. It costs the limit's cache round trips on every
request (bench/api.py measures the cached answers with them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.http import HttpResponse, HttpResponseBase
from rest_framework.request import Request
from rest_framework.response import Response

from portal import fragments, page_cache


def _key(request: Request) -> tuple[str, int] | None:
    """The key and lifetime of this request's answer; None when it is not kept."""
    if request.method not in ("GET", "HEAD") or request.auth is not None:
        return None
    activity = page_cache.ACTIVITY.current()
    if activity is None:  # the shared cache is away: nothing is kept, as for the pages
        return None
    origin = f"{request.scheme}://{request.get_host()}"
    media_type = request.accepted_media_type
    if not request.user.is_authenticated and page_cache.seconds() > 0:
        key = page_cache.key(request, "api", activity, origin, media_type)
        return (key, page_cache.seconds()) if key else None
    viewer = fragments.viewer_key(request.user)
    key = fragments.key("api", viewer, origin, media_type, request.get_full_path())
    return (key, fragments.seconds()) if key else None


def serve(view: Any, request: Request, respond: Callable[[], HttpResponseBase]) -> HttpResponseBase:
    """The kept answer for this request, else ``respond()`` (kept when it is a 200)."""
    found = _key(request)
    if found is None:
        return respond()
    key, seconds = found
    store = caches[page_cache.PAGES_CACHE]
    kept = store.get(key)
    if kept is not None:
        content, content_type, etag = kept
        response = HttpResponse(content, content_type=content_type)
        if etag:
            response["ETag"] = etag
        return response
    response = respond()
    if isinstance(response, Response) and response.status_code == 200:
        # Rendered here, as DRF's finalize_response and Django would render it, to keep the bytes.
        response.accepted_renderer = request.accepted_renderer
        response.accepted_media_type = request.accepted_media_type
        response.renderer_context = view.get_renderer_context()
        response.render()
        store.set(key, (response.content, response["Content-Type"], response.get("ETag")), seconds)
    return response
