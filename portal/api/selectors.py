"""Reads of the API's lists: the pages' visibility selectors, with what each resource shows fetched up front.

Every function starts from a visibility selector (visible_projects, visible_meetings, ...)
and only narrows or annotates it, so the API never shows more than the browser.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from events.models import Community, Meeting, Membership
from events.selectors.visibility import visible_communities, visible_meetings
from partners.models import Organisation
from portal.calendar.selectors import upcoming, with_seat_figures
from portal.catalogue.selectors import catalogue_projects
from portal.directory.selectors import directory_organisations
from projects.models import Deliverable, FundingProgramme, Participation, ProjectQuerySet, Update
from projects.selectors import (
    consortium_order,
    visible_deliverables,
    visible_projects,
    visible_updates,
    with_consortium_figures,
)
from reports.models import ProgressReport
from reports.selectors import visible_reports


def programmes() -> QuerySet[FundingProgramme]:
    # Every programme: the catalogue offers them all as a filter to every visitor.
    return FundingProgramme.objects.select_related("funder").order_by("short_name", "pk")


def projects(user: Any) -> ProjectQuerySet:
    """The catalogue's projects, with consortium figures, in the catalogue's order."""
    return with_consortium_figures(catalogue_projects(user))


def project_with_consortium(user: Any) -> ProjectQuerySet:
    """The catalogue's projects with their consortium rows (``consortium_rows``), for one project's answer."""
    rows = (
        Participation.objects.select_related("project", "organisation")
        .annotate(role_order=consortium_order())
        .order_by("role_order", "organisation__name", "pk")
    )
    return projects(user).prefetch_related(Prefetch("participations", queryset=rows, to_attr="consortium_rows"))


def organisations(user: Any) -> QuerySet[Organisation]:
    """The directory's organisations, with the number of visible projects each takes part in."""
    return directory_organisations(user)


def participations(user: Any) -> QuerySet[Participation]:
    """Places in the consortia of the projects the user may see."""
    return (
        Participation.objects.filter(project__in=visible_projects(user).order_by().values("pk"))
        .select_related("project", "organisation")
        .order_by("project__acronym", "project_id", "role", "organisation__name", "pk")
    )


def communities(user: Any) -> QuerySet[Community]:
    active = Q(memberships__status=Membership.Status.ACTIVE)
    return visible_communities(user).annotate(member_count=Count("memberships", filter=active)).order_by("name", "pk")


def meetings(user: Any) -> QuerySet[Meeting]:
    """Visible meetings with the meeting page's figures: free seats and the waiting list's length."""
    return with_seat_figures(visible_meetings(user))


def deliverables(user: Any) -> QuerySet[Deliverable]:
    return visible_deliverables(user).order_by("project__acronym", "project_id", "due_date", "code", "pk")


def news(user: Any) -> QuerySet[Update]:
    return visible_updates(user).order_by("-published_on", "-id")


def upcoming_meetings(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """As the calendar's list: meetings not yet over (still running counts)."""
    return upcoming(queryset)


def reports(user: Any) -> QuerySet[ProgressReport]:
    """The progress reports the reports pages show the user: funders only versions submitted to them."""
    return (
        visible_reports(user).select_related("project").order_by("project__acronym", "project_id", "-created_at", "-id")
    )
