"""One small world of projects, people and objects for the permission tests.

Project A is private (programme P1), B is public (P1), C is public (P2). Each person
holds exactly one kind of access, so a test can say who sees what.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from events.models import Community, Meeting, Membership
from projects.models import Deliverable, ProjectRole
from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    FundingProgrammeFactory,
    MeetingFactory,
    MembershipFactory,
    ParticipationFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)


@dataclass
class World:
    projects: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    communities: dict = field(default_factory=dict)
    meetings: dict = field(default_factory=dict)
    deliverables: dict = field(default_factory=dict)
    reports: dict = field(default_factory=dict)
    registrations: dict = field(default_factory=dict)
    organisations: dict = field(default_factory=dict)


def build_world() -> World:
    w = World()
    p1, p2 = FundingProgrammeFactory(short_name="P1"), FundingProgrammeFactory(short_name="P2")
    w.projects = {
        "A": ProjectFactory(acronym="A", slug="a", programme=p1, is_public=False),
        "B": ProjectFactory(acronym="B", slug="b", programme=p1, is_public=True),
        "C": ProjectFactory(acronym="C", slug="c", programme=p2, is_public=True),
    }
    A, B = w.projects["A"], w.projects["B"]
    lead_x = ParticipationFactory(project=A).organisation
    lead_y = ParticipationFactory(project=A).organisation
    w.organisations = {"X": lead_x, "Y": lead_y}

    admin = UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
    w.users = {
        "anonymous": AnonymousUser(),
        "admin": admin,
        "coordinator_A": UserFactory(email="coord.a@example.org", is_staff=True),
        "staff_A": UserFactory(email="staff.a@example.org"),
        "funder_A": UserFactory(email="funder.a@example.org"),
        "coordinator_B": UserFactory(email="coord.b@example.org", is_staff=True),
        "member_A": UserFactory(email="member.a@example.org"),
        "facilitator_A": UserFactory(email="facilitator.a@example.org"),
        "pending_A": UserFactory(email="pending.a@example.org"),
        "member_B2": UserFactory(email="member.b2@example.org"),
        "outsider": UserFactory(email="outsider@example.org"),
    }
    u = w.users
    ProjectRoleFactory(user=u["coordinator_A"], project=A)
    ProjectRoleFactory(user=u["staff_A"], project=A, role=ProjectRole.Role.PARTNER_STAFF, organisation=lead_x)
    ProjectRoleFactory(user=u["funder_A"], project=A, role=ProjectRole.Role.FUNDER_OFFICER)
    ProjectRoleFactory(user=u["coordinator_B"], project=B)

    members = Community.Visibility.MEMBERS
    w.communities = {
        "A1": CommunityFactory(project=A, visibility=members, slug="a1"),
        "B1": CommunityFactory(project=B, slug="b1"),
        "B2": CommunityFactory(project=B, visibility=members, slug="b2"),
    }
    c = w.communities
    MembershipFactory(user=u["member_A"], community=c["A1"])
    MembershipFactory(user=u["facilitator_A"], community=c["A1"], role=Membership.Role.FACILITATOR)
    MembershipFactory(user=u["pending_A"], community=c["A1"], pending=True)
    MembershipFactory(user=u["member_B2"], community=c["B2"])

    public, partners, members_only = Meeting.Audience.PUBLIC, Meeting.Audience.PARTNERS, Meeting.Audience.MEMBERS
    w.meetings = {
        "A_public": MeetingFactory(project=A, audience=public),
        "A1_members": MeetingFactory(project=A, community=c["A1"], audience=members_only),
        "B_public": MeetingFactory(project=B, audience=public),
        "B_partners": MeetingFactory(project=B, audience=partners),
        "B1_public": MeetingFactory(project=B, community=c["B1"], audience=public),
        "B2_members": MeetingFactory(project=B, community=c["B2"], audience=members_only),
        "B2_public": MeetingFactory(project=B, community=c["B2"], audience=public),
    }
    sensitive = Deliverable.Dissemination.SENSITIVE
    w.deliverables = {
        "A_x": DeliverableFactory(project=A, lead_organisation=lead_x, dissemination=sensitive),
        "A_y": DeliverableFactory(project=A, lead_organisation=lead_y),
        "B_public": DeliverableFactory(project=B),
        "B_sensitive": DeliverableFactory(project=B, dissemination=sensitive),
    }
    w.reports = {
        "A": ProgressReportFactory(project=A, done=True, submitted=True),
        "B": ProgressReportFactory(project=B),
    }
    w.registrations = {
        "member_A": RegistrationFactory(meeting=w.meetings["A1_members"], user=u["member_A"]),
        "outsider_B": RegistrationFactory(meeting=w.meetings["B_public"], user=u["outsider"]),
    }
    return w


def fresh(user):
    """The same person as a new request would see them: no cached roles."""
    if not getattr(user, "is_authenticated", False):
        return user
    return type(user).objects.get(pk=user.pk)
