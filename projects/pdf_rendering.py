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

from dataclasses import dataclass

from .pdf_files import BASE_URL, PORTAL_HOST, RefusedURL, local_file_for

# Re-exported: callers catch RefusedURL and resolve against BASE_URL from here.
__all__ = ["BASE_URL", "PORTAL_HOST", "RefusedURL", "RenderedPdf", "local_file_for", "render_pdf"]


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


def render_pdf(html: str) -> RenderedPdf:
    """Lay out ``html`` and return the PDF bytes with the number of pages.

    Relative URLs in the document ("/static/css/print.css") resolve against BASE_URL and
    are served by PortalURLFetcher from the portal's own files.
    """
    # WeasyPrint is imported here, not at the top: it costs about 2 s and 30 MiB, and a
    # web worker that never renders a PDF need not carry it.
    from weasyprint import HTML

    from .pdf_fetcher import PortalURLFetcher

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=PortalURLFetcher()).render()
    return RenderedPdf(content=document.write_pdf(), page_count=len(document.pages))
