"""PDFs with WeasyPrint that can read the portal's own files and nothing else.

Reports and attendance sheets are HTML rendered by WeasyPrint. Left to itself,
WeasyPrint fetches whatever a document names: ``file:///etc/passwd``, a server on the
internal network, a tracking pixel. Every document here is rendered against a base URL
on a reserved host (``.invalid`` never resolves), and the fetcher answers only that host
from the static files and MEDIA_ROOT, plus ``data:`` URLs for inline images such as QR
codes and charts. Anything else is refused before a connection is ever opened.

Lives in ``projects`` because both events (attendance sheets) and reports use it.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PORTAL_HOST = "portal.invalid"
BASE_URL = f"http://{PORTAL_HOST}/"


class RefusedURL(ValueError):
    """A document asked for something outside the portal's own static and media files."""


def _inside(root: Path, relative: str) -> Path | None:
    root = root.resolve()
    candidate = (root / relative).resolve()
    # resolve() follows ".." and symlinks, so "/media/../../etc/passwd" lands outside the root.
    return candidate if candidate.is_relative_to(root) and candidate.is_file() else None


def local_file_for(url: str) -> Path | None:
    """The file a portal URL stands for, or None when the URL is not one of ours."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname != PORTAL_HOST or parts.port:
        return None
    path = unquote(parts.path)
    static_url, media_url = settings.STATIC_URL, settings.MEDIA_URL
    if path.startswith(static_url):
        relative = path[len(static_url) :]
        if ".." in Path(relative).parts:
            return None
        found = finders.find(relative)
        if found:
            return _inside(Path(found).parent, Path(found).name)
        return _inside(Path(settings.STATIC_ROOT), relative)
    if path.startswith(media_url):
        return _inside(Path(settings.MEDIA_ROOT), path[len(media_url) :])
    return None


class PortalURLFetcher(URLFetcher):
    """Serves the portal's static and media files and ``data:`` URLs; refuses all else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("http", "https", "data"), allow_redirects=False)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        found = local_file_for(url)
        if found is None:
            raise RefusedURL(f"Only the portal's own static and media files may be used: {url}")
        content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=found.read_bytes(), headers={"Content-Type": content_type})


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


def render_pdf(html: str) -> RenderedPdf:
    """Lay out ``html`` and return the PDF bytes with the number of pages.

    Relative URLs in the document ("/static/css/print.css") resolve against BASE_URL and
    are served by PortalURLFetcher from the portal's own files.
    """
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=PortalURLFetcher()).render()
    return RenderedPdf(content=document.write_pdf(), page_count=len(document.pages))
