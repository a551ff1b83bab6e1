"""Reads for the workspace: the dashboard and a project's internal page.

Every function returns rows with their related objects and counts fetched up front, so
a page runs the same number of queries for one row as for fifty. Nothing here returns
the names of participants: the workspace shows figures, the admin shows names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.models import Community, Meeting, Membership, Registration
from events.selectors import own_registrations
from projects.models import Deliverable, Participation, Project, ProjectQuerySet, ProjectRole, WorkPackage
from projects.permissions import Role, project_ids_with_role
from projects.selectors import managed_projects
from reports.models import ProgressReport
from reports.selectors import visible_reports

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

DONE_STATUSES = (Deliverable.Status.SUBMITTED, Deliverable.Status.APPROVED)
LATEST_REPORTS = 5


def _count_of(queryset: QuerySet, link: str) -> Coalesce:
    """COUNT(*) of ``queryset`` rows whose ``link`` is the outer project, as a subquery.

    Subqueries rather than Count() over joins: counting several reverse relations
    through joins multiplies them by each other.
    """
    counted = (
        queryset.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_project_figures(projects: ProjectQuerySet, today: dt.date | None = None) -> ProjectQuerySet:
    """Aggregate figures for each project: what a funder officer may read, never a name."""
    today = today or timezone.localdate()
    active_registrations = Registration.objects.filter(status__in=Registration.ACTIVE)
    return projects.annotate(
        partner_count=_count_of(
            Participation.objects.exclude(role=Participation.Role.ADVISORY), "project"
        ),
        country_count=Coalesce(
            Subquery(
                Participation.objects.filter(project=OuterRef("pk"))
                .exclude(role=Participation.Role.ADVISORY)
                .order_by()
                .values("project")
                .annotate(count=Count("organisation__country", distinct=True))
                .values("count"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        deliverable_count=_count_of(Deliverable.objects.all(), "project"),
        deliverables_done=_count_of(Deliverable.objects.filter(status__in=DONE_STATUSES), "project"),
        deliverables_late=_count_of(Deliverable.objects.late(today), "project"),
        meeting_count=_count_of(Meeting.objects.all(), "project"),
        confirmed_count=_count_of(
            active_registrations.filter(status=Registration.Status.CONFIRMED), "meeting__project"
        ),
        waitlisted_count=_count_of(
            active_registrations.filter(status=Registration.Status.WAITLISTED), "meeting__project"
        ),
        attended_count=_count_of(Registration.objects.filter(checked_in_at__isnull=False), "meeting__project"),
        community_count=_count_of(Community.objects.all(), "project"),
        active_member_count=_count_of(
            Membership.objects.filter(status=Membership.Status.ACTIVE), "community__project"
        ),
    )


def _projects_with_role(user: AbstractBaseUser, role: str) -> ProjectQuerySet:
    return Project.objects.select_related("programme", "programme__funder").filter(
        pk__in=project_ids_with_role(user, role)
    )


# --- Dashboard ---------------------------------------------------------------------


def dashboard_managed_projects(user: AbstractBaseUser) -> ProjectQuerySet:
    """Projects the person coordinates (every project for the platform admin), with figures."""
    return with_project_figures(managed_projects(user).select_related("programme__funder")).order_by(
        "-start_date", "acronym"
    )


def dashboard_staffed_projects(user: AbstractBaseUser) -> ProjectQuerySet:
    """Projects where the person is partner staff, with the deliverables their organisation leads."""
    own_roles = ProjectRole.objects.filter(project=OuterRef("pk"), user=user, role=Role.PARTNER_STAFF)
    # One filter() call, so both conditions apply to the same ProjectRole row.
    led = Deliverable.objects.filter(
        lead_organisation__staff_roles__user=user,
        lead_organisation__staff_roles__role=Role.PARTNER_STAFF,
        lead_organisation__staff_roles__project=F("project"),
    )
    return (
        with_project_figures(_projects_with_role(user, Role.PARTNER_STAFF))
        .annotate(
            staff_organisation=Subquery(own_roles.order_by("organisation__name").values("organisation__name")[:1]),
            led_deliverable_count=_count_of(led, "project"),
        )
        .order_by("-start_date", "acronym")
    )


def dashboard_funded_projects(user: AbstractBaseUser) -> ProjectQuerySet:
    """Projects the person follows as a funder officer: facts and figures only."""
    return with_project_figures(_projects_with_role(user, Role.FUNDER_OFFICER)).order_by("-start_date", "acronym")


def own_memberships(user: AbstractBaseUser) -> QuerySet[Membership]:
    """The person's own community memberships, whatever their status."""
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("community", "community__project")
        .order_by("community__name")
    )


def upcoming_own_registrations(user: AbstractBaseUser, now: dt.datetime | None = None) -> QuerySet[Registration]:
    """The person's own active registrations for meetings that have not ended yet."""
    now = now or timezone.now()
    return (
        own_registrations(user)
        .filter(status__in=Registration.ACTIVE, meeting__ends_at__gte=now)
        .order_by("meeting__starts_at", "meeting_id")
    )


# --- A project's workspace page ------------------------------------------------------


def workspace_projects() -> ProjectQuerySet:
    """Projects with what the facts panel shows; the view narrows it to one slug."""
    return Project.objects.select_related("programme", "programme__funder")


def consortium(project: Project) -> QuerySet[Participation]:
    """The consortium ordered by role as the grant lists it (coordinator first), then by name."""
    order = Case(
        *[When(role=value, then=Value(index)) for index, value in enumerate(Participation.Role.values)],
        default=Value(len(Participation.Role.values)),
        output_field=IntegerField(),
    )
    return (
        Participation.objects.filter(project=project)
        .select_related("organisation")
        .annotate(role_order=order)
        .order_by("role_order", "organisation__name")
    )


def work_packages(project: Project) -> QuerySet[WorkPackage]:
    return (
        WorkPackage.objects.filter(project=project)
        .select_related("lead_organisation")
        .annotate(deliverable_count=Count("deliverables"))
        .order_by("number")
    )


def project_deliverables(project: Project) -> QuerySet[Deliverable]:
    """Every deliverable of the project, sensitive ones included (callers check who asks)."""
    # The project comes along because due_month counts from the project's start.
    return (
        Deliverable.objects.filter(project=project)
        .select_related("project", "work_package", "lead_organisation")
        .order_by("due_date", "code")
    )


@dataclass(frozen=True)
class SectorFigures:
    sector: str
    label: str
    confirmed: int
    waitlisted: int
    attended: int


@dataclass(frozen=True)
class MeetingFigures:
    meeting: Meeting
    confirmed: int
    waitlisted: int
    attended: int
    by_sector: list[SectorFigures]


def _registrations(**conditions: object) -> Count:
    return Count("registrations", filter=Q(**{f"registrations__{key}": value for key, value in conditions.items()}))


def meeting_figures(project: Project) -> list[MeetingFigures]:
    """Each meeting with confirmed, waitlisted and attended counts, in total and by sector.

    One query: every count is a filtered COUNT over the same join to registrations.
    Attended means checked in, which only a confirmed registration can be.
    """
    confirmed, waitlisted = Registration.Status.CONFIRMED, Registration.Status.WAITLISTED
    annotations: dict[str, Count] = {
        "n_confirmed": _registrations(status=confirmed),
        "n_waitlisted": _registrations(status=waitlisted),
        "n_attended": _registrations(checked_in_at__isnull=False),
    }
    for sector in Registration.Sector.values:
        annotations[f"n_{sector}_confirmed"] = _registrations(status=confirmed, sector=sector)
        annotations[f"n_{sector}_waitlisted"] = _registrations(status=waitlisted, sector=sector)
        annotations[f"n_{sector}_attended"] = _registrations(checked_in_at__isnull=False, sector=sector)
    meetings = (
        Meeting.objects.filter(project=project)
        .select_related("community")
        .annotate(**annotations)
        .order_by("starts_at", "id")
    )
    figures = []
    for meeting in meetings:
        by_sector = [
            SectorFigures(
                sector=sector,
                label=label,
                confirmed=getattr(meeting, f"n_{sector}_confirmed"),
                waitlisted=getattr(meeting, f"n_{sector}_waitlisted"),
                attended=getattr(meeting, f"n_{sector}_attended"),
            )
            for sector, label in Registration.Sector.choices
        ]
        figures.append(
            MeetingFigures(
                meeting=meeting,
                confirmed=meeting.n_confirmed,
                waitlisted=meeting.n_waitlisted,
                attended=meeting.n_attended,
                # Sectors nobody registered from would only add empty rows.
                by_sector=[row for row in by_sector if row.confirmed or row.waitlisted or row.attended],
            )
        )
    return figures


def community_figures(project: Project) -> QuerySet[Community]:
    """The project's communities with member and meeting counts (never the members)."""
    return (
        Community.objects.filter(project=project)
        .annotate(
            active_member_count=_count_of(Membership.objects.filter(status=Membership.Status.ACTIVE), "community"),
            pending_member_count=_count_of(Membership.objects.filter(status=Membership.Status.PENDING), "community"),
            meeting_count=_count_of(Meeting.objects.all(), "community"),
        )
        .order_by("name")
    )


def project_reports(user: AbstractBaseUser, project: Project) -> QuerySet[ProgressReport]:
    """The project's progress reports this user may read, newest first."""
    return visible_reports(user).filter(project=project).order_by("-created_at", "-id")
