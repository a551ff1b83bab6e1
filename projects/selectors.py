"""Reads of projects: querysets with their related rows fetched up front."""

from django.db.models import Q

from .models import Project, ProjectQuerySet
from .permissions import is_platform_admin, managed_project_ids, roles_by_project


def visible_projects(user) -> ProjectQuerySet:
    """The projects a user may see: the same answer as permissions.can_view_project, as a queryset."""
    queryset = Project.objects.select_related("programme")
    if is_platform_admin(user):
        return queryset
    return queryset.filter(Q(is_public=True) | Q(pk__in=list(roles_by_project(user))))


def managed_projects(user) -> ProjectQuerySet:
    """The projects a user coordinates (all of them for the platform admin)."""
    queryset = Project.objects.select_related("programme")
    if is_platform_admin(user):
        return queryset
    return queryset.filter(pk__in=managed_project_ids(user))
