"""Figures about meetings and communities: counts only, never who.

Every figure is counted by the database (COUNT with FILTER, grouped), so a meeting with
five hundred registrations or a community with ten years of members costs the same one
or two queries as a small one. Callers check the permission; these functions only count.

Words used throughout:

- *confirmed*: holds a seat now; *waitlisted*: in line for one; *registered*: both.
- *attended*: checked in (only a confirmed registration can be).
- *no-show*: confirmed but not checked in; it means something only once the meeting began.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from projects.models import Project

from ..models import Community, Meeting, Membership, Registration

Status = Registration.Status
_CHECKED_IN = Q(checked_in_at__isnull=False)
_COUNTED = ("confirmed", "waitlisted", "cancelled", "attended")


@dataclass(frozen=True)
class Tally:
    confirmed: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    attended: int = 0

    @property
    def registered(self) -> int:
        return self.confirmed + self.waitlisted

    @property
    def no_show(self) -> int:
        return self.confirmed - self.attended

    @property
    def attendance_rate(self) -> float | None:
        """Attended per confirmed, 0–1; None when nobody was confirmed."""
        return self.attended / self.confirmed if self.confirmed else None

    @classmethod
    def sum_of(cls, tallies: Iterable[Tally]) -> Tally:
        tallies = list(tallies)
        return Tally(**{key: sum(getattr(tally, key) for tally in tallies) for key in _COUNTED})


@dataclass(frozen=True)
class SectorTally(Tally):
    sector: str = ""
    label: str = ""


def registrations_by_sector(
    *, project: Project | None = None, meeting: Meeting | None = None, as_of: dt.datetime | None = None
) -> dict[int, list[SectorTally]]:
    """{meeting id: [SectorTally, …]}: the registrations of the project's meetings (or of one
    meeting) counted by sector and status, in the order of Registration.Sector.

    The one place registrations are counted by sector: the attendance page, the workspace's
    project page and the progress report all read these figures. One query, grouped by
    meeting, sector and status; a sector nobody registered from is left out, a meeting
    nobody registered for has no entry.

    ``as_of`` counts the registrations as they stood just before that moment (a progress
    report passes the end of its period): made before it, cancelled only if cancelled
    before it, attended only if checked in before it. A registration cancelled later held
    its place then and is counted as confirmed (a later move off the waitlist is not
    recorded, so a place then is read as a seat).
    """
    registrations = Registration.objects.all()
    if project is not None:
        registrations = registrations.filter(meeting__project=project)
    if meeting is not None:
        registrations = registrations.filter(meeting=meeting)
    status: Any = F("status")
    checked_in = _CHECKED_IN
    if as_of is not None:
        registrations = registrations.filter(created_at__lt=as_of)
        status = Case(
            When(cancelled_at__lt=as_of, then=Value(Status.CANCELLED)),
            When(status=Status.CANCELLED, then=Value(Status.CONFIRMED)),
            default=F("status"),
            output_field=CharField(),
        )
        checked_in = Q(checked_in_at__lt=as_of)
    rows = (
        registrations.order_by()
        .annotate(status_then=status)
        .values_list("meeting_id", "sector", "status_then")
        .annotate(n=Count("pk"), attended=Count("pk", filter=checked_in))
    )
    cells: dict[int, dict[str, dict[str, int]]] = {}
    for meeting_id, sector, status, n, attended in rows:  # at most meetings × sectors × statuses rows
        cell = cells.setdefault(meeting_id, {}).setdefault(sector, dict.fromkeys(_COUNTED, 0))
        cell[status] = cell.get(status, 0) + n
        cell["attended"] += attended
    return {
        meeting_id: [
            SectorTally(sector=sector, label=str(label), **by_sector[sector])
            for sector, label in Registration.Sector.choices
            if sector in by_sector
        ]
        for meeting_id, by_sector in cells.items()
    }


@dataclass(frozen=True)
class MeetingStatistics:
    meeting: Meeting
    total: Tally
    by_sector: list[SectorTally]
    # No-shows are counted once the meeting has begun; before, nobody has missed it yet.
    has_begun: bool


def meeting_statistics(meeting: Meeting, *, now: dt.datetime | None = None) -> MeetingStatistics:
    """Confirmed, waitlisted, cancelled and attended registrations of one meeting, by sector.

    One query: the registrations grouped by sector and status (registrations_by_sector).
    """
    by_sector = registrations_by_sector(meeting=meeting).get(meeting.pk, [])
    return MeetingStatistics(
        meeting=meeting,
        total=Tally.sum_of(by_sector),
        by_sector=by_sector,
        has_begun=(now or timezone.now()) >= meeting.starts_at,
    )


# --- Communities -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthMembers:
    month: dt.date  # the first day of the month
    active: int  # members at the end of the month
    joined: int  # joined during the month
    left: int  # left during the month


def _month_starts(last: dt.date, months: int) -> list[dt.date]:
    index = last.year * 12 + last.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def community_members_over_time(
    community: Community, *, months: int = 12, until: dt.date | None = None
) -> list[MonthMembers]:
    """Members per month for the ``months`` months up to the one holding ``until`` (today).

    A person counts as a member at the end of a month if they had joined by then and not
    left yet; pending, declined and never-joined rows have no join date and never count.
    One query: a filtered COUNT per month and measure.
    """
    starts = _month_starts(until or timezone.localdate(), months)
    zone = timezone.get_current_timezone()
    bounds = []
    aggregates = {}
    for i, start in enumerate(starts):
        begin = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(_next_month(start), dt.time.min, tzinfo=zone)
        bounds.append(start)
        joined_by_end = Q(joined_at__lt=end)
        aggregates[f"active_{i}"] = Count("pk", filter=joined_by_end & (Q(left_at__isnull=True) | Q(left_at__gte=end)))
        aggregates[f"joined_{i}"] = Count("pk", filter=Q(joined_at__gte=begin, joined_at__lt=end))
        aggregates[f"left_{i}"] = Count("pk", filter=Q(joined_at__isnull=False, left_at__gte=begin, left_at__lt=end))
    counts = Membership.objects.filter(community=community, joined_at__isnull=False).aggregate(**aggregates)
    return [
        MonthMembers(month=start, active=counts[f"active_{i}"], joined=counts[f"joined_{i}"], left=counts[f"left_{i}"])
        for i, start in enumerate(bounds)
    ]


def community_past_meetings(community: Community, *, now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """The community's meetings that have ended (not cancelled), newest first, with
    ``confirmed_count`` and ``attended_count``. One query."""
    return (
        Meeting.objects.filter(community=community, ends_at__lt=now or timezone.now(), status=Meeting.Status.SCHEDULED)
        .annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)),
            attended_count=Count(
                "registrations",
                filter=Q(registrations__status=Status.CONFIRMED, registrations__checked_in_at__isnull=False),
            ),
        )
        .order_by("-starts_at", "-id")
    )


def community_attendance(community: Community, *, now: dt.datetime | None = None) -> Tally:
    """Confirmed and attended over all the community's past meetings: the attendance rate.

    Only meetings that have ended and were not cancelled count, so a meeting tomorrow
    does not pull the rate down with people who simply have not come yet. One query.
    """
    counts = Registration.objects.filter(
        meeting__community=community,
        meeting__ends_at__lt=now or timezone.now(),
        meeting__status=Meeting.Status.SCHEDULED,
        status=Status.CONFIRMED,
    ).aggregate(confirmed=Count("pk"), attended=Count("pk", filter=_CHECKED_IN))
    return Tally(confirmed=counts["confirmed"], attended=counts["attended"])


# --- Needs of a meeting's participants ------------------------------------------------------


@dataclass(frozen=True)
class MeetingNeeds:
    """How many confirmed participants stated access needs, and how many need each interpretation
    language: counts without names, for the people running the meeting (the needs may be health data)."""

    access_needs: int
    languages: list[tuple[str, int]]  # (ISO 639-3 code, count), the most needed first


def meeting_needs(meeting: Meeting) -> MeetingNeeds:
    """Counts of access needs and interpretation languages among the confirmed seats. One query."""
    rows = (
        Registration.objects.filter(meeting=meeting, status=Registration.Status.CONFIRMED)
        .exclude(access_needs="", interpretation_language="")
        .values_list("access_needs", "interpretation_language")
    )
    access_needs = 0
    languages: dict[str, int] = {}
    for needs, language in rows:
        access_needs += bool(needs.strip())
        if language:
            languages[language] = languages.get(language, 0) + 1
    return MeetingNeeds(
        access_needs=access_needs, languages=sorted(languages.items(), key=lambda item: (-item[1], item[0]))
    )
