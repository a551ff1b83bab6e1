"""What a progress report shows: aggregates of a project's data for one period.

Funders read these reports, and funder officers never see participants' names, so
nothing here carries a person: registrations and memberships are only ever counted.
Organisations (the consortium) are named, as on the public project page.

Every figure is the figure as it stood at the end of the period (midnight after its last
day, in the portal's time zone), whenever the report is generated: deliverables by their
status history, registrations and memberships by their times, the next meetings as they
were known then. So a report regenerated later for the same period says the same.

Everything is read in a handful of queries whatever the size of the project (one per
kind of row, counts grouped in the database), so a large project's report costs its
layout, not its queries. Labels are resolved when the content is gathered, so call
:func:`report_content` inside ``translation.override(report.language)``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django_countries import countries

from events.models import Community, Meeting, Membership, Registration
from events.selectors.statistics import registrations_by_sector
from projects.models import Deliverable, Participation, Project, Update, WorkPackage, months_between
from projects.selectors import ConsortiumFigures, deliverable_statuses_as_of
from projects.timeline import timeline_svg

from .disclosure import Cell, people, people_difference, people_group, people_rate
from .models import ProgressReport
from .plan_content import CountedFacts, Illustrative, PlanContent, plan_content

# The report lists the next meetings after the period; a long tail is counted, not listed.
UPCOMING_LIMIT = 25


@dataclass(frozen=True)
class Cover:
    project_acronym: str
    project_title: str
    programme: str
    programme_name: str
    funder: str
    grant_agreement: str
    project_start: dt.date
    project_end: dt.date
    period_start: dt.date
    period_end: dt.date
    version: int
    language: str
    generated_at: dt.datetime
    eu_funded: bool = False
    illustrative: str = ""
    eu_statement: str = ""


@dataclass(frozen=True)
class StatusSummary:
    project_status: str
    months_total: int
    months_elapsed: int
    deliverables_total: int
    deliverables_delivered: int
    deliverables_late: int
    meetings_held: int
    meetings_cancelled: int
    registered: int
    attended: int
    communities: int
    members: int
    # Counts of people as a funder may see them (reports/disclosure.py), filled by _disclose.
    people: dict[str, Cell] = field(default_factory=dict)


@dataclass(frozen=True)
class PartnerRow:
    name: str
    country: str
    city: str


@dataclass(frozen=True)
class RoleGroup:
    role: str
    partners: list[PartnerRow]


@dataclass(frozen=True)
class CountryCount:
    country: str
    partners: int


@dataclass(frozen=True)
class Consortium:
    partner_count: int
    declared_partners: int | None
    declared_associated_partners: int | None
    roles: list[RoleGroup]
    countries: list[CountryCount]
    figures: ConsortiumFigures | None = None


@dataclass(frozen=True)
class DeliverableRow:
    code: str
    title: str
    work_package: str
    due_date: dt.date
    due_month: str
    status: str
    submitted_on: dt.date | None
    delivered: bool
    late: bool
    delivered_late: bool
    illustrative: str = ""


@dataclass(frozen=True)
class StatusCount:
    status: str
    count: int


@dataclass(frozen=True)
class Deliverables:
    due_in_period: list[DeliverableRow]
    delivered_in_period: list[DeliverableRow]
    overall: list[DeliverableRow]
    late_overall: list[DeliverableRow]
    by_status: list[StatusCount]
    late: int
    timeline: SafeString


@dataclass(frozen=True)
class MeetingRow:
    starts_at: dt.datetime
    title: str
    kind: str
    community: str
    place: str
    format: str
    status: str
    cancelled: bool
    held: bool
    in_period: bool
    registered: int
    waitlisted: int
    attended: int
    reported_attendance: int | None
    illustrative: str = ""
    people: dict[str, Cell] = field(default_factory=dict)


@dataclass(frozen=True)
class Figures:
    """Registrations of one sector or community: confirmed, waitlisted, attended, no-shows."""

    label: str
    meetings: int
    registered: int
    waitlisted: int
    attended: int
    people: dict[str, Cell] = field(default_factory=dict)

    @property
    def no_show(self) -> int:
        return max(self.registered - self.attended, 0)

    @property
    def attendance_rate(self) -> int | None:
        return round(100 * self.attended / self.registered) if self.registered else None


@dataclass(frozen=True)
class MeetingsInPeriod:
    held: list[MeetingRow]
    cancelled: int
    totals: Figures
    # Meetings held before registration moved into the portal: the organisers' own count.
    reported_meetings: int
    reported_attendance: int
    by_sector: list[Figures]
    by_community: list[Figures]


@dataclass(frozen=True)
class CommunityActivity:
    name: str
    territory: str
    country: str
    members: int
    new_members: int
    meetings: int
    registered: int
    attended: int
    people: dict[str, Cell] = field(default_factory=dict)

    @property
    def attendance_rate(self) -> int | None:
        return round(100 * self.attended / self.registered) if self.registered else None


@dataclass(frozen=True)
class UpdateRow:
    published_on: dt.date
    kind: str
    title: str
    source: str
    illustrative: str = ""


@dataclass(frozen=True)
class ReportContent:
    cover: Cover
    summary: StatusSummary
    consortium: Consortium
    deliverables: Deliverables
    meetings: MeetingsInPeriod
    communities: list[CommunityActivity]
    upcoming: list[MeetingRow]
    upcoming_more: int
    annex: list[MeetingRow] = field(default_factory=list)
    # The last day of the next period, whose meetings "upcoming" lists.
    upcoming_until: dt.date | None = None
    plan: PlanContent | None = None
    # Not yet delivered and due in the next period (up to upcoming_until), as known at the period's end.
    upcoming_deliverables: list[DeliverableRow] = field(default_factory=list)
    # Dissemination: the project's public news and press mentions published in the period.
    dissemination: list[UpdateRow] = field(default_factory=list)
    # Every record with invented values the report shows, for the legend of the dagger marks.
    illustrative: list[Illustrative] = field(default_factory=list)
    people: dict[str, Cell] = field(default_factory=dict)


# The EU's own wording of the funding statement (EU visibility rules). Until the German
# catalogue translates the msgid, German reports still carry the EU's German wording.
EU_STATEMENT_OFFICIAL = {"de": "Kofinanziert von der Europäischen Union"}


def eu_funding_statement() -> str:
    """'Co-funded by the European Union' in the active language, in the EU's wording."""
    english = "Co-funded by the European Union"
    text = gettext("Co-funded by the European Union")
    language = (get_language() or "en")[:2]
    if text == english and language in EU_STATEMENT_OFFICIAL:
        return EU_STATEMENT_OFFICIAL[language]
    return text


def _day_start(day: dt.date) -> dt.datetime:
    # The portal's zone, not the request's: the same period ends at the same instant for every reader.
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def _country_name(code: str) -> str:
    return str(countries.name(code)) if code else ""


def _next_period_end(start: dt.date, end: dt.date) -> dt.date:
    """The last day of the period after ``start``–``end``, as long as it: whole months for a
    period of whole months (a quarter is followed by a quarter), otherwise as many days."""
    day_after = end + dt.timedelta(days=1)
    if start.day == 1 and day_after.day == 1:
        months = months_between(start, end)
        month = day_after.month - 1 + months
        return dt.date(day_after.year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return end + (day_after - start)


def _consortium(project: Project) -> Consortium:
    participations = list(
        Participation.objects.filter(project=project)
        .select_related("organisation")
        .order_by("role", "organisation__name")
    )
    by_role: dict[str, list[PartnerRow]] = defaultdict(list)
    by_country: Counter[str] = Counter()
    for participation in participations:
        organisation = participation.organisation
        country = _country_name(organisation.country.code)
        by_role[participation.role].append(PartnerRow(organisation.name, country, organisation.city))
        by_country[country] += 1
    # The roles in the order the model declares them: coordinator first.
    roles = [RoleGroup(str(label), by_role[value]) for value, label in Participation.Role.choices if by_role.get(value)]
    return Consortium(
        partner_count=sum(by_country.values()),
        declared_partners=project.declared_partners,
        declared_associated_partners=project.declared_associated_partners,
        roles=roles,
        countries=[
            CountryCount(name, n) for name, n in sorted(by_country.items(), key=lambda item: (-item[1], item[0]))
        ],
        figures=ConsortiumFigures.from_participations(project, participations),
    )


def _deliverable_row(deliverable: Deliverable, project: Project, today: dt.date) -> DeliverableRow:
    """``deliverable`` carries its status as of the report (see _deliverables)."""
    delivered = deliverable.is_delivered
    return DeliverableRow(
        code=deliverable.code,
        title=deliverable.display_title,
        work_package=f"WP{deliverable.work_package.number}" if deliverable.work_package else "",
        due_date=deliverable.due_date,
        due_month=project.month_label(deliverable.due_date),
        status=str(deliverable.get_status_display()),
        submitted_on=deliverable.submitted_on,
        delivered=delivered,
        late=deliverable.is_late_on(today),
        delivered_late=bool(delivered and deliverable.submitted_on and deliverable.submitted_on > deliverable.due_date),
        illustrative=deliverable.illustrative_note,
    )


def _deliverables(project: Project, start: dt.date, end: dt.date, as_of: dt.datetime) -> Deliverables:
    """The deliverables as they stood at ``as_of`` (the end of the period).

    Each row read is given its status of then (and loses a submission date it did not yet
    have), so "delivered", "late" and the timeline are judged at that moment.
    """
    work_packages = list(WorkPackage.objects.filter(project=project).order_by("number"))
    deliverables = list(
        Deliverable.objects.filter(project=project).select_related("work_package").order_by("due_date", "code")
    )
    statuses = deliverable_statuses_as_of(deliverables, as_of)
    for deliverable in deliverables:
        deliverable.project = project  # month labels without a query per row
        deliverable.status = statuses[deliverable.pk]  # in memory only: never saved
        if not deliverable.is_delivered:
            deliverable.submitted_on = None
    # Late: due before the day of ``as_of`` (by the period's last day) and not delivered by then.
    today = timezone.localtime(as_of, timezone.get_default_timezone()).date()
    rows = [_deliverable_row(d, project, today) for d in deliverables]
    counts = Counter(d.status for d in deliverables)
    return Deliverables(
        due_in_period=[row for row in rows if start <= row.due_date <= end],
        delivered_in_period=[row for row in rows if row.submitted_on and start <= row.submitted_on <= end],
        overall=rows,
        late_overall=[row for row in rows if row.late],
        by_status=[StatusCount(str(label), counts.get(value, 0)) for value, label in Deliverable.Status.choices],
        late=sum(1 for row in rows if row.late),
        # The line marks the end of the period: the report shows the project as it stood then.
        timeline=timeline_svg(
            project, work_packages, deliverables, today, id_prefix="report-timeline", today_label=gettext("period end")
        ),
    )


def _registration_counts(project: Project, as_of: dt.datetime) -> dict[int, dict[str, Counter[str]]]:
    """{meeting id: {sector: Counter(confirmed=…, waitlisted=…, attended=…)}} in one grouped query.

    Counted by events' registrations_by_sector as they stood just before ``as_of``; a
    sector with only cancelled registrations is left out.
    """
    return {
        meeting_id: {
            row.sector: Counter(confirmed=row.confirmed, waitlisted=row.waitlisted, attended=row.attended)
            for row in rows
            if row.registered
        }
        for meeting_id, rows in registrations_by_sector(project=project, as_of=as_of).items()
    }


def _meeting_labels() -> dict[str, dict[str, str]]:
    """The labels of kind, format and status in the active language, looked up once per report:
    get_<field>_display per row costs a lazy translation each, a second for 2,800 meetings."""
    return {
        "kind": {value: str(label) for value, label in Meeting.Kind.choices},
        "format": {value: str(label) for value, label in Meeting.Format.choices},
        "status": {value: str(label) for value, label in Meeting.Status.choices},
    }


def _meeting_row(
    meeting: Meeting,
    counts: dict[str, Counter[str]],
    now: dt.datetime,
    period: tuple[dt.datetime, dt.datetime],
    labels: dict[str, dict[str, str]] | None = None,
) -> MeetingRow:
    labels = labels or _meeting_labels()
    total: Counter[str] = Counter()
    for sector_counts in counts.values():
        total.update(sector_counts)
    place = ", ".join(part for part in (meeting.city, _country_name(meeting.country.code)) if part)
    cancelled = meeting.status == Meeting.Status.CANCELLED
    return MeetingRow(
        starts_at=meeting.starts_at,
        title=meeting.display_title,
        kind=labels["kind"].get(meeting.kind, meeting.kind),
        community=meeting.community.display_name if meeting.community else "",
        place=place,
        format=labels["format"].get(meeting.format, meeting.format),
        status=labels["status"].get(meeting.status, meeting.status),
        cancelled=cancelled,
        held=not cancelled and meeting.starts_at <= now,
        in_period=period[0] <= meeting.starts_at < period[1],
        registered=total[Registration.Status.CONFIRMED],
        waitlisted=total[Registration.Status.WAITLISTED],
        attended=total["attended"],
        reported_attendance=meeting.reported_attendance,
        illustrative=meeting.illustrative_note,
    )


def _figures(label: str, meetings: int, counters: list[Counter[str]]) -> Figures:
    total: Counter[str] = Counter()
    for counter in counters:
        total.update(counter)
    return Figures(
        label=label,
        meetings=meetings,
        registered=total[Registration.Status.CONFIRMED],
        waitlisted=total[Registration.Status.WAITLISTED],
        attended=total["attended"],
    )


def _memberships(project: Project, start: dt.datetime, end: dt.datetime) -> dict[int, tuple[int, int]]:
    """{community id: (members at the end of the period, joined during it)}, one grouped query.

    A member at the end of the period joined before it ended and had not left by then;
    people who left later still count, because they were members at the time.
    """
    joined = Q(status__in=[Membership.Status.ACTIVE, Membership.Status.LEFT], joined_at__lt=end)
    rows = (
        Membership.objects.filter(community__project=project)
        .values("community_id")
        .annotate(
            members=Count("id", filter=joined & (Q(left_at__isnull=True) | Q(left_at__gte=end))),
            new=Count("id", filter=joined & Q(joined_at__gte=start)),
        )
        .order_by()
    )
    return {row["community_id"]: (row["members"], row["new"]) for row in rows}


def report_content(*, report: ProgressReport, generated_at: dt.datetime) -> ReportContent:
    """Gather everything the report shows for ``report``'s project and period."""
    project = Project.objects.select_related("programme", "programme__funder").get(pk=report.project_id)
    start, end = report.period_start, report.period_end
    start_at, end_at = _day_start(start), _day_start(end + dt.timedelta(days=1))
    today = timezone.localdate(generated_at)
    # The moment every figure is taken at: the end of the period, or now for a period not over yet.
    as_of = min(end_at, generated_at)

    consortium = _consortium(project)
    deliverables = _deliverables(project, start, end, as_of)

    counts = _registration_counts(project, as_of)
    # What had happened by then (whenever it was recorded), and what was planned after it as known then.
    meetings = list(
        Meeting.objects.filter(project=project)
        .filter(Q(starts_at__lt=as_of) | Q(created_at__lt=as_of))
        .select_related("community")
        .order_by("starts_at", "id")
    )
    labels = _meeting_labels()
    annex = [_meeting_row(m, counts.get(m.pk, {}), as_of, (start_at, end_at), labels) for m in meetings]
    in_period = [(m, row) for m, row in zip(meetings, annex, strict=False) if row.in_period]
    held = [(m, row) for m, row in in_period if row.held]

    sector_counters: dict[str, list[Counter[str]]] = defaultdict(list)
    sector_meetings: Counter[str] = Counter()
    community_counters: dict[int | None, list[Counter[str]]] = defaultdict(list)
    community_meetings: Counter[int | None] = Counter()
    for meeting, _row in held:
        community_meetings[meeting.community_id] += 1
        for sector, counter in counts.get(meeting.pk, {}).items():
            sector_counters[sector].append(counter)
            sector_meetings[sector] += 1
            community_counters[meeting.community_id].append(counter)
    by_sector = [
        _figures(str(label), sector_meetings[value], sector_counters[value])
        for value, label in Registration.Sector.choices
        if value in sector_counters
    ]
    memberships = _memberships(project, start_at, as_of)
    # A community recorded later still counts when it had members or meetings by then.
    communities = [
        c
        for c in Community.objects.filter(project=project).order_by("name")
        if c.created_at < as_of or memberships.get(c.pk, (0, 0))[0] or community_meetings[c.pk]
    ]
    by_community = [
        _figures(c.display_name, community_meetings[c.pk], community_counters.get(c.pk, []))
        for c in communities
        if community_meetings[c.pk]
    ]
    if community_meetings[None]:
        by_community.append(
            _figures(
                gettext("Project meetings (no community)"), community_meetings[None], community_counters.get(None, [])
            )
        )
    totals = _figures("", len(held), [c for m, _row in held for c in counts.get(m.pk, {}).values()])

    reported = [row.reported_attendance for _m, row in held if row.reported_attendance and not row.attended]
    activity = []
    for community in communities:
        members, new = memberships.get(community.pk, (0, 0))
        figures = _figures(
            community.display_name, community_meetings[community.pk], community_counters.get(community.pk, [])
        )
        activity.append(
            CommunityActivity(
                name=community.display_name,
                territory=community.territory,
                country=_country_name(community.country.code),
                members=members,
                new_members=new,
                meetings=figures.meetings,
                registered=figures.registered,
                attended=figures.attended,
            )
        )

    # Upcoming: the next period's plan (a period as long as this one) as it was known at its
    # end; what happened since belongs to the reports of later periods.
    upcoming_until = _next_period_end(start, end)
    upcoming_all = [
        row
        for m, row in zip(meetings, annex, strict=False)
        if as_of <= m.starts_at < _day_start(upcoming_until + dt.timedelta(days=1)) and not row.cancelled
    ]
    summary = StatusSummary(
        project_status=str(Project.Status(project.status_on(min(end, today))).label),
        months_total=project.duration_months,
        months_elapsed=min(
            max(months_between(project.start_date, min(end, project.end_date)), 0), project.duration_months
        ),
        deliverables_total=len(deliverables.overall),
        deliverables_delivered=sum(1 for row in deliverables.overall if row.delivered),
        deliverables_late=deliverables.late,
        meetings_held=len(held),
        meetings_cancelled=sum(1 for _m, row in in_period if row.cancelled),
        registered=totals.registered,
        attended=totals.attended,
        communities=len(communities),
        members=sum(memberships.get(c.pk, (0, 0))[0] for c in communities),
    )
    cover = Cover(
        project_acronym=project.acronym,
        project_title=str(project.display_title),
        programme=project.programme.short_name,
        programme_name=project.programme.name,
        funder=project.programme.funder.name,
        grant_agreement=project.grant_agreement,
        project_start=project.start_date,
        project_end=project.end_date,
        eu_funded=project.programme.eu_funded,
        illustrative=project.illustrative_note,
        eu_statement=eu_funding_statement() if project.programme.eu_funded else "",
        period_start=start,
        period_end=end,
        version=report.version,
        language=report.language,
        generated_at=generated_at,
    )
    plan = plan_content(
        project=project,
        start=start,
        end=end,
        facts=_counted_facts(held, annex, meetings, counts, deliverables, summary),
    )
    dissemination = [
        UpdateRow(
            published_on=update.published_on,
            kind=str(update.get_kind_display()),
            title=str(update.display_title),
            source=update.source,
            illustrative=update.illustrative_note,
        )
        for update in Update.objects.filter(
            project=project, is_public=True, published_on__gte=start, published_on__lte=end
        ).order_by("published_on", "id")
    ]
    content = ReportContent(
        cover=cover,
        summary=summary,
        consortium=consortium,
        deliverables=deliverables,
        meetings=MeetingsInPeriod(
            held=[row for _m, row in held],
            cancelled=summary.meetings_cancelled,
            totals=totals,
            reported_meetings=len(reported),
            reported_attendance=sum(reported),
            by_sector=by_sector,
            by_community=by_community,
        ),
        communities=activity,
        upcoming=upcoming_all[:UPCOMING_LIMIT],
        upcoming_more=max(len(upcoming_all) - UPCOMING_LIMIT, 0),
        annex=annex,
        upcoming_until=upcoming_until,
        plan=plan,
        dissemination=dissemination,
        upcoming_deliverables=[
            row for row in deliverables.overall if not row.delivered and end < row.due_date <= upcoming_until
        ],
    )
    content.illustrative.extend(_illustrative(project, content))
    _disclose(content)
    return content


def _participants(row: MeetingRow) -> int:
    # As the meeting figures show them: people checked in, else the organisers' reported count.
    return row.attended or (row.reported_attendance or 0)


def _counted_facts(
    held: list[tuple[Meeting, MeetingRow]],
    annex: list[MeetingRow],
    meetings: list[Meeting],
    counts: dict[int, dict[str, Counter[str]]],
    deliverables: Deliverables,
    summary: StatusSummary,
) -> CountedFacts:
    """The computed indicators' values, from what report_content has already read."""
    held_ids = {meeting.pk for meeting, _row in held}
    by_sector: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for meeting, row in zip(meetings, annex, strict=False):
        if not row.held:
            continue
        for sector, counter in counts.get(meeting.pk, {}).items():
            if meeting.pk in held_ids:
                by_sector[sector][0] += counter["attended"]
            by_sector[sector][1] += counter["attended"]
    return CountedFacts(
        meetings_in_period=len(held),
        meetings_cumulative=sum(1 for row in annex if row.held),
        participants_in_period=sum(_participants(row) for _m, row in held),
        participants_cumulative=sum(_participants(row) for row in annex if row.held),
        participants_by_sector={sector: (values[0], values[1]) for sector, values in by_sector.items()},
        deliverables_in_period=len(deliverables.delivered_in_period),
        deliverables_cumulative=summary.deliverables_delivered,
    )


def _illustrative(project: Project, content: ReportContent) -> list[Illustrative]:
    """The legend of the dagger marks: every shown record whose values are partly invented."""
    notes = []
    if project.illustrative_note:
        notes.append(Illustrative(project.acronym, project.illustrative_note))
    plan = content.plan
    if plan:
        notes += [
            Illustrative(f"{n.work_package} {n.title}", n.illustrative) for n in plan.narratives if n.illustrative
        ]
        notes += [Illustrative(i.code, i.illustrative) for i in plan.indicators if i.illustrative]
        notes += [
            Illustrative(f"{row.partner} · {row.category}", row.illustrative)
            for row in plan.budget.rows
            if row.illustrative
        ]
    notes += [
        Illustrative(f"{d.code} {d.title}", d.illustrative) for d in content.deliverables.overall if d.illustrative
    ]
    notes += [
        Illustrative(f"{m.starts_at:%Y-%m-%d} {m.title}", m.illustrative) for m in content.annex if m.illustrative
    ]
    notes += [Illustrative(u.title, u.illustrative) for u in content.dissemination if u.illustrative]
    return notes


def _disclose_figures(rows: list[Figures], totals: Figures | None) -> None:
    """Fill ``people`` of each row: every column suppressed as a group whose total is shown."""
    columns = ("registered", "waitlisted", "attended")
    for column in columns:
        cells = people_group({index: getattr(row, column) for index, row in enumerate(rows)}, total_shown=True)
        for index, row in enumerate(rows):
            row.people[column] = cells[index]
    for row in [*rows, *([totals] if totals else [])]:
        for column in columns:
            row.people.setdefault(column, people(getattr(row, column)))
        row.people["no_show"] = people_difference(row.people["registered"], row.people["attended"])
        rate = people_rate(row.people["attended"], row.people["registered"])
        row.people["rate"] = rate  # type: ignore[assignment]  # an int or None, like attendance_rate


def _disclose(content: ReportContent) -> None:
    """Fill the ``people`` cells: every count of people as a funder may see it (reports/disclosure.py).

    The PDF shows these cells, never the raw counts. Groups whose totals the report also
    shows are suppressed together (secondary suppression), the rest cell by cell.
    """
    summary, meetings = content.summary, content.meetings
    summary.people.update(
        registered=people(summary.registered), attended=people(summary.attended), members=people(summary.members)
    )
    _disclose_figures(meetings.by_sector, meetings.totals)
    _disclose_figures(meetings.by_community, None)
    content.people["reported_attendance"] = people(meetings.reported_attendance)
    # The meetings held in the period add up to the period's totals: one group per column.
    held = meetings.held
    for column in ("registered", "attended"):
        cells = people_group({index: getattr(row, column) for index, row in enumerate(held)})
        for index, row in enumerate(held):
            row.people[column] = cells[index]
    for row in [*content.annex, *content.upcoming]:
        for column in ("registered", "waitlisted", "attended"):
            row.people.setdefault(column, people(getattr(row, column)))
        row.people.setdefault("reported_attendance", people(row.reported_attendance or 0))
    # Communities: members add up to the summary's members, registrations to the period's.
    for column in ("members", "new_members", "registered", "attended"):
        cells = people_group(
            {index: getattr(row, column) for index, row in enumerate(content.communities)},
            total_shown=column != "new_members",
        )
        for index, row in enumerate(content.communities):
            row.people[column] = cells[index]
    for row in content.communities:
        row.people["rate"] = people_rate(row.people["attended"], row.people["registered"])  # type: ignore[assignment]
    if content.plan:
        for indicator in content.plan.indicators:
            if not indicator.counts_people:
                continue
            indicator.people["in_period"] = people(int(indicator.in_period or 0))
            indicator.people["cumulative"] = people(int(indicator.cumulative))
            for column in ("in_period", "cumulative"):
                cells = people_group({index: getattr(b, column) for index, b in enumerate(indicator.breakdown)})
                for index, breakdown in enumerate(indicator.breakdown):
                    breakdown.people[column] = cells[index]
