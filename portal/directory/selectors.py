"""Reads of the organisation directory: only what the user's visible projects show."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from partners.models import Organisation
from projects.models import Participation
from projects.selectors import visible_organisations, visible_projects


def _visible_project_ids(user: Any) -> QuerySet:
    # A subquery, so the count below and the filter run in the same SQL statement.
    return visible_projects(user).order_by().values("pk")


def directory_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations taking part in at least one project the user may see.

    The count covers visible projects only: counting every participation would tell a
    visitor how many private projects an organisation works in.
    """
    return (
        visible_organisations(user, placed_only=True)
        .annotate(
            visible_project_count=Count(
                "participations", filter=Q(participations__project__in=_visible_project_ids(user))
            )
        )
        .filter(visible_project_count__gt=0)
        .order_by("name", "pk")
    )


def organisation_participations(user: Any, organisation: Organisation) -> QuerySet[Participation]:
    """The organisation's places in visible projects, each with the other partners met there."""
    partners = (
        Participation.objects.exclude(organisation=organisation)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    return (
        Participation.objects.filter(organisation=organisation, project__in=_visible_project_ids(user))
        .select_related("project", "project__programme")
        .prefetch_related(Prefetch("project__participations", queryset=partners, to_attr="partners_met"))
        .order_by("-project__start_date", "project__acronym")
    )
