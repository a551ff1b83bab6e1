"""Reads of progress reports, filtered to what a user may see."""

import datetime as dt

from django.db.models import Exists, Q, QuerySet

from events.models import Meeting
from projects.models import BudgetLine, Deliverable, Indicator, Project, WorkPackage
from projects.permissions import Role, is_platform_admin, project_ids_with_role, staff_organisations_by_project

from .models import BudgetSpend, IndicatorValue, ProgressReport, ReportDownload, ReportingPeriod, WorkPackageNarrative


def visible_reports(user) -> QuerySet[ProgressReport]:
    """Same answer as permissions.can_view_report, as a queryset: funder officers see only
    the versions submitted to them, never drafts."""
    queryset = ProgressReport.objects.select_related("project", "requested_by")
    if is_platform_admin(user):
        return queryset
    coordinated = project_ids_with_role(user, Role.COORDINATOR)
    funded = project_ids_with_role(user, Role.FUNDER_OFFICER) - coordinated
    return queryset.filter(Q(project_id__in=coordinated) | Q(project_id__in=funded, submitted_in__isnull=False))


def project_report_versions(project: Project, user) -> QuerySet[ProgressReport]:
    """The versions of the project's reports this user may see, newest first (the reports page)."""
    return visible_reports(user).filter(project=project).order_by("-created_at", "-id")


def project_download_log(project: Project) -> QuerySet[ReportDownload]:
    """Who fetched the project's reports and bundles, newest first, refusals included."""
    return ReportDownload.objects.filter(project=project).select_related("user", "report").order_by("-at", "-id")


def latest_done_reports(project: Project, *, submitted_only: bool = False) -> list[ProgressReport]:
    """The newest finished report in each language: the latest period, then the latest version.

    ``submitted_only`` (for funder officers, who never see drafts): only versions submitted
    to the funder count.
    """
    done = ProgressReport.objects.filter(project=project, status=ProgressReport.Status.DONE).select_related("project")
    if submitted_only:
        done = done.filter(submitted_in__isnull=False)
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


# --- Reporting periods --------------------------------------------------------------------


def visible_reporting_periods(user, project: Project) -> QuerySet[ReportingPeriod]:
    """The project's periods this user may open, newest first; the same answer as
    permissions.can_view_reporting_period: funder officers never see a period never submitted."""
    periods = ReportingPeriod.objects.filter(project=project).select_related("project").order_by("-period_end", "-id")
    if is_platform_admin(user) or project.pk in project_ids_with_role(user, Role.COORDINATOR):
        return periods
    allowed: Q | None = None
    if project.pk in project_ids_with_role(user, Role.FUNDER_OFFICER):
        allowed = ~Q(status=ReportingPeriod.Status.DRAFT)
    organisations = {pk for pk in staff_organisations_by_project(user).get(project.pk, set()) if pk}
    if organisations:
        # In the same query: every period while one of their organisations leads a work package.
        leads = Q(Exists(WorkPackage.objects.filter(project=project, lead_organisation_id__in=organisations)))
        allowed = leads if allowed is None else allowed | leads
    return periods.filter(allowed) if allowed is not None else periods.none()


def reporting_period_in(project: Project, pk: int) -> ReportingPeriod:
    """One period of the project (DoesNotExist for another project's), with its project."""
    return ReportingPeriod.objects.select_related("project", "project__programme").get(project=project, pk=pk)


def period_work_packages(period: ReportingPeriod) -> list[WorkPackage]:
    """The project's work packages, each with ``narrative`` (this period's, or None)."""
    narratives = {
        narrative.work_package_id: narrative
        for narrative in WorkPackageNarrative.objects.filter(period=period).select_related("updated_by")
    }
    packages = list(
        WorkPackage.objects.filter(project_id=period.project_id).select_related("lead_organisation").order_by("number")
    )
    for package in packages:
        package.narrative = narratives.get(package.pk)
    return packages


def period_indicators(period: ReportingPeriod) -> list[Indicator]:
    """The project's indicators, each with ``period_value`` (this period's IndicatorValue or None)."""
    values = {value.indicator_id: value for value in IndicatorValue.objects.filter(period=period)}
    indicators = list(
        Indicator.objects.filter(project_id=period.project_id).select_related("work_package").order_by("kind", "code")
    )
    for indicator in indicators:
        indicator.period_value = values.get(indicator.pk)
    return indicators


def period_budget_lines(period: ReportingPeriod) -> list[BudgetLine]:
    """The project's budget lines, each with ``period_spend`` (this period's BudgetSpend or None)."""
    spends = {spend.budget_line_id: spend for spend in BudgetSpend.objects.filter(period=period)}
    lines = list(
        BudgetLine.objects.filter(project_id=period.project_id)
        .select_related("organisation")
        .order_by("organisation__name", "category", "id")
    )
    for line in lines:
        line.period_spend = spends.get(line.pk)
    return lines


def period_steps(period: ReportingPeriod):
    """The sign-off trail, oldest first, with who took each step."""
    return period.steps.select_related("actor").order_by("at", "id")


def period_report_versions(period: ReportingPeriod, user) -> QuerySet[ProgressReport]:
    """The versions of this period's report the user may see, newest first."""
    return (
        visible_reports(user)
        .filter(project_id=period.project_id, period_start=period.period_start, period_end=period.period_end)
        .select_related("submitted_in")
        .order_by("-created_at", "-id")
    )
