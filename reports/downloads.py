"""Handing out report files, and the download log coordinators read.

Every file a person receives (a report version or an audit bundle) is written to
ReportDownload with outcome "served". A signed-in person who asks for a report or a
bundle they may not have is written down with outcome "denied": the coordinators see
who tried, and a refused attempt can never be mistaken for a served one. Anonymous
visitors are sent to the login page before anything is looked up, so they leave no row.
"""

from __future__ import annotations

from typing import Any

from django.core.files import File

from projects.models import Project

from .models import ProgressReport, ReportDownload


class ReportFileMissing(Exception):
    """The report's row says done, but its file is not in storage."""


def download_record(
    *,
    project: Project,
    user: Any,
    kind: str,
    outcome: str,
    report: ProgressReport | None = None,
) -> ReportDownload:
    """Write one line of the download log."""
    return ReportDownload.objects.create(
        project=project,
        report=report,
        version=report.version if report is not None else None,
        user=user if getattr(user, "is_authenticated", False) else None,
        kind=kind,
        outcome=outcome,
    )


def report_file_name(report: ProgressReport) -> str:
    """What the downloaded file is called: readable, without the storage name's random part."""
    return (
        f"{report.project.slug}-{report.period_start.isoformat()}-{report.period_end.isoformat()}"
        f"-{report.language}-v{report.version}.pdf"
    )


def report_file_open(*, report: ProgressReport) -> File:
    """The report's PDF, opened for reading; ReportFileMissing if it is not there."""
    if not report.file:
        raise ReportFileMissing(report.pk)
    try:
        return report.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise ReportFileMissing(report.pk) from exc


def report_download_serve(*, report: ProgressReport, user: Any) -> File:
    """Open the report's file and log the download as served.

    The file is opened first: a missing file raises ReportFileMissing and logs nothing,
    since nobody received anything.
    """
    handle = report_file_open(report=report)
    download_record(
        project=report.project,
        user=user,
        kind=ReportDownload.Kind.REPORT,
        outcome=ReportDownload.Outcome.SERVED,
        report=report,
    )
    return handle


def report_download_deny(*, report: ProgressReport, user: Any) -> ReportDownload | None:
    """Log a refused download of ``report``; nothing for an anonymous visitor."""
    if not getattr(user, "is_authenticated", False):
        return None
    return download_record(
        project=report.project,
        user=user,
        kind=ReportDownload.Kind.REPORT,
        outcome=ReportDownload.Outcome.DENIED,
        report=report,
    )


def bundle_download_deny(*, project: Project, user: Any) -> ReportDownload | None:
    """Log a refused audit bundle of ``project``; nothing for an anonymous visitor."""
    if not getattr(user, "is_authenticated", False):
        return None
    return download_record(
        project=project, user=user, kind=ReportDownload.Kind.BUNDLE, outcome=ReportDownload.Outcome.DENIED
    )
