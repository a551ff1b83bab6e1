"""WeasyPrint's fetcher for the portal's PDFs (projects/pdf_rendering.py says why).

A module of its own so that importing pdf_rendering does not import WeasyPrint.
"""

from __future__ import annotations

import mimetypes

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .pdf_files import RefusedURL, local_file_for


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
