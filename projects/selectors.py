"""Reads of projects: querysets with their related rows fetched up front."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from .models import Deliverable, DeliverableStatusChange, Project, ProjectQuerySet
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


def deliverable_statuses_as_of(deliverables: Iterable[Deliverable], moment: dt.datetime) -> dict[int, str]:
    """{deliverable id: its status just before ``moment``}, from the status history, in one query.

    A progress report passes the end of its period (midnight after its last day), so a
    deliverable handed in after the period is still open in that report, however late it
    is regenerated. Before its first recorded change a deliverable was planned. A
    deliverable with no history at all (a row written outside the services, such as a
    fixture) is read as the migration that started the history read every existing one:
    delivered from its submission date, otherwise in its current status.
    """
    deliverables = list(deliverables)
    statuses: dict[int, str] = {}
    recorded: set[int] = set()
    changes = (
        DeliverableStatusChange.objects.filter(deliverable__in=[d.pk for d in deliverables])
        .order_by("deliverable_id", "changed_at", "id")
        .values_list("deliverable_id", "status", "changed_at")
    )
    for deliverable_id, status, changed_at in changes:
        recorded.add(deliverable_id)
        if changed_at < moment:
            statuses[deliverable_id] = status  # the last one before the moment wins
    zone = timezone.get_default_timezone()
    for deliverable in deliverables:
        if deliverable.pk in recorded:
            statuses.setdefault(deliverable.pk, Deliverable.Status.PLANNED)
        elif deliverable.is_delivered and deliverable.submitted_on:
            submitted_at = dt.datetime.combine(deliverable.submitted_on, dt.time.min, tzinfo=zone)
            statuses[deliverable.pk] = deliverable.status if submitted_at < moment else Deliverable.Status.PLANNED
        else:
            statuses[deliverable.pk] = deliverable.status
    return statuses
