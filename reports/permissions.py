"""Who may request and read progress reports."""

from __future__ import annotations

from typing import Any

from projects import permissions as project_permissions
from projects.models import Project, WorkPackage
from projects.permissions import Role

from .models import ProgressReport, ReportingPeriod


def can_request_report(user: Any, project: Project) -> bool:
    return project_permissions.can_manage_project(user, project.pk)


def can_view_project_reports(user: Any, project: Project | int) -> bool:
    """Coordinators and the project's funder officers; reports hold aggregates only, so funders may."""
    project_id = project if isinstance(project, int) else project.pk
    if project_permissions.can_manage_project(user, project_id):
        return True
    return Role.FUNDER_OFFICER in project_permissions.roles_by_project(user).get(project_id, set())


def can_view_unsubmitted_reports(user: Any, project: Project | int) -> bool:
    """Drafts (versions not submitted to the funder): coordinators only; funders never see them."""
    project_id = project if isinstance(project, int) else project.pk
    return project_permissions.can_manage_project(user, project_id)


def can_view_report(user: Any, report: ProgressReport) -> bool:
    """Coordinators see every version; funder officers only the versions submitted to them."""
    if not can_view_project_reports(user, report.project_id):
        return False
    return report.submitted_in_id is not None or can_view_unsubmitted_reports(user, report.project_id)


def can_download_report(user: Any, report: ProgressReport) -> bool:
    return report.status == ProgressReport.Status.DONE and can_view_report(user, report)


def can_download_bundle(user: Any, project: Project) -> bool:
    """The audit zip: the same people who read the project's reports."""
    return can_view_project_reports(user, project)


def can_bundle_attendance_sheets(user: Any, project: Project) -> bool:
    """Attendance sheets carry participants' names: coordinators only, never funders."""
    return project_permissions.can_manage_project(user, project.pk)


def can_view_download_log(user: Any, project: Project) -> bool:
    """Who fetched the project's reports: the coordinators (and the platform admin)."""
    return project_permissions.can_manage_project(user, project.pk)


# --- Reporting periods (reports/services/workflow.py) ----------------------------------
#
# The coordinator holds the period while it is a draft or returned: edits everything and
# submits. Partner staff write the narratives of the work packages their organisation
# leads. Funder officers see a period only once it was submitted (never a draft), read it,
# and acknowledge it or return it with comments. reports.selectors.visible_reporting_periods
# gives the same answer as can_view_reporting_period, as a queryset.


def _is_funder_officer(user: Any, project_id: int) -> bool:
    return Role.FUNDER_OFFICER in project_permissions.roles_by_project(user).get(project_id, set())


def _staff_organisations(user: Any, project_id: int) -> set[int]:
    return {pk for pk in project_permissions.staff_organisations_by_project(user).get(project_id, set()) if pk}


def led_work_package_ids(user: Any, project_id: int) -> set[int]:
    """The project's work packages led by an organisation the user works for as partner staff."""
    organisations = _staff_organisations(user, project_id)
    if not organisations:
        return set()
    return set(
        WorkPackage.objects.filter(project_id=project_id, lead_organisation_id__in=organisations).values_list(
            "pk", flat=True
        )
    )


def was_submitted(period: ReportingPeriod) -> bool:
    """Submitted at least once: only a period never submitted is still a draft."""
    return period.status != ReportingPeriod.Status.DRAFT


def can_open_reporting_period(user: Any, project: Project) -> bool:
    return project_permissions.can_manage_project(user, project.pk)


def can_know_reporting_period(user: Any, period: ReportingPeriod) -> bool:
    """Whether the period may be shown to exist (portal/access.py: 403 rather than 404).

    The project's coordinators and partner staff; funder officers only once it was submitted.
    """
    project_id = period.project_id
    if project_permissions.can_manage_project(user, project_id):
        return True
    roles = project_permissions.roles_by_project(user).get(project_id, set())
    if Role.PARTNER_STAFF in roles:
        return True
    return Role.FUNDER_OFFICER in roles and was_submitted(period)


def can_view_reporting_period(user: Any, period: ReportingPeriod) -> bool:
    """The period page: coordinators, partner staff leading a work package, funders once submitted."""
    project_id = period.project_id
    if project_permissions.can_manage_project(user, project_id):
        return True
    if _is_funder_officer(user, project_id) and was_submitted(period):
        return True
    return bool(led_work_package_ids(user, project_id))


def can_edit_reporting_period(user: Any, period: ReportingPeriod) -> bool:
    """Indicator values, budget spends, the next period's plan and every narrative."""
    return period.is_editable and project_permissions.can_manage_project(user, period.project_id)


def can_edit_narrative(user: Any, period: ReportingPeriod, work_package: WorkPackage) -> bool:
    if not period.is_editable or work_package.project_id != period.project_id:
        return False
    if project_permissions.can_manage_project(user, period.project_id):
        return True
    return work_package.lead_organisation_id is not None and work_package.lead_organisation_id in (
        _staff_organisations(user, period.project_id)
    )


def can_submit_reporting_period(user: Any, period: ReportingPeriod) -> bool:
    return period.is_editable and project_permissions.can_manage_project(user, period.project_id)


def can_review_reporting_period(user: Any, period: ReportingPeriod) -> bool:
    """Acknowledge or return: the project's funder officers, while the period waits for them."""
    return period.status == ReportingPeriod.Status.SUBMITTED and _is_funder_officer(user, period.project_id)
