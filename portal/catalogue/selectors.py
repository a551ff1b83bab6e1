"""Reads for the public pages: the home page, the project catalogue and a project's page.

Every function returns rows with their related objects and counts fetched up front, so a
page runs the same number of queries for one row as for fifty. Visibility always starts
from the permission-aware selectors (visible_projects, visible_meetings,
visible_communities); nothing here widens what they allow.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django_countries.fields import Country

from events.models import Community, Meeting
from events.selectors.visibility import visible_communities, visible_meetings
from projects.models import Deliverable, Participation, Project, ProjectQuerySet, Update, WorkPackage
from projects.selectors import consortium_order, visible_projects, with_consortium_figures

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

# The home page shows the newest running projects; the catalogue lists them all.
HOME_PROJECTS = 12
HOME_MEETINGS = 6
HOME_UPDATES = 5
CATALOGUE_PAGE_SIZE = 20


# --- Home -----------------------------------------------------------------------------


def running_public_projects(today: dt.date | None = None, limit: int = HOME_PROJECTS) -> ProjectQuerySet:
    """The ``limit`` public projects running today that started last, with consortium figures (one query).

    Bounded, so the home page stays the same size however many projects the portal holds;
    the consortium sizes are subqueries, so PostgreSQL counts them for the shown rows only.
    """
    return with_consortium_figures(
        Project.objects.filter(is_public=True)
        .running(today or timezone.localdate())
        .select_related("programme", "programme__funder")
    ).order_by("-start_date", "acronym")[:limit]


def upcoming_meetings(user: AnyUser, now: dt.datetime | None = None, limit: int = HOME_MEETINGS) -> QuerySet[Meeting]:
    """The next scheduled meetings this user may see, soonest first."""
    return (
        visible_meetings(user)
        .filter(starts_at__gte=now or timezone.now(), status=Meeting.Status.SCHEDULED)
        .order_by("starts_at", "id")[:limit]
    )


def latest_public_updates(limit: int = HOME_UPDATES) -> QuerySet[Update]:
    """Newest public updates of public projects: what anybody may read."""
    return (
        Update.objects.filter(is_public=True, project__is_public=True)
        .select_related("project")
        .order_by("-published_on", "-id")[:limit]
    )


# --- Catalogue ------------------------------------------------------------------------


def catalogue_projects(user: AnyUser) -> ProjectQuerySet:
    """Every project the user may see, with programme, newest first.

    The catalogue adds the consortium figures (``with_consortium_figures``) to the rows of
    the page it shows, after filtering, so that a page served from its fragment builds none.
    """
    return visible_projects(user).select_related("programme").order_by("-start_date", "acronym", "pk")


def partner_countries() -> list[Country]:
    """Countries of organisations taking part in any project: the catalogue's country choices."""
    codes = (
        Participation.objects.order_by("organisation__country")
        .values_list("organisation__country", flat=True)
        .distinct()
    )
    # Sorted by the name in the active language, so German visitors find "Italien" under I.
    return sorted((Country(code) for code in codes), key=lambda country: str(country.name))


def project_for_page(slug: str) -> QuerySet[Project]:
    """The project page's own row without figures: the page counts them from its consortium."""
    return Project.objects.select_related("programme", "programme__funder").filter(slug=slug)


# --- Project page ---------------------------------------------------------------------


@dataclass(frozen=True)
class CountryShare:
    country: Country
    count: int


@dataclass
class ProjectPage:
    """Everything the public project page shows, read in a fixed number of queries."""

    consortium: list[Participation]
    countries: list[CountryShare]
    work_packages: list[WorkPackage]
    deliverables: list[Deliverable]
    communities: list[Community]
    upcoming_meetings: list[Meeting]
    past_meetings: list[Meeting]
    updates: list[Update]


def _consortium(project: Project) -> list[Participation]:
    """The consortium ordered as grants list it (coordinator first), then by name."""
    order = consortium_order()
    return list(
        Participation.objects.filter(project=project)
        .select_related("organisation")
        .annotate(role_order=order)
        .order_by("role_order", "organisation__name")
    )


def _country_shares(consortium: list[Participation]) -> list[CountryShare]:
    """Organisations per country, most first; counted in Python from rows already read."""
    counts = Counter(participation.organisation.country.code for participation in consortium)
    shares = [CountryShare(Country(code), count) for code, count in counts.items()]
    return sorted(shares, key=lambda share: (-share.count, str(share.country.name)))


def project_page(user: AnyUser, project: Project, now: dt.datetime | None = None) -> ProjectPage:
    """The rows of one project's public page.

    Deliverables come back all of them, with their project: the view keeps only those
    can_view_deliverable allows (the check reads deliverable.project, already joined).
    """
    now = now or timezone.now()
    consortium = _consortium(project)
    meetings = list(visible_meetings(user).filter(project=project).order_by("starts_at", "id"))
    return ProjectPage(
        consortium=consortium,
        countries=_country_shares(consortium),
        work_packages=list(
            WorkPackage.objects.filter(project=project).select_related("lead_organisation").order_by("number")
        ),
        deliverables=list(
            Deliverable.objects.filter(project=project)
            .select_related("project", "work_package", "lead_organisation")
            .order_by("due_date", "code")
        ),
        communities=list(visible_communities(user).filter(project=project).order_by("name")),
        upcoming_meetings=[meeting for meeting in meetings if meeting.starts_at >= now],
        # Most recent first: the past is read backwards.
        past_meetings=[meeting for meeting in reversed(meetings) if meeting.starts_at < now],
        updates=list(Update.objects.filter(project=project, is_public=True).order_by("-published_on", "-id")),
    )
