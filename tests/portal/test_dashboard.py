"""The dashboard by role: each section answers "what do I do next?".

Members see their next meetings, their communities' next meetings, what they can still
register for and their places on waiting lists; facilitators the requests to join and
their communities' next meetings with the fill; coordinators per project the deadlines,
the next meetings with the fill, the reporting status and the outbox; funder officers
per project the latest submitted report, key indicators and the next report due. The
query counts are pinned per role with 1 and with 50 rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Community, Meeting, Membership
from outbox.models import Message
from projects.models import Indicator, Project, ProjectRole
from reports.models import ReportingPeriod
from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeetingFactory,
    MembershipFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    ReportingPeriodFactory,
    UserFactory,
)
from tests.query_counts import count_queries
from tests.worlds import built_once

DASHBOARD = "workspace:dashboard"


def soon(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@dataclass
class World:
    project: Project
    users: dict = field(default_factory=dict)
    meetings: dict = field(default_factory=dict)
    community: Community | None = None
    deliverables: dict = field(default_factory=dict)
    periods: dict = field(default_factory=dict)
    registrations: dict = field(default_factory=dict)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    with built_once(django_db_blocker):
        project = ProjectFactory(acronym="DASH", slug="dash", title="Dashboard test project")
        w = World(project=project)
        u = w.users = {
            "coordinator": UserFactory(email="coord@example.org"),
            "funder": UserFactory(email="funder@example.org"),
            "member": UserFactory(email="member@example.org"),
            "waiter": UserFactory(email="waiter@example.org", first_name="Wilma", last_name="Waitlisted-Secret"),
            "other": UserFactory(email="other@example.org", first_name="Otto", last_name="Confirmed-Secret"),
            "facilitator": UserFactory(email="facilitator@example.org"),
            "requester": UserFactory(email="requester@example.org", first_name="Rita", last_name="Requesting-Secret"),
            "superuser": UserFactory(email="root@example.org", is_staff=True, is_superuser=True),
        }
        ProjectRoleFactory(user=u["coordinator"], project=project)
        ProjectRoleFactory(user=u["funder"], project=project, role=ProjectRole.Role.FUNDER_OFFICER)
        community = w.community = CommunityFactory(
            project=project,
            name="CoP Dashboard",
            slug="cop-dashboard",
            visibility=Community.Visibility.MEMBERS,
            membership_policy=Community.Policy.APPROVAL,
        )
        for person in ("member", "waiter", "other"):
            MembershipFactory(community=community, user=u[person])
        MembershipFactory(community=community, user=u["facilitator"], role=Membership.Role.FACILITATOR)
        MembershipFactory(community=community, user=u["requester"], pending=True)
        members = Meeting.Audience.MEMBERS
        w.meetings = {
            "next": MeetingFactory(
                project=project,
                community=community,
                title="Next CoP meeting",
                starts_at=soon(10),
                capacity=4,
                audience=members,
            ),
            "open": MeetingFactory(
                project=project, community=community, title="Open CoP meeting", starts_at=soon(20), audience=members
            ),
            "closed": MeetingFactory(
                project=project,
                community=community,
                title="Registration closed meeting",
                starts_at=soon(25),
                registration_closes_at=timezone.now() - dt.timedelta(days=1),
                audience=members,
            ),
            "later": MeetingFactory(
                project=project,
                community=community,
                title="Registration later meeting",
                starts_at=soon(40),
                registration_opens_at=timezone.now() + dt.timedelta(days=5),
                audience=members,
            ),
            "held": MeetingFactory(project=project, title="Kick-off held", starts_at=soon(-100)),
        }
        next_meeting = w.meetings["next"]
        w.registrations = {
            "member": RegistrationFactory(meeting=next_meeting, user=u["member"]),
            "other": RegistrationFactory(meeting=next_meeting, user=u["other"]),
            "waiter": RegistrationFactory(meeting=next_meeting, user=u["waiter"], waitlisted=True),
        }
        held = w.meetings["held"]
        for _ in range(2):
            RegistrationFactory(meeting=held, checked_in=True)
        today = timezone.localdate()
        w.deliverables = {
            "late": DeliverableFactory(
                project=project, code="D1.1", title="Late mapping", due_date=dt.date(2025, 3, 31)
            ),
            "soon": DeliverableFactory(
                project=project, code="D1.2", title="Soon guide", due_date=today + dt.timedelta(10)
            ),
            "far": DeliverableFactory(
                project=project, code="D1.3", title="Far toolkit", due_date=today + dt.timedelta(90)
            ),
            "done": DeliverableFactory(project=project, code="D1.4", title="Done study", submitted=True),
        }
        w.periods = {
            "submitted": ReportingPeriodFactory(
                project=project,
                period_start=dt.date(2025, 1, 1),
                period_end=dt.date(2025, 3, 31),
                status=ReportingPeriod.Status.SUBMITTED,
            ),
            "draft": ReportingPeriodFactory(
                project=project, period_start=dt.date(2025, 4, 1), period_end=dt.date(2025, 6, 30)
            ),
        }
        ProgressReportFactory(
            project=project,
            done=True,
            submitted=True,
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 3, 31),
        )
        ProgressReportFactory(
            project=project, done=True, version=2, period_start=dt.date(2025, 4, 1), period_end=dt.date(2025, 6, 30)
        )
        trained = IndicatorFactory(project=project, code="O1", name="People trained", target=Decimal("40"))
        IndicatorValueFactory(period=w.periods["submitted"], indicator=trained, value=Decimal("12"))
        IndicatorValueFactory(period=w.periods["draft"], indicator=trained, value=Decimal("700"))
        IndicatorFactory(
            project=project, code="O2", name="Participants reached", source=Indicator.Source.PARTICIPANTS, target=100
        )
        IndicatorFactory(
            project=project, code="O3", name="Meetings held", source=Indicator.Source.MEETINGS_HELD, target=Decimal("8")
        )
        Message.objects.create(task="events.tasks.send_notice", args=[1])
        Message.objects.create(task="events.tasks.send_notice", args=[2], status=Message.Status.DEAD)
        yield w


def body_of(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    return response.content.decode()


# --- Members ---------------------------------------------------------------------------


def test_member_sees_next_meeting_with_calendar_and_registration_links(client, world, db):
    body = body_of(client, world.users["member"])
    meeting = world.meetings["next"]
    assert "Your next meetings" in body
    assert reverse("calendar:meeting", args=[meeting.pk]) in body
    assert reverse("calendar:meeting_ics", args=[meeting.pk]) in body and "Add to calendar" in body
    assert reverse("registrations:registration", args=[world.registrations["member"].pk]) in body
    assert reverse("catalogue:detail", args=["dash"]) in body


def test_member_sees_communities_with_their_next_meeting(client, world, db):
    body = body_of(client, world.users["member"])
    assert reverse("calendar:community", args=["cop-dashboard"]) in body
    communities = body.split('id="communities-heading"', 1)[1].split("</section>", 1)[0]
    assert "Next CoP meeting" in communities


def test_member_sees_open_registrations_only_where_registration_is_open(client, world, db):
    body = body_of(client, world.users["member"])
    section = body.split('id="open-heading"', 1)[1].split("</section>", 1)[0]
    assert "Open CoP meeting" in section
    assert reverse("registrations:register", args=[world.meetings["open"].pk]) in section
    # Registered already, registration closed, not open yet, not a community's meeting.
    for title in ("Next CoP meeting", "Registration closed meeting", "Registration later meeting", "Kick-off held"):
        assert title not in section


def test_waiting_member_sees_their_place_in_line(client, world, db):
    body = body_of(client, world.users["waiter"])
    section = body.split('id="waitlist-heading"', 1)[1].split("</section>", 1)[0]
    assert "Number 1 in line for" in section and "Next CoP meeting" in section
    # Nobody else's name, and no waiting-list section for the confirmed member.
    assert "Otto" not in body
    assert 'id="waitlist-heading"' not in body_of(client, world.users["member"])


def test_member_without_communities_is_told_what_to_do(client, world, db):
    body = body_of(client, world.users["funder"])
    assert "You are not a member of a Community of Practice yet" in body
    assert "You have not registered for an upcoming meeting" in body
    assert 'class="empty"' in body


# --- Facilitators ----------------------------------------------------------------------


def test_facilitator_sees_requests_and_the_fill_of_next_meetings(client, world, db):
    body = body_of(client, world.users["facilitator"])
    section = body.split('id="facilitated-heading"', 1)[1].split("</section>", 1)[0]
    assert "Decide 1 request" in section
    assert reverse("workspace:membership_requests", args=["dash"]) in section
    assert "2 of 4 seats taken (50 %)" in section
    assert "1 on the waiting list" in section
    assert "Rita" not in body and "Wilma" not in body


def test_plain_member_has_no_facilitator_section(client, world, db):
    assert 'id="facilitated-heading"' not in body_of(client, world.users["member"])


# --- Coordinators ----------------------------------------------------------------------


def test_coordinator_sees_deadlines_linked_to_their_edit_pages(client, world, db):
    body = body_of(client, world.users["coordinator"])
    d = world.deliverables
    assert reverse("workspace:deliverable_edit", args=[d["late"].pk]) in body
    assert reverse("workspace:deliverable_edit", args=[d["soon"].pk]) in body
    assert "Late mapping" in body and "Soon guide" in body
    assert "Far toolkit" not in body and "Done study" not in body


def test_coordinator_sees_meeting_fill_and_requests(client, world, db):
    body = body_of(client, world.users["coordinator"])
    assert "2 of 4 seats taken (50 %)" in body and "1 on the waiting list" in body
    assert reverse("calendar:meeting", args=[world.meetings["next"].pk]) in body
    assert reverse("workspace:membership_requests", args=["dash"]) in body


def test_coordinator_sees_the_latest_period_draft_included_and_the_latest_version(client, world, db):
    body = body_of(client, world.users["coordinator"])
    assert reverse("reporting:period", args=["dash", world.periods["draft"].pk]) in body
    assert "Latest report: version 2" in body


def test_coordinator_sees_the_outbox_and_only_superusers_get_its_link(client, world, db):
    body = body_of(client, world.users["coordinator"])
    assert "1 e-mail or notice not sent yet" in body and "1 failed for good" in body
    assert reverse("admin:outbox_message_changelist") not in body
    ProjectRoleFactory(user=world.users["superuser"], project=world.project)
    assert reverse("admin:outbox_message_changelist") in body_of(client, world.users["superuser"])


def test_coordinator_with_nothing_due_is_told_what_to_do(client, db):
    coordinator = UserFactory()
    project = ProjectFactory()
    ProjectRoleFactory(user=coordinator, project=project)
    body = body_of(client, coordinator)
    assert "Nothing is late or due in the next 30 days." in body
    assert "No meeting is coming up." in body
    assert reverse("workspace:meeting_create", args=[project.slug]) in body
    assert "No reporting period yet." in body


# --- Funder officers -------------------------------------------------------------------


def test_funder_sees_submitted_period_and_version_never_drafts(client, world, db):
    body = body_of(client, world.users["funder"])
    assert reverse("reporting:period", args=["dash", world.periods["submitted"].pk]) in body
    assert reverse("reporting:period", args=["dash", world.periods["draft"].pk]) not in body
    assert "version 1" in body and "version 2" not in body


def test_funder_sees_indicators_from_submitted_periods_with_small_counts_hidden(client, world, db):
    client.force_login(world.users["funder"])
    response = client.get(reverse(DASHBOARD))
    row = response.context["funded"][0]
    achieved = {item.indicator.code: item.achieved for item in row["indicators"]}
    # 12 from the submitted period; the draft's 700 is not the funder's to see.
    assert achieved == {"O1": Decimal("12"), "O2": Decimal("2"), "O3": Decimal("1")}
    body = response.content.decode()
    section = body.split("Key indicators", 1)[1]
    assert "&lt; 5" in section  # two participants: a small count, hidden
    assert "700" not in section


def test_funder_sees_the_next_report_due(client, world, db):
    client.force_login(world.users["funder"])
    response = client.get(reverse(DASHBOARD))
    assert response.context["funded"][0]["next_report_due"] == dt.date(2025, 6, 30)


def test_funder_sees_no_outbox(client, world, db):
    assert "not sent yet" not in body_of(client, world.users["funder"])


# --- Query counts: the same with 1 and with 50 rows, per role ---------------------------


def add_member_rows(user, n: int) -> None:
    for _ in range(n):
        community = CommunityFactory()
        MembershipFactory(community=community, user=user)
        mine = MeetingFactory(project=community.project, community=community, starts_at=soon(5))
        RegistrationFactory(meeting=mine, user=user, waitlisted=True)
        MeetingFactory(project=community.project, community=community, starts_at=soon(6))


def add_facilitator_rows(user, n: int) -> None:
    for _ in range(n):
        community = CommunityFactory(membership_policy=Community.Policy.APPROVAL)
        MembershipFactory(community=community, user=user, role=Membership.Role.FACILITATOR)
        MembershipFactory(community=community, pending=True)
        meeting = MeetingFactory(project=community.project, community=community, starts_at=soon(5))
        RegistrationFactory(meeting=meeting)


def add_coordinator_rows(user, n: int) -> None:
    for _ in range(n):
        project = ProjectFactory()
        ProjectRoleFactory(user=user, project=project)
        DeliverableFactory(project=project, due_date=soon(10).date())
        DeliverableFactory(project=project, due_date=dt.date(2025, 3, 31))
        meeting = MeetingFactory(project=project, starts_at=soon(7))
        RegistrationFactory(meeting=meeting)
        RegistrationFactory(meeting=meeting, waitlisted=True)
        MembershipFactory(community=CommunityFactory(project=project), pending=True)
        ReportingPeriodFactory(project=project)
        ProgressReportFactory(project=project)


def add_funder_rows(user, n: int) -> None:
    for _ in range(n):
        project = ProjectFactory()
        ProjectRoleFactory(user=user, project=project, role=ProjectRole.Role.FUNDER_OFFICER)
        period = ReportingPeriodFactory(project=project, status=ReportingPeriod.Status.SUBMITTED)
        IndicatorValueFactory(period=period, indicator=IndicatorFactory(project=project))
        IndicatorFactory(project=project, source=Indicator.Source.PARTICIPANTS)
        ProgressReportFactory(project=project, done=True, submitted=True)


@pytest.mark.parametrize(
    "add_rows, queries",
    [
        (add_member_rows, 7),
        (add_facilitator_rows, 7),
        (add_coordinator_rows, 8),
        (add_funder_rows, 7),
    ],
    ids=["member", "facilitator", "coordinator", "funder"],
)
def test_dashboard_query_count_per_role(client, db, add_rows, queries):
    user = UserFactory()
    client.force_login(user)
    add_rows(user, 1)
    few = count_queries(client, reverse(DASHBOARD))
    add_rows(user, 49)
    many = count_queries(client, reverse(DASHBOARD))
    assert (few, many) == (queries, queries)


def test_fifty_rows_are_all_shown(client, db):
    user = UserFactory()
    client.force_login(user)
    add_member_rows(user, 50)
    response = client.get(reverse(DASHBOARD))
    assert len(response.context["registrations"]) == len(response.context["waitlisted"]) == 50
    assert len(response.context["open_registrations"]) == 50
    assert all(row["meetings"] for row in response.context["memberships"])


def test_partner_staff_see_their_organisation_linked(client, world, db):
    staff = UserFactory()
    role = ProjectRoleFactory(user=staff, project=world.project, partner_staff=True)
    body = body_of(client, staff)
    assert reverse("directory:detail", args=[role.organisation_id]) in body
    assert reverse("catalogue:detail", args=["dash"]) in body


def test_partners_only_meetings_are_not_offered_to_members(client, world, db):
    MeetingFactory(
        project=world.project,
        community=world.community,
        title="Partners only meeting",
        starts_at=soon(30),
        audience=Meeting.Audience.PARTNERS,
    )
    assert "Partners only meeting" not in body_of(client, world.users["member"])
