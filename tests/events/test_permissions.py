"""Community and meeting permissions, and selectors that agree with them row by row."""

import pytest

from events import permissions as perms
from events.models import Community, Meeting, Membership
from events.selectors import visibility
from tests.factories import MembershipFactory
from tests.permission_world import build_world, fresh

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "admin",
    "coordinator_A",
    "staff_A",
    "funder_A",
    "coordinator_B",
    "member_A",
    "facilitator_A",
    "pending_A",
    "member_B2",
    "outsider",
]


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize("person", PEOPLE)
def test_visible_communities_agree_with_the_permission(world, person):
    user = fresh(world.users[person])
    listed = set(visibility.visible_communities(user))
    assert listed == {c for c in Community.objects.all() if perms.can_view_community(user, c)}


@pytest.mark.parametrize("person", PEOPLE)
def test_visible_meetings_agree_with_the_permission(world, person):
    user = fresh(world.users[person])
    listed = set(visibility.visible_meetings(user))
    assert listed == {m for m in Meeting.objects.all() if perms.can_view_meeting(user, m)}


MEETINGS_SEEN = {
    "anonymous": {"B_public", "B1_public"},
    "outsider": {"B_public", "B1_public"},
    "pending_A": {"B_public", "B1_public"},
    "member_A": {"B_public", "B1_public", "A1_members"},
    "member_B2": {"B_public", "B1_public", "B2_members", "B2_public"},
    "coordinator_B": {"B_public", "B1_public", "B_partners", "B2_members", "B2_public"},
    "funder_A": {"A_public", "A1_members", "B_public", "B1_public"},
}


@pytest.mark.parametrize("person", sorted(MEETINGS_SEEN))
def test_who_sees_which_meeting(world, person):
    user = fresh(world.users[person])
    seen = {key for key, meeting in world.meetings.items() if perms.can_view_meeting(user, meeting)}
    assert seen == MEETINGS_SEEN[person]


@pytest.mark.parametrize(
    "person, manage",
    [
        ("coordinator_A", True),
        ("facilitator_A", True),
        ("member_A", False),
        ("pending_A", False),
        ("staff_A", False),
        ("funder_A", False),
        ("coordinator_B", False),
        ("anonymous", False),
    ],
)
def test_who_manages_community_a1_and_its_meetings(world, person, manage):
    user = fresh(world.users[person])
    assert perms.can_manage_community(user, world.communities["A1"]) is manage
    assert perms.can_invite_to_community(user, world.communities["A1"]) is manage
    assert perms.can_manage_meeting(user, world.meetings["A1_members"]) is manage


def test_funders_never_see_names(world):
    funder = fresh(world.users["funder_A"])
    # The pages and files that name the registered people: the check-in list, the sheet, the export.
    assert not perms.can_check_in(funder, world.meetings["A1_members"])
    assert not perms.can_download_attendance_sheet(funder, world.meetings["A1_members"])
    assert not perms.can_export_registrations(funder, world.meetings["A1_members"])
    assert not perms.can_view_members(funder, world.communities["A1"])
    assert not perms.can_view_registration(funder, world.registrations["member_A"])


def test_members_see_their_own_registrations_only(world):
    member = fresh(world.users["member_A"])
    assert perms.can_view_registration(member, world.registrations["member_A"])
    assert not perms.can_view_registration(member, world.registrations["outsider_B"])
    assert list(visibility.own_registrations(member)) == [world.registrations["member_A"]]
    assert list(visibility.own_registrations(fresh(world.users["anonymous"]))) == []


def test_online_link_only_for_members_of_a_members_only_meeting(world):
    meeting = world.meetings["A1_members"]
    assert perms.can_view_online_link(fresh(world.users["member_A"]), meeting)
    assert not perms.can_view_online_link(fresh(world.users["pending_A"]), meeting)
    assert not perms.can_view_online_link(fresh(world.users["outsider"]), meeting)


@pytest.mark.parametrize(
    "person, create, decide, requests",
    [
        ("admin", True, True, True),
        ("coordinator_A", True, True, True),
        ("facilitator_A", False, True, True),
        ("staff_A", False, False, False),
        ("funder_A", False, False, False),
        ("member_A", False, False, False),
        ("pending_A", False, False, False),
        ("coordinator_B", False, False, False),
        ("anonymous", False, False, False),
    ],
)
def test_who_creates_meetings_and_communities_and_decides_requests_in_a(world, person, create, decide, requests):
    user, project = fresh(world.users[person]), world.projects["A"]
    request = Membership.objects.get(user=world.users["pending_A"])
    assert perms.can_create_meeting(user, project) is create
    assert perms.can_create_community(user, project) is create
    assert perms.can_decide_membership(user, request) is decide
    assert perms.can_view_membership_requests(user, project) is requests


def test_the_workspace_lists_exactly_the_requests_a_person_may_decide(world):
    from portal.workspace.selectors import membership_requests

    MembershipFactory(community=world.communities["B2"], pending=True)
    for person in PEOPLE:
        user = fresh(world.users[person])
        for project in world.projects.values():
            if not perms.can_view_membership_requests(user, project):
                continue
            listed = set(membership_requests(user, project))
            decidable = {
                m
                for m in Membership.objects.filter(community__project=project, status="pending")
                if perms.can_decide_membership(user, m)
            }
            assert listed == decidable, (person, project)
