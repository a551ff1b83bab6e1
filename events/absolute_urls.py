"""Absolute addresses of portal pages, for e-mails and calendar files made outside a request.

A Celery worker has no request to take the scheme and host from, so they come from
settings.PORTAL_BASE_URL (the address people reach the portal at).
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from django.conf import settings

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def base_url() -> str:
    return getattr(settings, "PORTAL_BASE_URL", "") or DEFAULT_BASE_URL


def absolute_url(path: str) -> str:
    """``path`` (as reverse() gives it) on the portal's public address."""
    return urljoin(base_url(), path)


def portal_host() -> str:
    """The host name of the portal, e.g. for globally unique calendar UIDs."""
    return urlsplit(base_url()).hostname or "localhost"
