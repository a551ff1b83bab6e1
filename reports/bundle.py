"""The audit bundle: one zip per project with what a funder's auditor asks for.

It holds the latest finished progress report in each language, the files of the
project's public deliverables and, for coordinators only, the signed-in sheets of the
meetings held in person or hybrid (those name participants, which funders never see).
A ``SHA256SUMS.txt`` lists every file's hash (``sha256sum -c`` checks it), and
``MISSING.txt`` names anything that could not be added, so an incomplete bundle says so.

What a funder's officer gets here never counts people more exactly than the funder's pages:
the progress reports are the PDFs as generated, in which every count of 1 to 4 people
already reads "< 5" (reports/disclosure.py), and the attendance sheets, which name people,
are left out for them.

The zip is written to an anonymous temporary file on disk, never built in memory: a
project's deliverables can be large. The file disappears when the response closes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from events.attendance_sheet import attendance_sheet_pdf
from projects.models import Project

from . import selectors
from .downloads import download_record, report_file_name
from .models import ReportDownload

logger = logging.getLogger(__name__)

CHUNK = 1 << 20


@dataclass
class Bundle:
    file: IO[bytes]  # positioned at the start, ready to stream
    filename: str
    entries: dict[str, str] = field(default_factory=dict)  # path in the zip -> SHA-256
    missing: list[str] = field(default_factory=list)


def bundle_file_name(project: Project, today: dt.date) -> str:
    return f"{project.slug}-audit-bundle-{today.isoformat()}.zip"


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    return iter(lambda: handle.read(CHUNK), b"")


def _add_stream(archive: zipfile.ZipFile, bundle: Bundle, path: str, handle: IO[bytes]) -> None:
    digest = hashlib.sha256()
    with archive.open(path, "w", force_zip64=True) as target:
        for chunk in _chunks(handle):
            digest.update(chunk)
            target.write(chunk)
    bundle.entries[path] = digest.hexdigest()


def _add_bytes(archive: zipfile.ZipFile, bundle: Bundle, path: str, content: bytes) -> None:
    archive.writestr(path, content)
    bundle.entries[path] = hashlib.sha256(content).hexdigest()


def _unique(path: str, taken: dict[str, str], tiebreak: Any) -> str:
    if path not in taken:
        return path
    stem, dot, suffix = path.rpartition(".")
    return f"{stem}-{tiebreak}.{suffix}" if dot else f"{path}-{tiebreak}"


def _add_reports(archive: zipfile.ZipFile, bundle: Bundle, project: Project, submitted_only: bool) -> None:
    for report in selectors.latest_done_reports(project, submitted_only=submitted_only):
        path = f"reports/{report_file_name(report)}"
        try:
            with report.file.open("rb") as handle:
                _add_stream(archive, bundle, path, handle)
        except (FileNotFoundError, ValueError):
            logger.error("Report %s is done but its file %s is missing", report.pk, report.file.name)
            bundle.missing.append(path)


def _add_deliverables(archive: zipfile.ZipFile, bundle: Bundle, project: Project) -> None:
    for deliverable in selectors.bundle_deliverables(project):
        base = deliverable.file.name.rsplit("/", 1)[-1]
        path = _unique(
            f"deliverables/{slugify(deliverable.code) or deliverable.pk}-{base}", bundle.entries, deliverable.pk
        )
        try:
            with deliverable.file.open("rb") as handle:
                _add_stream(archive, bundle, path, handle)
        except (FileNotFoundError, ValueError):
            logger.error("Deliverable %s has no file at %s", deliverable.pk, deliverable.file.name)
            bundle.missing.append(path)


def _add_attendance_sheets(archive: zipfile.ZipFile, bundle: Bundle, project: Project, now: dt.datetime) -> None:
    for meeting in selectors.bundle_meetings(project, now):
        day = timezone.localtime(meeting.starts_at).date().isoformat()
        path = f"attendance-sheets/{day}-{meeting.pk}-{slugify(meeting.title or meeting.title_de)[:60]}.pdf"
        try:
            content = attendance_sheet_pdf(meeting=meeting)
        except Exception:
            # One sheet that cannot be drawn must not cost the auditor the whole bundle;
            # MISSING.txt says which one is absent.
            logger.exception("Attendance sheet of meeting %s could not be made", meeting.pk)
            bundle.missing.append(path)
            continue
        _add_bytes(archive, bundle, path, content)


def bundle_build(
    *,
    project: Project,
    include_attendance_sheets: bool,
    submitted_only: bool = False,
    now: dt.datetime | None = None,
) -> Bundle:
    """Write the project's audit zip to a temporary file and return it, rewound.

    ``include_attendance_sheets`` and ``submitted_only`` are the caller's permission decisions
    (reports.permissions.can_bundle_attendance_sheets; funder officers, who never see drafts,
    get only the versions submitted to them: not can_view_unsubmitted_reports).
    """
    now = now or timezone.now()
    # Returned open to the caller, who streams and closes it.
    handle = tempfile.TemporaryFile(prefix="audit-bundle-", suffix=".zip")  # noqa: SIM115
    bundle = Bundle(file=handle, filename=bundle_file_name(project, timezone.localdate(now)))
    try:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            _add_reports(archive, bundle, project, submitted_only)
            _add_deliverables(archive, bundle, project)
            if include_attendance_sheets:
                _add_attendance_sheets(archive, bundle, project, now)
            if bundle.missing:
                note = gettext("These files could not be added to the bundle:")
                archive.writestr("MISSING.txt", "\n".join([note, *bundle.missing]) + "\n")
            sums = "".join(f"{digest}  {path}\n" for path, digest in sorted(bundle.entries.items()))
            archive.writestr("SHA256SUMS.txt", sums)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return bundle


def bundle_download_serve(
    *, project: Project, user: Any, include_attendance_sheets: bool, submitted_only: bool = False
) -> Bundle:
    """Build the bundle and log it as served to ``user``."""
    bundle = bundle_build(
        project=project, include_attendance_sheets=include_attendance_sheets, submitted_only=submitted_only
    )
    download_record(project=project, user=user, kind=ReportDownload.Kind.BUNDLE, outcome=ReportDownload.Outcome.SERVED)
    return bundle
