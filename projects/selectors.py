"""Reads of projects: querysets with their related rows fetched up front."""

from django.db.models import Count, Q

from .models import Participation, Project, ProjectQuerySet
from .permissions import Role, is_platform_admin, managed_project_ids, project_ids_with_role, roles_by_project


def public_projects() -> ProjectQuerySet:
    """Projects visitors may see, with programme and consortium size in one query."""
    return (
        Project.objects.filter(is_public=True)
        .select_related("programme", "programme__funder")
        .annotate(
            partner_count=Count("participations", filter=~Q(participations__role=Participation.Role.ADVISORY)),
            country_count=Count(
                "participations__organisation__country",
                filter=~Q(participations__role=Participation.Role.ADVISORY),
                distinct=True,
            ),
        )
        .order_by("-start_date", "acronym")
    )


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


def projects_with_figures(user) -> ProjectQuerySet:
    """Projects whose aggregate figures the user may read (coordinators, partner staff, funders)."""
    queryset = Project.objects.select_related("programme", "programme__funder")
    if is_platform_admin(user):
        return queryset
    ids = project_ids_with_role(user, Role.COORDINATOR, Role.PARTNER_STAFF, Role.FUNDER_OFFICER)
    return queryset.filter(pk__in=ids)
