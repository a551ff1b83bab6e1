"""The dashboard with its fragments on (portal/fragments.py): kept parts stay true and private.

The rest of the suite runs with fragments off. Here they are on: the project cards and the
communities' meetings are kept per visibility, the person's own registrations and
memberships are read on every request. The tests commit for real (no test transaction
around them): the data versions move once a write commits.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Community, Meeting
from projects.models import ProjectRole
from reports.models import ReportingPeriod
from reports.services.workflow import reporting_period_submit
from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    MeetingFactory,
    MembershipFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    ReportingPeriodFactory,
    UserFactory,
)
from tests.kept_answers import kept
from tests.query_counts import get_with_queries

pytestmark = pytest.mark.django_db(transaction=True)

DASHBOARD = "workspace:dashboard"


@pytest.fixture(autouse=True)
def fragments_on(settings):
    with kept(settings, fragment_seconds=60):
        yield


def soon(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def project_world():
    project = ProjectFactory(acronym="FRAG", slug="frag")
    coordinator, funder = UserFactory(), UserFactory()
    ProjectRoleFactory(user=coordinator, project=project)
    ProjectRoleFactory(user=funder, project=project, role=ProjectRole.Role.FUNDER_OFFICER)
    meeting = MeetingFactory(project=project, title="Fragment meeting", starts_at=soon(10), capacity=10)
    for surname in ("Alpha-Secret", "Beta-Secret"):
        RegistrationFactory(meeting=meeting, user=UserFactory(first_name="Pat", last_name=surname))
    return project, coordinator, funder, meeting


def test_the_kept_parts_are_used_the_second_time(client, project_world):
    _, coordinator, _, _ = project_world
    client.force_login(coordinator)
    first, first_count = get_with_queries(client, reverse(DASHBOARD))
    second, second_count = get_with_queries(client, reverse(DASHBOARD))
    cards = [response.content.decode().split('<ul class="cards">', 1)[1] for response in (first, second)]
    assert cards[0] == cards[1] and "FRAG" in cards[0]
    # The project figures and the next meetings are read once.
    assert second_count < first_count


def test_a_registration_changes_the_fill_on_the_next_request(client, project_world):
    _, coordinator, _, meeting = project_world
    assert "2 of 10 seats taken" in dashboard(client, coordinator)
    RegistrationFactory(meeting=meeting)
    assert "3 of 10 seats taken" in dashboard(client, coordinator)


def test_a_new_deliverable_shows_on_the_next_request(client, project_world):
    _, coordinator, _, _ = project_world
    assert "Fresh toolkit" not in dashboard(client, coordinator)
    DeliverableFactory(project=project_world[0], title="Fresh toolkit", due_date=timezone.localdate())
    assert "Fresh toolkit" in dashboard(client, coordinator)


def test_a_submitted_period_shows_to_the_funder_on_the_next_request(client, project_world):
    project, coordinator, funder, _ = project_world
    start, end = dt.date(2025, 1, 1), dt.date(2025, 3, 31)
    period = ReportingPeriodFactory(project=project, period_start=start, period_end=end)
    version = ProgressReportFactory(
        project=project, period_start=start, period_end=end, done=True, started_at=timezone.now()
    )
    period_url = reverse("reporting:period", args=[project.slug, period.pk])
    assert period_url not in dashboard(client, funder)
    reporting_period_submit(period=period, reports=[version], actor=coordinator)
    assert ReportingPeriod.objects.get(pk=period.pk).status == ReportingPeriod.Status.SUBMITTED
    body = dashboard(client, funder)
    assert period_url in body and "version 1" in body


def test_a_funder_never_gets_the_coordinators_cards_nor_a_name(client, project_world):
    _, coordinator, funder, _ = project_world
    # The coordinator fills the cache first: exact counts.
    coordinator_body = dashboard(client, coordinator)
    assert "2 confirmed" in coordinator_body
    funder_body = dashboard(client, funder)
    assert "Projects you follow as a funder" in funder_body
    assert "Projects you coordinate" not in funder_body
    # Two people: a small count, hidden from the funder.
    assert "&lt; 5 confirmed" in funder_body and "2 confirmed" not in funder_body
    for body in (coordinator_body, funder_body):
        assert "Alpha-Secret" not in body and "Beta-Secret" not in body
    # And the funder's version does not leak back to the coordinator.
    assert "2 confirmed" in dashboard(client, coordinator)


def test_two_coordinators_do_not_see_each_others_cards(client):
    one, other = ProjectFactory(acronym="ONEPRJ"), ProjectFactory(acronym="TWOPRJ")
    first, second = UserFactory(), UserFactory()
    ProjectRoleFactory(user=first, project=one)
    ProjectRoleFactory(user=second, project=other)
    DeliverableFactory(project=one, title="First secret deliverable", due_date=timezone.localdate())
    MeetingFactory(project=one, title="First project meeting", starts_at=soon(3))
    first_body = dashboard(client, first)
    assert "ONEPRJ" in first_body and "First secret deliverable" in first_body
    second_body = dashboard(client, second)
    assert "TWOPRJ" in second_body
    assert "ONEPRJ" not in second_body and "First secret deliverable" not in second_body
    assert "First project meeting" not in second_body
    assert "TWOPRJ" not in dashboard(client, first)


def test_members_with_the_same_visibility_keep_their_own_registrations(client):
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS, name="Shared CoP")
    meeting = MeetingFactory(
        project=community.project,
        community=community,
        title="Shared meeting",
        starts_at=soon(8),
        audience=Meeting.Audience.MEMBERS,
    )
    registered, other = UserFactory(), UserFactory()
    for person in (registered, other):
        MembershipFactory(community=community, user=person)
    registration = RegistrationFactory(meeting=meeting, user=registered)
    register_url = reverse("registrations:register", args=[meeting.pk])
    own_url = reverse("registrations:registration", args=[registration.pk])

    registered_body = dashboard(client, registered)
    assert own_url in registered_body and register_url not in registered_body
    # Same communities, no roles: the same kept parts, but not the other one's registration.
    other_body = dashboard(client, other)
    assert register_url in other_body and own_url not in other_body
    assert "Shared meeting" in other_body


def test_members_of_different_communities_do_not_see_each_others_meetings(client):
    mine, theirs = (
        CommunityFactory(visibility=Community.Visibility.MEMBERS, name=name) for name in ("Mine CoP", "Theirs CoP")
    )
    for community, title in ((mine, "Mine only meeting"), (theirs, "Theirs only meeting")):
        MeetingFactory(
            project=community.project,
            community=community,
            title=title,
            starts_at=soon(5),
            audience=Meeting.Audience.MEMBERS,
        )
    me, them = UserFactory(), UserFactory()
    MembershipFactory(community=mine, user=me)
    MembershipFactory(community=theirs, user=them)
    assert "Mine only meeting" in dashboard(client, me)
    body = dashboard(client, them)
    assert "Theirs only meeting" in body and "Mine only meeting" not in body


def test_joining_a_community_shows_its_meetings_on_the_next_request(client):
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS, name="Later CoP")
    MeetingFactory(
        project=community.project,
        community=community,
        title="Joined meeting",
        starts_at=soon(5),
        audience=Meeting.Audience.MEMBERS,
    )
    person = UserFactory()
    assert "Joined meeting" not in dashboard(client, person)
    MembershipFactory(community=community, user=person)
    assert "Joined meeting" in dashboard(client, person)


def test_my_meetings_and_the_meeting_page_keep_each_persons_own_registration(client):
    # Kept per person (portal/registrations): two people with the same visibility never get
    # each other's, and a cancellation shows on the next request.
    meeting = MeetingFactory(title="Kept per person", starts_at=soon(9), capacity=10)
    registered, other = UserFactory(), UserFactory()
    registration = RegistrationFactory(meeting=meeting, user=registered)
    own_url = reverse("registrations:registration", args=[registration.pk])
    my_meetings = reverse("registrations:my_meetings")
    meeting_page = reverse("calendar:meeting", args=[meeting.pk])
    for url in (my_meetings, meeting_page):
        client.force_login(registered)
        assert own_url in client.get(url).content.decode()
        client.force_login(other)
        assert own_url not in client.get(url).content.decode()
    registration.status = registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save()
    client.force_login(registered)
    assert own_url not in client.get(meeting_page).content.decode()
