"""Joining and leaving communities (events/services/memberships.py), and what members see."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from events.models import Community, Meeting, Membership
from events.permissions import can_view_meeting, can_view_online_link, is_active_member, is_facilitator
from events.services import membership_approve, membership_join, membership_leave, membership_reject
from events.services.memberships import (
    MembershipRecord,
    membership_admit,
    membership_record,
    membership_remove,
    memberships_bulk_create,
)
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectRoleFactory,
    UserFactory,
    aware,
)
from tests.permission_world import fresh

pytestmark = pytest.mark.django_db


def community_with(policy: str, **kwargs) -> Community:
    community = CommunityFactory(membership_policy=policy, **kwargs)
    if policy == Community.Policy.APPROVAL:
        # Somebody who may approve: without one, a request is refused (test_membership_emails.py).
        MembershipFactory(community=community, role=Membership.Role.FACILITATOR)
    return community


def messages(excinfo) -> list[str]:
    return [str(message) for message in excinfo.value.messages]


def test_an_open_community_lets_people_in_at_once():
    community = community_with(Community.Policy.OPEN)
    user = UserFactory()
    membership = membership_join(community=community, user=user)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE and membership.joined_at is not None
    assert membership.role == Membership.Role.MEMBER


def test_an_approval_community_takes_a_request():
    community = community_with(Community.Policy.APPROVAL)
    membership = membership_join(community=community, user=UserFactory())
    assert membership.status == Membership.Status.PENDING and membership.joined_at is None


def test_an_invitation_community_says_an_invitation_is_needed():
    community = community_with(Community.Policy.INVITATION)
    user = UserFactory()
    with pytest.raises(ValidationError) as excinfo:
        membership_join(community=community, user=user)
    assert "by invitation only" in messages(excinfo)[0]
    assert not Membership.objects.filter(user=user).exists()


def test_joining_twice_says_so():
    open_community = community_with(Community.Policy.OPEN)
    user = UserFactory()
    membership_join(community=open_community, user=user)
    with pytest.raises(ValidationError, match="already a member"):
        membership_join(community=open_community, user=user)
    approval = community_with(Community.Policy.APPROVAL)
    membership_join(community=approval, user=user)
    with pytest.raises(ValidationError, match="already asked to join"):
        membership_join(community=approval, user=user)
    assert Membership.objects.filter(user=user).count() == 2


def test_leaving_and_rejoining_reuse_the_one_row():
    community = community_with(Community.Policy.OPEN)
    user = UserFactory()
    first = membership_join(community=community, user=user)
    left = membership_leave(membership=first, actor=user)
    assert left.status == Membership.Status.LEFT and left.left_at is not None
    again = membership_join(community=community, user=user)
    assert again.pk == first.pk and again.status == Membership.Status.ACTIVE and again.left_at is None
    assert Membership.objects.filter(user=user).count() == 1


def test_a_former_facilitator_rejoins_as_a_member():
    community = community_with(Community.Policy.OPEN)
    former = MembershipFactory(community=community, role=Membership.Role.FACILITATOR, left=True)
    again = membership_join(community=community, user=former.user)
    assert again.role == Membership.Role.MEMBER


def test_a_declined_person_may_ask_again():
    community = community_with(Community.Policy.APPROVAL)
    facilitator = MembershipFactory(community=community, role=Membership.Role.FACILITATOR).user
    user = UserFactory()
    request = membership_join(community=community, user=user)
    membership_reject(membership=request, actor=facilitator)
    request.refresh_from_db()
    assert request.status == Membership.Status.REJECTED and request.decided_by == facilitator
    again = membership_join(community=community, user=user)
    assert again.pk == request.pk and again.status == Membership.Status.PENDING
    assert again.decided_at is None and again.decided_by is None
    assert membership_approve(membership=again, actor=facilitator).changed


def test_a_pending_request_can_be_withdrawn():
    community = community_with(Community.Policy.APPROVAL)
    user = UserFactory()
    request = membership_join(community=community, user=user)
    assert membership_leave(membership=request, actor=user).status == Membership.Status.LEFT


def test_only_the_person_leaves_and_only_once():
    membership = MembershipFactory()
    with pytest.raises(PermissionDenied):
        membership_leave(membership=membership, actor=UserFactory())
    membership_leave(membership=membership, actor=membership.user)
    with pytest.raises(ValidationError, match="not a member"):
        membership_leave(membership=membership, actor=membership.user)


def test_a_hidden_community_cannot_be_joined_by_url():
    community = community_with(Community.Policy.OPEN, visibility=Community.Visibility.MEMBERS)
    with pytest.raises(PermissionDenied):
        membership_join(community=community, user=UserFactory())


def test_anonymous_and_inactive_people_cannot_join():
    from django.contrib.auth.models import AnonymousUser

    community = community_with(Community.Policy.OPEN)
    for user in (AnonymousUser(), UserFactory(is_active=False)):
        with pytest.raises(PermissionDenied):
            membership_join(community=community, user=user)


def test_joining_updates_what_the_person_sees_in_the_same_request():
    community = community_with(Community.Policy.OPEN)
    meeting = MeetingFactory(project=community.project, community=community, audience=Meeting.Audience.MEMBERS)
    user = UserFactory()
    assert not can_view_meeting(user, meeting)
    membership_join(community=community, user=user)
    assert can_view_meeting(user, meeting)  # the cached memberships were forgotten


# --- Members-only meetings and the online link ------------------------------------------------


@pytest.fixture
def members_meeting():
    community = CommunityFactory()
    return MeetingFactory(
        project=community.project,
        community=community,
        audience=Meeting.Audience.MEMBERS,
        format=Meeting.Format.ONLINE,
        online_link="https://meet.example.org/cop",
    )


@pytest.mark.parametrize(
    "state, sees",
    [("active", True), ("pending", False), ("left", False), ("rejected", False), ("none", False)],
)
def test_members_only_meetings_and_links_are_for_active_members(members_meeting, state, sees):
    user = UserFactory()
    if state == "active":
        MembershipFactory(community=members_meeting.community, user=user)
    elif state == "pending":
        MembershipFactory(community=members_meeting.community, user=user, pending=True)
    elif state == "left":
        MembershipFactory(community=members_meeting.community, user=user, left=True)
    elif state == "rejected":
        MembershipFactory(
            community=members_meeting.community, user=user, status=Membership.Status.REJECTED, joined_at=None
        )
    user = fresh(user)
    assert can_view_meeting(user, members_meeting) is sees
    assert can_view_online_link(user, members_meeting) is sees


def test_the_community_meetings_link_is_for_members_and_the_project():
    community = CommunityFactory()
    meeting = MeetingFactory(
        project=community.project,
        community=community,
        format=Meeting.Format.ONLINE,
        online_link="https://meet.example.org/open",
    )
    member = MembershipFactory(community=community).user
    coordinator = ProjectRoleFactory(project=community.project).user
    assert can_view_meeting(UserFactory(), meeting)  # a public meeting of a public community
    assert not can_view_online_link(UserFactory(), meeting)
    assert can_view_online_link(member, meeting) and can_view_online_link(coordinator, meeting)


def test_a_confirmed_participant_of_a_public_community_meeting_gets_the_link():
    from tests.factories import RegistrationFactory

    community = CommunityFactory()
    meeting = MeetingFactory(
        project=community.project,
        community=community,
        format=Meeting.Format.ONLINE,
        online_link="https://meet.example.org/open",
    )
    confirmed = RegistrationFactory(meeting=meeting).user
    waiting = RegistrationFactory(meeting=meeting, waitlisted=True).user
    assert can_view_online_link(confirmed, meeting)
    assert not can_view_online_link(waiting, meeting)
    # A members-only meeting: a registration kept after leaving the community opens nothing.
    members_only = MeetingFactory(
        project=community.project,
        community=community,
        audience=Meeting.Audience.MEMBERS,
        format=Meeting.Format.ONLINE,
        online_link="https://meet.example.org/members",
    )
    former = MembershipFactory(community=community, left=True).user
    RegistrationFactory(meeting=members_only, user=former)
    assert not can_view_online_link(fresh(former), members_only)
    assert not can_view_meeting(fresh(former), members_only)


# --- Admission, records and removal (invitations, the admin, the demo and generated data) ---


def test_an_admitted_person_is_an_active_member_at_once():
    community = community_with(Community.Policy.INVITATION)
    user, inviter = UserFactory(), UserFactory()
    assert not is_active_member(user, community.pk)
    membership = membership_admit(community=community, user=user, role=Membership.Role.MEMBER, admitted_by=inviter)
    stored = Membership.objects.get(community=community, user=user)
    assert (stored.pk, stored.status, stored.role) == (membership.pk, Membership.Status.ACTIVE, Membership.Role.MEMBER)
    assert stored.joined_at is not None and stored.requested_at is not None
    assert is_active_member(user, community.pk)  # the cached memberships were dropped


@pytest.mark.parametrize("state", ["pending", "left"])
def test_admission_lets_a_pending_or_former_member_in_on_the_same_row(state):
    earlier = MembershipFactory(role=Membership.Role.FACILITATOR, **{state: True})
    admitted = membership_admit(
        community=earlier.community, user=earlier.user, role=Membership.Role.MEMBER, admitted_by=None
    )
    stored = Membership.objects.get(pk=earlier.pk)
    assert admitted.pk == earlier.pk
    assert (stored.status, stored.role, stored.left_at) == (Membership.Status.ACTIVE, Membership.Role.MEMBER, None)
    assert stored.joined_at is not None


def test_admission_raises_a_member_to_facilitator_but_never_lowers_one():
    member = MembershipFactory(role=Membership.Role.MEMBER)
    facilitator = MembershipFactory(role=Membership.Role.FACILITATOR)
    membership_admit(community=member.community, user=member.user, role=Membership.Role.FACILITATOR, admitted_by=None)
    membership_admit(
        community=facilitator.community, user=facilitator.user, role=Membership.Role.MEMBER, admitted_by=None
    )
    assert Membership.objects.get(pk=member.pk).role == Membership.Role.FACILITATOR
    assert Membership.objects.get(pk=facilitator.pk).role == Membership.Role.FACILITATOR
    assert is_facilitator(member.user, member.community.pk)


def test_admitting_an_active_member_again_changes_nothing():
    member = MembershipFactory(role=Membership.Role.MEMBER)
    before = Membership.objects.get(pk=member.pk)
    again = membership_admit(
        community=member.community, user=member.user, role=Membership.Role.MEMBER, admitted_by=None
    )
    after = Membership.objects.get(pk=member.pk)
    assert again.pk == member.pk
    assert (after.status, after.role, after.joined_at) == (before.status, before.role, before.joined_at)
    assert Membership.objects.filter(user=member.user).count() == 1


def _record(community, user, **overrides) -> MembershipRecord:
    values = {
        "community": community,
        "user": user,
        "role": Membership.Role.MEMBER,
        "status": Membership.Status.LEFT,
        "requested_at": aware(2025, 3, 1, 9),
        "joined_at": aware(2025, 3, 2, 9),
        "left_at": aware(2025, 9, 30, 17),
    }
    return MembershipRecord(**(values | overrides))


def test_a_recorded_membership_is_stored_as_stated():
    community, user = CommunityFactory(), UserFactory()
    membership = membership_record(record=_record(community, user), recorded_by=UserFactory())
    stored = Membership.objects.get(pk=membership.pk)
    assert (stored.status, stored.joined_at, stored.left_at) == (
        Membership.Status.LEFT,
        aware(2025, 3, 2, 9),
        aware(2025, 9, 30, 17),
    )


def test_a_record_changes_the_given_row_and_leaves_the_object_passed_in():
    earlier = MembershipFactory(pending=True)
    record = _record(earlier.community, earlier.user, status=Membership.Status.ACTIVE, left_at=None)
    changed = membership_record(record=record, recorded_by=None, membership=earlier)
    assert earlier.status == Membership.Status.PENDING
    stored = Membership.objects.get(pk=earlier.pk)
    assert (changed.pk, stored.status, stored.joined_at) == (earlier.pk, Membership.Status.ACTIVE, aware(2025, 3, 2, 9))
    assert Membership.objects.filter(user=earlier.user).count() == 1


def test_a_record_that_breaks_a_rule_writes_nothing():
    existing = MembershipFactory()
    with pytest.raises(ValidationError):
        membership_record(record=_record(existing.community, existing.user), recorded_by=None)
    with pytest.raises(ValidationError):
        membership_record(
            record=_record(CommunityFactory(), existing.user, status=Membership.Status.ACTIVE, joined_at=None),
            recorded_by=None,
        )
    assert Membership.objects.filter(user=existing.user).count() == 1


def test_a_removed_membership_is_gone_and_removing_again_changes_nothing():
    membership = MembershipFactory()
    assert membership_remove(membership=membership, removed_by=None) is True
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert membership_remove(membership=membership, removed_by=None) is False


def test_the_bulk_path_inserts_the_memberships_as_given():
    community = CommunityFactory()
    people = UserFactory.create_batch(2)
    created = memberships_bulk_create(
        records=[
            _record(community, people[0]),
            _record(community, people[1], status=Membership.Status.PENDING, joined_at=None, left_at=None),
        ]
    )
    assert len(created) == 2
    assert set(Membership.objects.filter(community=community).values_list("user", "status")) == {
        (people[0].pk, Membership.Status.LEFT),
        (people[1].pk, Membership.Status.PENDING),
    }
