"""Which uploaded files the portal keeps: documents and images, recognised by their content.

A deliverable's file is later handed to funders and the public. An HTML or SVG file would
run its scripts in the portal's origin if a browser ever rendered it, so only the kinds a
consortium really delivers are kept: PDF, Microsoft Office (old and new formats),
OpenDocument and the common raster images. The kind is read from the bytes (a file's
name and the browser's content type are chosen by whoever uploads it), and the file's
extension must name the same kind, so the name a visitor downloads does not lie either.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Enough for every signature below.
HEAD_SIZE = 16
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"

ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
# The folder an OOXML package keeps its main part in names the application.
OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    **{kind: content_type for content_type, kind in ODF_TYPES.items()},
}
# Extensions each kind may carry. An old Office file's application would need its OLE2
# directory parsed; the signature proves it is one of the three, the extension says which.
EXTENSIONS = {
    "jpeg": ("jpg", "jpeg"),
    "ole2": ("doc", "xls", "ppt"),
}
ALLOWED_NAMES = "PDF, DOC, DOCX, XLS, XLSX, PPT, PPTX, ODT, ODS, ODP, PNG, JPEG, GIF, WEBP"


@dataclass(frozen=True)
class Detected:
    kind: str  # a key of CONTENT_TYPES, or "ole2"
    extensions: tuple[str, ...]

    def content_type(self, extension: str) -> str:
        return CONTENT_TYPES.get(extension if self.kind == "ole2" else self.kind, "application/octet-stream")


def _zip_kind(handle: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = archive.namelist()
            # ODF: the first member is an uncompressed "mimetype" naming the document type.
            if names and names[0] == "mimetype":
                return ODF_TYPES.get(archive.read("mimetype").decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                for folder, kind in OOXML_FOLDERS.items():
                    if any(name.startswith(folder) for name in names):
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, EOFError):
        return None
    return None


def detect(handle: IO[bytes]) -> Detected | None:
    """The kind of file ``handle`` holds, from its bytes; None for anything not allowed.

    Reads from the start and leaves the position at the start again.
    """
    handle.seek(0)
    head = handle.read(HEAD_SIZE)
    handle.seek(0)
    kind: str | None = None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        kind = "gif"
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "webp"
    elif head.startswith(OLE2_SIGNATURE):
        kind = "ole2"
    elif head.startswith(ZIP_SIGNATURE):
        kind = _zip_kind(handle)
        handle.seek(0)
    if kind is None:
        return None
    return Detected(kind=kind, extensions=EXTENSIONS.get(kind, (kind,)))


def extension_of(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def validate_document_upload(value) -> None:
    """Refuse a file that is not an allowed document or image, or whose extension names another kind.

    A file already stored is not read again on every later save: it was checked when it
    came, and a row's other fields must stay editable.
    """
    if not value or getattr(value, "_committed", False):
        return
    detected = detect(value)
    if detected is None:
        raise ValidationError(
            _("This kind of file cannot be uploaded. Allowed are: %(kinds)s."),
            code="file_type",
            params={"kinds": ALLOWED_NAMES},
        )
    if extension_of(value.name or "") not in detected.extensions:
        raise ValidationError(
            _("This is a %(kind)s file: its name must end in “.%(expected)s”."),
            code="file_extension",
            params={
                "kind": detected.kind.upper() if detected.kind != "ole2" else "Microsoft Office",
                "expected": detected.extensions[0],
            },
        )
