"""Reads of progress reports, filtered to what a user may see."""

import datetime as dt

from django.db.models import QuerySet

from events.models import Meeting
from projects.models import Deliverable, Project
from projects.permissions import Role, is_platform_admin, project_ids_with_role

from .models import ProgressReport, ReportDownload


def visible_reports(user) -> QuerySet[ProgressReport]:
    """Same answer as permissions.can_view_report, as a queryset."""
    queryset = ProgressReport.objects.select_related("project", "requested_by")
    if is_platform_admin(user):
        return queryset
    return queryset.filter(project_id__in=project_ids_with_role(user, Role.COORDINATOR, Role.FUNDER_OFFICER))


def project_report_versions(project: Project) -> QuerySet[ProgressReport]:
    """Every version of the project's reports, newest first (the reports page)."""
    return ProgressReport.objects.filter(project=project).select_related("project").order_by("-created_at", "-id")


def project_download_log(project: Project) -> QuerySet[ReportDownload]:
    """Who fetched the project's reports and bundles, newest first, refusals included."""
    return ReportDownload.objects.filter(project=project).select_related("user", "report").order_by("-at", "-id")


def latest_done_reports(project: Project) -> list[ProgressReport]:
    """The newest finished report in each language: the latest period, then the latest version."""
    done = ProgressReport.objects.filter(project=project, status=ProgressReport.Status.DONE).select_related("project")
    latest: dict[str, ProgressReport] = {}
    for report in done.order_by("-period_end", "-period_start", "-version", "-id"):
        latest.setdefault(report.language, report)
    return [latest[language] for language in sorted(latest)]


def bundle_deliverables(project: Project) -> QuerySet[Deliverable]:
    """The project's public deliverables that have a file, by code."""
    return (
        Deliverable.objects.filter(project=project, dissemination=Deliverable.Dissemination.PUBLIC)
        .exclude(file="")
        .order_by("code", "id")
    )


def bundle_meetings(project: Project, now: dt.datetime) -> QuerySet[Meeting]:
    """Meetings held in person or hybrid (begun by ``now``, not cancelled): each has a sign-in sheet."""
    return (
        Meeting.objects.filter(
            project=project,
            format__in=(Meeting.Format.IN_PERSON, Meeting.Format.HYBRID),
            starts_at__lte=now,
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at", "id")
    )
