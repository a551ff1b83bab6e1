"""Statistics: meeting figures by sector and status, community members over time and
attendance rate, all counted by the database."""

from __future__ import annotations

import datetime as dt

import pytest

from events.models import Meeting, Membership, Registration
from events.selectors.statistics import (
    community_attendance,
    community_members_over_time,
    community_past_meetings,
    meeting_statistics,
    registrations_by_sector,
)
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectFactory,
    RegistrationFactory,
    aware,
)

pytestmark = pytest.mark.django_db
Sector = Registration.Sector


def test_meeting_statistics_count_by_sector_and_status(django_assert_num_queries):
    meeting = MeetingFactory(starts_at=aware(2025, 5, 14, 10))
    RegistrationFactory.create_batch(3, meeting=meeting, sector=Sector.PUBLIC, checked_in=True)
    RegistrationFactory(meeting=meeting, sector=Sector.PUBLIC)
    RegistrationFactory.create_batch(2, meeting=meeting, sector=Sector.ARTS, checked_in=True)
    RegistrationFactory(meeting=meeting, sector=Sector.ARTS, waitlisted=True)
    RegistrationFactory(meeting=meeting, sector=Sector.PRIVATE, cancelled=True)
    RegistrationFactory(meeting=MeetingFactory(), sector=Sector.PUBLIC)  # another meeting
    with django_assert_num_queries(1):
        stats = meeting_statistics(meeting, now=aware(2025, 5, 15))
    total = stats.total
    assert (total.confirmed, total.waitlisted, total.cancelled, total.attended) == (6, 1, 1, 5)
    assert total.registered == 7
    assert total.no_show == 1
    assert stats.has_begun
    by_sector = {row.sector: row for row in stats.by_sector}
    assert list(by_sector) == [Sector.PUBLIC, Sector.PRIVATE, Sector.ARTS]  # the choices' order
    assert (
        by_sector[Sector.PUBLIC].confirmed,
        by_sector[Sector.PUBLIC].attended,
        by_sector[Sector.PUBLIC].no_show,
    ) == (4, 3, 1)
    assert (
        by_sector[Sector.ARTS].registered,
        by_sector[Sector.ARTS].waitlisted,
        by_sector[Sector.ARTS].no_show,
    ) == (3, 1, 0)
    assert by_sector[Sector.PRIVATE].cancelled == 1 and by_sector[Sector.PRIVATE].registered == 0


def test_registrations_by_sector_counts_each_meeting_of_the_project_in_one_query(django_assert_num_queries):
    project = ProjectFactory()
    first, second, empty = MeetingFactory.create_batch(3, project=project)
    RegistrationFactory.create_batch(2, meeting=first, sector=Sector.ARTS, checked_in=True)
    RegistrationFactory(meeting=first, sector=Sector.PUBLIC, waitlisted=True)
    RegistrationFactory(meeting=second, sector=Sector.PRIVATE, cancelled=True)
    RegistrationFactory(meeting=MeetingFactory(), sector=Sector.ARTS)  # another project
    with django_assert_num_queries(1):
        counts = registrations_by_sector(project=project)
    assert set(counts) == {first.pk, second.pk}  # nobody registered for ``empty``
    assert [(row.sector, row.confirmed, row.waitlisted, row.attended) for row in counts[first.pk]] == [
        (Sector.PUBLIC, 0, 1, 0),
        (Sector.ARTS, 2, 0, 2),
    ]
    assert [(row.sector, row.cancelled, row.registered) for row in counts[second.pk]] == [(Sector.PRIVATE, 1, 0)]
    # One meeting alone gives the same figures as the project's count.
    assert registrations_by_sector(meeting=first) == {first.pk: counts[first.pk]}


def test_no_shows_mean_something_only_once_the_meeting_began():
    meeting = MeetingFactory(starts_at=aware(2025, 5, 14, 10))
    assert not meeting_statistics(meeting, now=aware(2025, 5, 1)).has_begun
    assert meeting_statistics(meeting).total.attendance_rate is None


def test_members_over_time_count_month_ends(django_assert_num_queries):
    community = CommunityFactory()
    MembershipFactory(community=community, joined_at=aware(2025, 1, 10))
    MembershipFactory(community=community, joined_at=aware(2025, 2, 3))
    MembershipFactory(
        community=community,
        joined_at=aware(2025, 2, 20),
        status=Membership.Status.LEFT,
        left_at=aware(2025, 3, 15),
    )
    MembershipFactory(community=community, pending=True)  # never joined: never counts
    MembershipFactory(joined_at=aware(2025, 2, 1))  # another community
    with django_assert_num_queries(1):
        months = community_members_over_time(community, months=4, until=dt.date(2025, 4, 30))
    assert [m.month for m in months] == [
        dt.date(2025, 1, 1),
        dt.date(2025, 2, 1),
        dt.date(2025, 3, 1),
        dt.date(2025, 4, 1),
    ]
    assert [m.active for m in months] == [1, 3, 2, 2]
    assert [m.joined for m in months] == [1, 2, 0, 0]
    assert [m.left for m in months] == [0, 0, 1, 0]


def test_months_run_across_the_new_year():
    months = community_members_over_time(CommunityFactory(), months=3, until=dt.date(2026, 1, 5))
    assert [m.month for m in months] == [dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1)]


def test_attendance_rate_over_past_meetings_only(django_assert_num_queries):
    community = CommunityFactory()
    now = aware(2025, 7, 1)
    held = MeetingFactory(project=community.project, community=community, starts_at=aware(2025, 5, 14, 10))
    RegistrationFactory.create_batch(3, meeting=held, checked_in=True)
    RegistrationFactory(meeting=held)
    RegistrationFactory(meeting=held, waitlisted=True)  # never had a seat: not in the rate
    second = MeetingFactory(project=community.project, community=community, starts_at=aware(2025, 6, 4, 10))
    RegistrationFactory(meeting=second, checked_in=True)
    RegistrationFactory.create_batch(3, meeting=second)
    upcoming = MeetingFactory(project=community.project, community=community, starts_at=aware(2025, 9, 1, 10))
    RegistrationFactory.create_batch(5, meeting=upcoming)
    called_off = MeetingFactory(
        project=community.project,
        community=community,
        starts_at=aware(2025, 4, 1, 10),
        status=Meeting.Status.CANCELLED,
    )
    RegistrationFactory(meeting=called_off)
    with django_assert_num_queries(1):
        tally = community_attendance(community, now=now)
    assert (tally.confirmed, tally.attended) == (8, 4)
    assert tally.attendance_rate == 0.5
    with django_assert_num_queries(1):
        past = list(community_past_meetings(community, now=now))
    assert [(m.pk, m.confirmed_count, m.attended_count) for m in past] == [(second.pk, 4, 1), (held.pk, 4, 3)]
