"""Absolute addresses of portal pages, for e-mails and calendar files made outside a request.

A Celery worker has no request to take the scheme and host from, so they come from
settings.PORTAL_BASE_URL (the address people reach the portal at).

The domain does not know the web layer's URL names: it names the pages it links to
(``MEETING_PAGE`` in events/ics.py, ``CHECKIN_PAGE`` in events/emails.py,
``REPORTS_PAGE`` in reports/notices.py), and the web layer registers the path of each
with :func:`register_page` when it starts (portal/page_links.py, from portal/apps.py).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_BASE_URL = "http://127.0.0.1:8000"

# Page name → a function of the page's keyword arguments that returns its path.
_page_paths: dict[str, Callable[..., str]] = {}


def base_url() -> str:
    return getattr(settings, "PORTAL_BASE_URL", "") or DEFAULT_BASE_URL


def absolute_url(path: str) -> str:
    """``path`` (as reverse() gives it) on the portal's public address."""
    return urljoin(base_url(), path)


def portal_host() -> str:
    """The host name of the portal, e.g. for globally unique calendar UIDs."""
    return urlsplit(base_url()).hostname or "localhost"


def register_page(name: str, path: Callable[..., str]) -> None:
    """Say where the page ``name`` lives: ``path(**arguments)`` returns its path. For the web layer."""
    _page_paths[name] = path


def page_url(name: str, **arguments: object) -> str:
    """The absolute address of the page ``name`` with ``arguments`` (see :func:`register_page`)."""
    try:
        path = _page_paths[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"No path registered for the page {name!r}: the web layer registers them at start-up."
        ) from None
    return absolute_url(path(**arguments))
