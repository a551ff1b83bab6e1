"""Reads of progress reports, filtered to what a user may see."""

from django.db.models import QuerySet

from projects.permissions import Role, is_platform_admin, project_ids_with_role

from .models import ProgressReport


def visible_reports(user) -> QuerySet[ProgressReport]:
    """Same answer as permissions.can_view_report, as a queryset."""
    queryset = ProgressReport.objects.select_related("project", "requested_by")
    if is_platform_admin(user):
        return queryset
    return queryset.filter(project_id__in=project_ids_with_role(user, Role.COORDINATOR, Role.FUNDER_OFFICER))
