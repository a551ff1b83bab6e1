"""Who may request and read progress reports."""

from __future__ import annotations

from typing import Any

from projects import permissions as project_permissions
from projects.models import Project
from projects.permissions import Role

from .models import ProgressReport


def can_request_report(user: Any, project: Project) -> bool:
    return project_permissions.can_manage_project(user, project.pk)


def can_view_project_reports(user: Any, project: Project | int) -> bool:
    """Coordinators and the project's funder officers; reports hold aggregates only, so funders may."""
    project_id = project if isinstance(project, int) else project.pk
    if project_permissions.can_manage_project(user, project_id):
        return True
    return Role.FUNDER_OFFICER in project_permissions.roles_by_project(user).get(project_id, set())


def can_view_report(user: Any, report: ProgressReport) -> bool:
    return can_view_project_reports(user, report.project_id)


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
