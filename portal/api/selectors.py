"""Reads of the API's lists: the pages' visibility selectors, with what each resource shows fetched up front.

Every function starts from a visibility selector (visible_projects, visible_meetings, ...)
and only narrows or annotates it, so the API never shows more than the browser.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest

from events.models import Community, Meeting, Membership, Registration
from events.selectors.visibility import visible_communities, visible_meetings
from partners.models import Organisation
from portal.calendar.selectors import upcoming
from portal.catalogue.selectors import catalogue_projects
from portal.directory.selectors import directory_organisations
from projects.models import Deliverable, FundingProgramme, Participation, ProjectQuerySet, Update
from projects.selectors import visible_deliverables, visible_projects, visible_updates


def programmes() -> QuerySet[FundingProgramme]:
    # Every programme: the catalogue offers them all as a filter to every visitor.
    return FundingProgramme.objects.select_related("funder").order_by("short_name", "pk")


def projects(user: Any) -> ProjectQuerySet:
    """The catalogue's projects, with consortium figures, in the catalogue's order."""
    return catalogue_projects(user)


def _consortium_order() -> Case:
    # As grants list a consortium (and the project page): coordinator first, then by role.
    return Case(
        *[When(role=value, then=Value(index)) for index, value in enumerate(Participation.Role.values)],
        default=Value(len(Participation.Role.values)),
        output_field=IntegerField(),
    )


def project_with_consortium(user: Any) -> ProjectQuerySet:
    """The catalogue's projects with their consortium rows (``consortium_rows``), for one project's answer."""
    rows = (
        Participation.objects.select_related("project", "organisation")
        .annotate(role_order=_consortium_order())
        .order_by("role_order", "organisation__name", "pk")
    )
    return catalogue_projects(user).prefetch_related(
        Prefetch("participations", queryset=rows, to_attr="consortium_rows")
    )


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


def _registrations_with(status: str) -> Coalesce:
    # A subquery per figure, as the meeting page counts them (portal.calendar.selectors.meeting_for_page):
    # no join with GROUP BY over every column of the meeting, its project and community.
    counted = (
        Registration.objects.filter(meeting=OuterRef("pk"), status=status)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_seat_figures(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """The meeting page's figures for each meeting: confirmed registrations, seats left, waiting list.

    Seats left as on the page: capacity minus confirmed registrations, never below 0, None
    when there is no limit. Figures only, never who registered.
    """
    queryset = queryset.annotate(
        confirmed_count=_registrations_with(Registration.Status.CONFIRMED),
        waitlist_count=_registrations_with(Registration.Status.WAITLISTED),
    )
    # Case first: PostgreSQL's GREATEST skips NULLs, so no limit would read as 0 seats.
    return queryset.annotate(
        seats_left=Case(
            When(capacity__isnull=True, then=Value(None)),
            default=Greatest(F("capacity") - F("confirmed_count"), Value(0)),
            output_field=IntegerField(),
        )
    )


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
