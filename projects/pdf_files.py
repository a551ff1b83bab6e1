"""Which files a PDF may use: the portal's own static and media files, by URL (projects/pdf_rendering.py says why).

Without WeasyPrint, so that reading these rules does not load it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

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
