"""Reads for the workspace: the dashboard and a project's internal page.

Every function returns rows with their related objects and counts fetched up front, so
a page runs the same number of queries for one row as for fifty. Nothing here returns
the names of participants: the workspace shows figures, the admin shows names.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.models import Community, Meeting, Membership, Registration
from events.permissions import facilitated_community_ids, memberships_by_community
from events.selectors.registrations import with_waitlist_position
from events.selectors.statistics import SectorTally, Tally, registrations_by_sector
from events.selectors.visibility import visible_meetings
from outbox.models import Message
from partners.models import Organisation
from projects.models import (
    Deliverable,
    DeliverableQuerySet,
    Indicator,
    IndicatorSource,
    Participation,
    Project,
    ProjectQuerySet,
    ProjectRole,
    Update,
    WorkPackage,
)
from projects.permissions import Role, can_manage_any_project, can_manage_project, project_ids_with_role
from projects.selectors import consortium_order, managed_projects, with_consortium_figures
from reports.models import IndicatorValue, ProgressReport, ReportingPeriod
from reports.schedule import quarter_of
from reports.selectors import visible_reports

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

LATEST_REPORTS = 5
# How far ahead "due soon" looks, in days.
DUE_SOON_DAYS = 60


def _count_of(queryset: QuerySet, link: str) -> Coalesce:
    """COUNT(*) of ``queryset`` rows whose ``link`` is the outer project, as a subquery.

    Subqueries rather than Count() over joins: counting several reverse relations
    through joins multiplies them by each other.
    """
    counted = (
        queryset.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(count=Count("pk")).values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_project_figures(projects: ProjectQuerySet, today: dt.date | None = None) -> ProjectQuerySet:
    """Aggregate figures for each project: what a funder officer may read, never a name."""
    today = today or timezone.localdate()
    active_registrations = Registration.objects.filter(status__in=Registration.ACTIVE)
    return with_consortium_figures(projects).annotate(
        deliverable_count=_count_of(Deliverable.objects.all(), "project"),
        deliverables_done=_count_of(Deliverable.objects.delivered(), "project"),
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
        active_member_count=_count_of(Membership.objects.filter(status=Membership.Status.ACTIVE), "community__project"),
    )


def _due_soon(today: dt.date) -> DeliverableQuerySet:
    """Open deliverables due from today to DUE_SOON_DAYS ahead."""
    return Deliverable.objects.filter(
        status__in=DeliverableQuerySet.OPEN,
        due_date__gte=today,
        due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
    )


def pending_requests() -> QuerySet[Membership]:
    """Requests to join that wait for a decision: pending, in a community that admits on approval."""
    return Membership.objects.filter(
        status=Membership.Status.PENDING, community__membership_policy=Community.Policy.APPROVAL
    )


def with_attention_figures(
    projects: ProjectQuerySet,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    *,
    submitted_reports_only: bool = False,
) -> ProjectQuerySet:
    """What needs attention in each project, as counts: deliverables due soon, upcoming
    meetings, requests to join, and the latest progress report's status. Never a name.

    ``submitted_reports_only`` for funder officers: they never see drafts, so only versions
    submitted to the funder count as the latest report."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    latest_report = ProgressReport.objects.filter(project=OuterRef("pk")).order_by("-created_at", "-id")
    if submitted_reports_only:
        latest_report = latest_report.filter(submitted_in__isnull=False)
    return projects.annotate(
        due_soon_count=_count_of(_due_soon(today), "project"),
        upcoming_meeting_count=_count_of(
            Meeting.objects.filter(ends_at__gte=now).exclude(status=Meeting.Status.CANCELLED), "project"
        ),
        pending_request_count=_count_of(pending_requests(), "community__project"),
        latest_report_status=Subquery(latest_report.values("status")[:1]),
        latest_report_requested_at=Subquery(latest_report.values("created_at")[:1]),
    )


def _projects_with_role(user: AbstractBaseUser, role: str) -> ProjectQuerySet:
    return Project.objects.select_related("programme", "programme__funder").filter(
        pk__in=project_ids_with_role(user, role)
    )


# --- Dashboard ---------------------------------------------------------------------


def dashboard_managed_projects(user: AbstractBaseUser) -> ProjectQuerySet:
    """Projects the person coordinates (every project for the platform admin), with figures."""
    if not can_manage_any_project(user):
        # Building the figures' subqueries costs more than the query; skip both when empty.
        return Project.objects.none()
    return with_reporting_status(
        with_attention_figures(with_project_figures(managed_projects(user).select_related("programme__funder")))
    ).order_by("-start_date", "acronym")


def dashboard_staffed_projects(user: AbstractBaseUser) -> ProjectQuerySet:
    """Projects where the person is partner staff, with the deliverables their organisation leads."""
    if not project_ids_with_role(user, Role.PARTNER_STAFF):
        return Project.objects.none()
    own_roles = ProjectRole.objects.filter(project=OuterRef("pk"), user=user, role=Role.PARTNER_STAFF)
    # One filter() call, so both conditions apply to the same ProjectRole row.
    led = Deliverable.objects.filter(
        lead_organisation__staff_roles__user=user,
        lead_organisation__staff_roles__role=Role.PARTNER_STAFF,
        lead_organisation__staff_roles__project=F("project"),
    )
    return (
        with_attention_figures(with_project_figures(_projects_with_role(user, Role.PARTNER_STAFF)))
        .annotate(
            staff_organisation=Subquery(own_roles.order_by("organisation__name").values("organisation__name")[:1]),
            staff_organisation_pk=Subquery(own_roles.order_by("organisation__name").values("organisation")[:1]),
            led_deliverable_count=_count_of(led, "project"),
        )
        .order_by("-start_date", "acronym")
    )


def dashboard_funded_projects(user: AbstractBaseUser) -> ProjectQuerySet:
    """Projects the person follows as a funder officer: facts and figures only."""
    if not project_ids_with_role(user, Role.FUNDER_OFFICER):
        return Project.objects.none()
    return with_reporting_status(
        with_attention_figures(
            with_project_figures(_projects_with_role(user, Role.FUNDER_OFFICER)), submitted_reports_only=True
        ),
        submitted_only=True,
    ).order_by("-start_date", "acronym")


def membership_communities(community_ids: list[int]) -> dict[int, Community]:
    """{community id: the community, with its project and ``pending_request_count``}, by name; one query.

    Nobody's membership is in it: the dashboard keeps it for everybody with the same
    memberships (fragments.viewer_key) and puts the person's own role and status around it
    (own_memberships).
    """
    if not community_ids:
        return {}
    waiting = (
        pending_requests()
        .filter(community=OuterRef("pk"))
        .order_by()
        .values("community")
        .annotate(count=Count("pk"))
        .values("count")
    )
    communities = (
        Community.objects.filter(pk__in=community_ids)
        .select_related("project")
        .only(
            "name",
            "name_de",
            "slug",
            "territory",
            "visibility",
            "project__slug",
            "project__acronym",
            "project__is_public",
        )
        # For facilitators: how many people wait to be let in (the view shows it to them only).
        .annotate(pending_request_count=Coalesce(Subquery(waiting, output_field=IntegerField()), Value(0)))
        .order_by("name", "pk")
    )
    return {community.pk: community for community in communities}


@dataclass(frozen=True)
class OwnMembership:
    """The person's membership of one community as the dashboard shows it."""

    community: Community
    role: str
    status: str

    @property
    def community_id(self) -> int:
        return self.community.pk

    @property
    def pending_request_count(self) -> int:
        # For facilitators: how many people wait to be let in (the view shows it to them only).
        return self.community.pending_request_count

    def get_role_display(self) -> str:
        return str(Membership.Role(self.role).label)

    def get_status_display(self) -> str:
        return str(Membership.Status(self.status).label)


def own_memberships(user: AbstractBaseUser, communities: dict[int, Community]) -> list[OwnMembership]:
    """The person's own community memberships, whatever their status, by community name; no query.

    Their role and status come from the memberships every page reads once per request
    (events.permissions.memberships_by_community), so they are always the person's own and
    current; ``communities`` (membership_communities) adds what the dashboard shows of each
    community.
    """
    mine = memberships_by_community(user)
    return [
        OwnMembership(community=community, role=mine[community_id][0], status=mine[community_id][1])
        for community_id, community in communities.items()
        if community_id in mine
    ]


# --- A project's workspace page ------------------------------------------------------


def workspace_projects() -> ProjectQuerySet:
    """Projects with what the facts panel and the consortium's figures show; the view narrows it to one slug."""
    return with_consortium_figures(Project.objects.select_related("programme", "programme__funder"))


def consortium(project: Project) -> QuerySet[Participation]:
    """The consortium ordered by role as the grant lists it (coordinator first), then by name."""
    order = consortium_order()
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
class MeetingFigures:
    meeting: Meeting
    confirmed: int
    waitlisted: int
    attended: int
    by_sector: list[SectorTally]


def _registrations(**conditions: object) -> Count:
    return Count("registrations", filter=Q(**{f"registrations__{key}": value for key, value in conditions.items()}))


def meeting_figures(project: Project) -> list[MeetingFigures]:
    """Each meeting with confirmed, waitlisted and attended counts, in total and by sector.

    Two plain queries, whatever the number of meetings: the meetings, and their
    registrations counted per meeting, sector and status (events' registrations_by_sector);
    totals are summed here. Attended means checked in, which only a confirmed registration can be.
    """
    meetings = list(Meeting.objects.filter(project=project).select_related("community").order_by("starts_at", "id"))
    counts = registrations_by_sector(project=project)
    figures = []
    for meeting in meetings:
        by_sector = counts.get(meeting.pk, [])
        total = Tally.sum_of(by_sector)
        figures.append(
            MeetingFigures(
                meeting=meeting,
                confirmed=total.confirmed,
                waitlisted=total.waitlisted,
                attended=total.attended,
                # Sectors with only cancelled registrations would only add empty rows.
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


# --- What needs attention in a project --------------------------------------------------


@dataclass(frozen=True)
class Deadlines:
    late: list[Deliverable]
    due_soon: list[Deliverable]


def deadlines(deliverables: list[Deliverable], today: dt.date) -> Deadlines:
    """Late deliverables (past due, not submitted) and open ones due within DUE_SOON_DAYS.

    Works on the rows the page has already read (project_deliverables), so it costs no query.
    """
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    return Deadlines(
        late=[d for d in deliverables if d.is_late_on(today)],
        due_soon=[d for d in deliverables if d.status in DeliverableQuerySet.OPEN and today <= d.due_date <= horizon],
    )


def upcoming_meetings(project: Project, now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """Meetings that have not ended yet, with confirmed and waitlisted counts, in one query."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(project=project, ends_at__gte=now)
        .select_related("community")
        .annotate(
            confirmed_count=_registrations(status=Registration.Status.CONFIRMED),
            waitlisted_count=_registrations(status=Registration.Status.WAITLISTED),
        )
        .order_by("starts_at", "id")
    )


def membership_requests(user: AbstractBaseUser, project: Project) -> QuerySet[Membership]:
    """Pending requests to join the project's approval communities that ``user`` may decide.

    Every one for the project's coordinators, those of the communities they facilitate
    for facilitators: the rows events.permissions.can_decide_membership allows.
    Oldest first: who asked first is answered first.
    """
    requests = (
        pending_requests()
        .filter(community__project=project)
        .select_related("user", "user__organisation", "community")
        .order_by("requested_at", "id")
    )
    if can_manage_project(user, project.pk):
        return requests
    return requests.filter(community_id__in=facilitated_community_ids(user))


def project_updates(project: Project) -> QuerySet[Update]:
    """The project's news and press mentions, public or not (callers check who asks), newest first."""
    return Update.objects.filter(project=project).order_by("-published_on", "-id")


# --- Choices for the workspace's forms ------------------------------------------------------


def consortium_organisations(project: Project, also: int | None = None) -> QuerySet[Organisation]:
    """Organisations that may lead a deliverable: the consortium, plus the current lead (``also``)."""
    condition = Q(participations__project=project)
    if also is not None:
        condition |= Q(pk=also)
    return Organisation.objects.filter(condition).distinct().order_by("name")


def project_work_packages(project: Project) -> QuerySet[WorkPackage]:
    return WorkPackage.objects.filter(project=project).order_by("number")


def meeting_communities(user: AbstractBaseUser, project: Project) -> QuerySet[Community]:
    """Communities a meeting of the project may belong to, for this person.

    Coordinators choose among all of the project's; facilitators only among theirs.
    """
    communities = Community.objects.filter(project=project).order_by("name")
    if can_manage_project(user, project.pk):
        return communities
    return communities.filter(pk__in=facilitated_community_ids(user))


# --- The dashboard by role: what to do next ----------------------------------------------

# Deliverables due within this many days (or late) are listed by name on a coordinator's card.
DEADLINE_DAYS = 30
# Upcoming meetings listed per project or community; the project's page lists them all.
MEETINGS_SHOWN = 3


def with_fill(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Annotate confirmed_count and waitlisted_count (numbers, never names)."""
    return meetings.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
        waitlisted_count=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
    )


def fill_percent(meeting: Meeting) -> int | None:
    """Confirmed seats as a share of the capacity, in %; None for a meeting without a limit."""
    if not meeting.capacity:
        return None
    return round(100 * meeting.confirmed_count / meeting.capacity)


def _upcoming(now: dt.datetime) -> Q:
    return Q(ends_at__gte=now) & ~Q(status=Meeting.Status.CANCELLED)


def _grouped(rows: list, key: str, limit: int | None = None) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        bucket = grouped.setdefault(getattr(row, key), [])
        if limit is None or len(bucket) < limit:
            bucket.append(row)
    return grouped


def dashboard_deadlines(project_ids: list[int], today: dt.date | None = None) -> dict[int, list[Deliverable]]:
    """{project id: open deliverables late or due within DEADLINE_DAYS}, earliest first; one query."""
    if not project_ids:
        return {}
    today = today or timezone.localdate()
    rows = list(
        Deliverable.objects.filter(
            project_id__in=project_ids,
            status__in=DeliverableQuerySet.OPEN,
            due_date__lte=today + dt.timedelta(days=DEADLINE_DAYS),
        ).order_by("due_date", "code", "id")
    )
    return _grouped(rows, "project_id")


def dashboard_project_meetings(project_ids: list[int], now: dt.datetime | None = None) -> dict[int, list[Meeting]]:
    """{project id: its next MEETINGS_SHOWN meetings with their fill}; one query."""
    if not project_ids:
        return {}
    now = now or timezone.now()
    rows = list(
        with_fill(
            Meeting.objects.filter(_upcoming(now), project_id__in=project_ids).select_related("community")
        ).order_by("starts_at", "id")
    )
    for meeting in rows:
        meeting.fill_percent = fill_percent(meeting)
    return _grouped(rows, "project_id", MEETINGS_SHOWN)


def with_reporting_status(projects: ProjectQuerySet, *, submitted_only: bool = False) -> ProjectQuerySet:
    """The latest reporting period (pk, status, end) and the latest report's version, as annotations.

    ``submitted_only`` for funder officers, who never see a period never submitted nor a
    report version not submitted to them (as reports.selectors.visible_reporting_periods)."""
    periods = ReportingPeriod.objects.filter(project=OuterRef("pk")).order_by("-period_end", "-id")
    submitted = periods.exclude(status=ReportingPeriod.Status.DRAFT)
    if submitted_only:
        periods = submitted
    reports = ProgressReport.objects.filter(project=OuterRef("pk")).order_by("-created_at", "-id")
    if submitted_only:
        reports = reports.filter(submitted_in__isnull=False)
    return projects.annotate(
        latest_period_pk=Subquery(periods.values("pk")[:1]),
        latest_period_status=Subquery(periods.values("status")[:1]),
        latest_period_start=Subquery(periods.values("period_start")[:1]),
        latest_period_end=Subquery(periods.values("period_end")[:1]),
        # The next report falls due after the latest period the funder has received.
        latest_submitted_end=Subquery(submitted.values("period_end")[:1]),
        latest_report_version=Subquery(reports.values("version")[:1]),
        latest_report_pk=Subquery(reports.values("pk")[:1]),
        meetings_held_count=_count_of(
            Meeting.objects.filter(starts_at__lte=timezone.now()).exclude(status=Meeting.Status.CANCELLED), "project"
        ),
    )


def next_report_due(project: Project) -> dt.date | None:
    """The end of the quarter after the latest submitted period, cut to the project's end.

    Quarters follow reports/schedule.py (calendar quarters). Without a submitted period the
    first quarter of the project is due. None once the project's last quarter was submitted.
    """
    end = getattr(project, "latest_submitted_end", None)
    quarter = quarter_of(end + dt.timedelta(days=1)) if end else quarter_of(project.start_date)
    if end and end >= project.end_date:
        return None
    return min(quarter.end, project.end_date)


@dataclass
class IndicatorProgress:
    indicator: Indicator
    achieved: Decimal
    # Counts of people: shown to funders through reports/disclosure.py's suppression.
    counts_people: bool


def dashboard_indicators(projects: list[Project]) -> dict[int, list[IndicatorProgress]]:
    """{project id: its indicators with target and achieved to date}; two queries.

    Manual indicators add up the values of submitted periods (never a draft's). Computed
    ones take the project's figures already on the row (with_project_figures and
    with_reporting_status): meetings held, people who attended, deliverables delivered.
    The progress report computes them period by period from the meetings' annex; the
    dashboard shows the running total as the portal records it today.
    """
    if not projects:
        return {}
    by_pk = {project.pk: project for project in projects}
    submitted_sums = dict(
        IndicatorValue.objects.filter(indicator__project_id__in=by_pk)
        .exclude(period__status=ReportingPeriod.Status.DRAFT)
        .order_by()
        .values("indicator")
        .annotate(total=Sum("value"))
        .values_list("indicator", "total")
    )
    people_sources = (IndicatorSource.PARTICIPANTS, IndicatorSource.PARTICIPANTS_BY_SECTOR)
    rows: dict[int, list[IndicatorProgress]] = {}
    for indicator in Indicator.objects.filter(project_id__in=by_pk).order_by("project_id", "kind", "code"):
        project = by_pk[indicator.project_id]
        if indicator.source == IndicatorSource.MEETINGS_HELD:
            achieved = Decimal(project.meetings_held_count)
        elif indicator.source in people_sources:
            achieved = Decimal(project.attended_count)
        elif indicator.source == IndicatorSource.DELIVERABLES_DELIVERED:
            achieved = Decimal(project.deliverables_done)
        else:
            achieved = submitted_sums.get(indicator.pk) or Decimal(0)
        rows.setdefault(indicator.project_id, []).append(
            IndicatorProgress(indicator, achieved, counts_people=indicator.source in people_sources)
        )
    return rows


def dashboard_member_registrations(user: AbstractBaseUser, now: dt.datetime | None = None) -> list[Registration]:
    """The person's active registrations for meetings not ended yet, with their place in line.

    Read on every request (they are the person's own, as events.selectors.visibility's
    own_registrations reads them), from a query built once per process (_registration_rows).
    """
    if not getattr(user, "is_authenticated", False):
        return []
    now = now or timezone.now()
    return list(
        _registration_rows()
        .filter(user=user, status__in=Registration.ACTIVE, meeting__ends_at__gte=now)
        .order_by("meeting__starts_at", "meeting_id")
    )


@functools.cache
def _registration_rows() -> QuerySet[Registration]:
    """Registrations with their place in line and only the columns the dashboard shows and
    its permission checks read (events.permissions.can_view_meeting, can_view_community).

    Built once per process and never evaluated itself (each request filters a copy):
    building the place-in-line subquery costs more than running the query does.
    """
    return with_waitlist_position(
        Registration.objects.select_related(
            "meeting", "meeting__project", "meeting__community", "meeting__community__project"
        ).only(
            "meeting_id",
            "status",
            "meeting__project_id",
            "meeting__community_id",
            "meeting__title",
            "meeting__title_de",
            "meeting__starts_at",
            "meeting__status",
            "meeting__format",
            "meeting__city",
            "meeting__audience",
            "meeting__illustrative_note",
            "meeting__project__slug",
            "meeting__project__acronym",
            "meeting__project__is_public",
            "meeting__community__name",
            "meeting__community__name_de",
            "meeting__community__slug",
            "meeting__community__visibility",
            "meeting__community__project_id",
            "meeting__community__project__is_public",
        )
    )


def active_community_ids(user: AbstractBaseUser) -> list[int]:
    return [
        community_id
        for community_id, (_role, status) in memberships_by_community(user).items()
        if status == Membership.Status.ACTIVE
    ]


def dashboard_community_meetings(
    user: AbstractBaseUser, community_ids: list[int], now: dt.datetime | None = None
) -> dict[int, list[Meeting]]:
    """{community id: its next MEETINGS_SHOWN meetings the person may see, with their fill}; one query."""
    if not community_ids:
        return {}
    now = now or timezone.now()
    rows = list(
        with_fill(visible_meetings(user).filter(_upcoming(now), community_id__in=community_ids)).order_by(
            "starts_at", "id"
        )
    )
    for meeting in rows:
        meeting.fill_percent = fill_percent(meeting)
    return _grouped(rows, "community_id", MEETINGS_SHOWN)


def dashboard_open_meetings(user: AbstractBaseUser, now: dt.datetime | None = None) -> list[Meeting]:
    """Upcoming meetings of the person's communities that take registrations now; one query.

    The same rules as events.services.registrations.registration_closed_reason and
    events.permissions.can_register_for_meeting, as a filter: not cancelled, not begun,
    inside the registration window, and for an audience the person belongs to. The answer
    depends on the person's memberships and roles only (fragments.viewer_key), so the
    dashboard keeps it for everybody with the same; dashboard_open_registrations then
    leaves out the person's own registrations.
    """
    community_ids = active_community_ids(user)
    if not community_ids:
        return []
    now = now or timezone.now()
    insider = project_ids_with_role(user, Role.COORDINATOR, Role.PARTNER_STAFF)
    return list(
        visible_meetings(user)
        .filter(community_id__in=community_ids, starts_at__gt=now)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now))
        .filter(Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gte=now))
        .filter(~Q(audience=Meeting.Audience.PARTNERS) | Q(project_id__in=insider))
        .order_by("starts_at", "id")
    )


def dashboard_open_registrations(open_meetings: list[Meeting], registered_meeting_ids: set[int]) -> list[Meeting]:
    """The open meetings (dashboard_open_meetings) the person has not registered for; no query."""
    return [meeting for meeting in open_meetings if meeting.pk not in registered_meeting_ids]


@dataclass(frozen=True)
class OutboxFigures:
    waiting: int
    dead: int


def outbox_figures() -> OutboxFigures:
    """Messages of the whole portal not delivered yet, and those that failed for good; one query.

    Per portal, not per project: a message holds a task name and the pks its task takes
    (a registration, a membership, a deliverable, a report...), so telling its project
    would mean resolving every kind of pk per task name, a query per kind and knowledge of
    every task's arguments in the outbox's reader.
    """
    waiting = (Message.Status.PENDING, Message.Status.DISPATCHED, Message.Status.RUNNING)
    # Done messages stay in the table; filtering on the status first lets the status indexes skip them.
    figures = Message.objects.filter(status__in=(*waiting, Message.Status.DEAD)).aggregate(
        waiting=Count("pk", filter=Q(status__in=waiting)),
        dead=Count("pk", filter=Q(status=Message.Status.DEAD)),
    )
    return OutboxFigures(waiting=figures["waiting"], dead=figures["dead"])
