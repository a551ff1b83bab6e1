"""Where report PDFs are kept: written whole or not at all, under names nobody can guess.

A report is evidence for a funder, so a reader must never find half a file: the bytes go
to a temporary file in the target folder, are flushed to the disk (fsync), and only then
renamed into place with ``os.replace``, which is atomic within one file system. A crash
at any point leaves either no file or the complete one, never a torn one; the temporary
file is removed on every error.

MEDIA_ROOT is not served by the web server (no URL pattern, whitenoise serves static
files only); the download view streams the file after a permission check. The name still
carries a random part, so knowing a project, period and version is not enough to name
the file even if media were ever exposed by mistake.

Reports need a local file system for MEDIA_ROOT (the compose file mounts a volume):
fsync and an atomic rename are what make the guarantee above.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

REPORTS_FOLDER = "reports"


@dataclass(frozen=True)
class StoredFile:
    name: str  # relative to MEDIA_ROOT, as a FileField keeps it
    sha256: str
    size: int


# The FileField keeps at most 100 characters; the slug part is cut so the name always fits.
SLUG_PART = 24


def report_file_name(
    *, project_id: int, project_slug: str, period_start: dt.date, period_end: dt.date, language: str, version: int
) -> str:
    """``reports/<project id>/<slug>-<start>-<end>-<lang>-v<n>-<random>.pdf`` relative to MEDIA_ROOT.

    The random part has 96 bits; the rest only helps a person who looks at the folder.
    """
    token = secrets.token_urlsafe(12)
    return (
        f"{REPORTS_FOLDER}/{project_id}/{project_slug[:SLUG_PART]}-{period_start:%Y%m%d}-{period_end:%Y%m%d}"
        f"-{language}-v{version}-{token}.pdf"
    )


def media_path(name: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root):
        raise ValueError("A report file must lie inside MEDIA_ROOT.")
    return path


def _fsync_directory(directory: Path) -> None:
    # The rename itself is only durable once the folder's entry is on disk.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store_report_file(*, name: str, content: bytes) -> StoredFile:
    """Write ``content`` atomically to ``name`` (relative to MEDIA_ROOT) and return its hash."""
    target = media_path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".partial-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        # BaseException: a soft time limit or a worker shutdown must not leave a partial file either.
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(target.parent)
    return StoredFile(name=name, sha256=hashlib.sha256(content).hexdigest(), size=len(content))


def remove_report_file(name: str) -> None:
    """Remove a stored report (used when its row could not be marked done)."""
    if name:
        media_path(name).unlink(missing_ok=True)
