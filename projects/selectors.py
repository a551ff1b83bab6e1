"""Reads of projects: querysets with their related rows fetched up front."""

from django.db.models import Count, Q

from .models import Participation, Project, ProjectQuerySet


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
