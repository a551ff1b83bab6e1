"""The database itself refuses bad communities, memberships, meetings and registrations.

Rows are written with ``objects.create()`` (the factories), ``bulk_create()`` or
``update()``, never through ``full_clean()``, so only the database decides.
"""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection, transaction

from events.models import Community, Meeting, Membership, Registration
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectFactory,
    RegistrationFactory,
    UserFactory,
    aware,
)

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
CANCELLED_AT = aware(2025, 5, 10, 8)
CHECKED_IN_AT = aware(2025, 5, 14, 9, 45)


@contextmanager
def refused(model, constraint: str):
    """The block must fail with an IntegrityError from ``constraint`` and leave no row behind."""
    before = model.objects.count()
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        yield
    message = str(excinfo.value)
    # SQLite names the columns of a violated unique index, not the index.
    if not (connection.vendor == "sqlite" and message.startswith("UNIQUE constraint failed")):
        assert constraint in message
    assert model.objects.count() == before


# Community ------------------------------------------------------------------------------


def test_community_name_unique_per_project():
    community = CommunityFactory(name="CoP Dietzenbach")
    with refused(Community, "community_unique_name_per_project"):
        CommunityFactory(project=community.project, name="CoP Dietzenbach")


def test_community_same_name_in_another_project_is_fine():
    CommunityFactory(name="CoP Ravenna")
    CommunityFactory(name="CoP Ravenna")
    assert Community.objects.filter(name="CoP Ravenna").count() == 2


def test_community_slug_unique():
    CommunityFactory(slug="cop-gent")
    with refused(Community, "events_community_slug"):
        CommunityFactory(slug="cop-gent")


@pytest.mark.parametrize(
    "fields, constraint",
    [
        ({"visibility": "secret"}, "community_visibility_valid"),
        ({"membership_policy": "closed"}, "community_policy_valid"),
        ({"name": "", "name_de": ""}, "community_name_given"),
    ],
)
def test_community_bad_values_are_refused(fields, constraint):
    project = ProjectFactory()
    with refused(Community, constraint):
        CommunityFactory(project=project, **fields)


# Membership -----------------------------------------------------------------------------


def test_membership_unique_per_user_and_community():
    membership = MembershipFactory()
    with refused(Membership, "membership_unique_user"):
        MembershipFactory(community=membership.community, user=membership.user, pending=True)


def test_membership_same_user_in_two_communities_is_fine():
    user = UserFactory()
    MembershipFactory(user=user)
    MembershipFactory(user=user)
    assert user.memberships.count() == 2


@pytest.mark.parametrize(
    "fields, constraint",
    [
        ({"role": "admin"}, "membership_role_valid"),
        ({"status": "banned"}, "membership_status_valid"),
        ({"status": "active", "joined_at": None}, "membership_active_has_joined_at"),
        ({"status": "left", "left_at": None}, "membership_left_has_left_at"),
    ],
)
def test_membership_bad_values_are_refused(fields, constraint):
    community, user = CommunityFactory(), UserFactory()
    with refused(Membership, constraint):
        MembershipFactory(community=community, user=user, **fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "pending", "joined_at": None, "left_at": None},
        {"status": "active", "joined_at": aware(2025, 3, 1, 18)},
        {"status": "left", "joined_at": aware(2025, 3, 1, 18), "left_at": aware(2025, 9, 1, 18)},
        # Somebody who left before being accepted has no joined_at.
        {"status": "left", "joined_at": None, "left_at": aware(2025, 9, 1, 18)},
    ],
)
def test_membership_valid_states_are_accepted(fields):
    assert MembershipFactory(**fields).pk


def test_membership_activating_without_joined_at_by_update_is_refused():
    membership = MembershipFactory(pending=True)
    with refused(Membership, "membership_active_has_joined_at"):
        Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.ACTIVE)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING


# Meeting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields, constraint",
    [
        (
            {"starts_at": aware(2025, 5, 14, 10), "ends_at": aware(2025, 5, 14, 9, 59)},
            "meeting_end_after_start",
        ),
        ({"capacity": 0}, "meeting_capacity_positive"),
        (
            {"registration_opens_at": aware(2025, 5, 1), "registration_closes_at": aware(2025, 4, 30)},
            "meeting_registration_window_ordered",
        ),
        ({"kind": "party"}, "meeting_kind_valid"),
        ({"format": "radio"}, "meeting_format_valid"),
        ({"audience": "everyone"}, "meeting_audience_valid"),
        ({"status": "postponed"}, "meeting_status_valid"),
    ],
)
def test_meeting_bad_values_are_refused(fields, constraint):
    project = ProjectFactory()
    with refused(Meeting, constraint):
        MeetingFactory(project=project, **fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"starts_at": aware(2025, 5, 14, 10), "ends_at": aware(2025, 5, 14, 10)},
        {"capacity": None},  # no limit
        {"capacity": 1},
        {"registration_opens_at": aware(2025, 5, 1), "registration_closes_at": aware(2025, 5, 1)},
        {"registration_opens_at": None, "registration_closes_at": aware(2025, 5, 13)},
        {"registration_opens_at": aware(2025, 4, 1), "registration_closes_at": None},
    ],
)
def test_meeting_edge_values_are_accepted(fields):
    assert MeetingFactory(**fields).pk


@pytest.mark.parametrize(
    "field, value",
    [
        ("kind", Meeting.Kind.values),
        ("format", Meeting.Format.values),
        ("audience", [Meeting.Audience.PUBLIC, Meeting.Audience.PARTNERS]),
        ("status", Meeting.Status.values),
    ],
)
def test_meeting_every_choice_is_accepted(field, value):
    project = ProjectFactory()
    for choice in value:
        MeetingFactory(project=project, **{field: choice})
    assert project.meetings.count() == len(value)


def test_meeting_members_audience_with_a_community_is_accepted():
    community = CommunityFactory()
    assert MeetingFactory(project=community.project, community=community, audience="members").pk


def test_meeting_capacity_set_to_zero_by_update_is_refused():
    meeting = MeetingFactory(capacity=25)
    with refused(Meeting, "meeting_capacity_positive"):
        Meeting.objects.filter(pk=meeting.pk).update(capacity=0)
    meeting.refresh_from_db()
    assert meeting.capacity == 25


def test_meeting_title_unique_per_project_and_start():
    meeting = MeetingFactory(title="Quarterly CoP meeting")
    with refused(Meeting, "meeting_unique_title_start"):
        MeetingFactory(project=meeting.project, title="Quarterly CoP meeting", starts_at=meeting.starts_at)


def test_meeting_same_title_at_another_time_is_fine():
    meeting = MeetingFactory(title="Quarterly CoP meeting")
    MeetingFactory(project=meeting.project, title="Quarterly CoP meeting", starts_at=meeting.starts_at + 24 * HOUR)
    assert meeting.project.meetings.count() == 2


# Registration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first, second",
    [
        ("confirmed", "confirmed"),
        ("confirmed", "waitlisted"),
        ("waitlisted", "confirmed"),
        ("waitlisted", "waitlisted"),
    ],
)
def test_registration_at_most_one_active_per_user_and_meeting(first, second):
    registration = RegistrationFactory(status=first)
    with refused(Registration, "registration_one_active_per_user"):
        RegistrationFactory(meeting=registration.meeting, user=registration.user, status=second)


def test_registration_again_after_a_cancellation_is_fine():
    cancelled = RegistrationFactory(cancelled=True)
    again = RegistrationFactory(meeting=cancelled.meeting, user=cancelled.user)
    assert again.status == Registration.Status.CONFIRMED
    assert cancelled.meeting.registrations.filter(user=cancelled.user).count() == 2


def test_registration_cancelling_several_times_keeps_the_history():
    meeting, user = MeetingFactory(), UserFactory()
    RegistrationFactory(meeting=meeting, user=user, cancelled=True)
    RegistrationFactory(meeting=meeting, user=user, cancelled=True)
    RegistrationFactory(meeting=meeting, user=user, waitlisted=True)
    assert meeting.registrations.filter(user=user).count() == 3


def test_registration_other_people_and_other_meetings_are_independent():
    meeting, user = MeetingFactory(), UserFactory()
    RegistrationFactory(meeting=meeting, user=user)
    RegistrationFactory(meeting=meeting)
    RegistrationFactory(user=user)
    assert Registration.objects.count() == 3


def test_registration_reviving_a_cancelled_one_beside_an_active_one_is_refused():
    cancelled = RegistrationFactory(cancelled=True)
    RegistrationFactory(meeting=cancelled.meeting, user=cancelled.user)
    with refused(Registration, "registration_one_active_per_user"):
        Registration.objects.filter(pk=cancelled.pk).update(status="confirmed", cancelled_at=None)


def test_registration_two_active_rows_in_one_bulk_create_are_refused():
    meeting, user = MeetingFactory(), UserFactory()
    with refused(Registration, "registration_one_active_per_user"):
        Registration.objects.bulk_create(
            [
                Registration(meeting=meeting, user=user, status="confirmed"),
                Registration(meeting=meeting, user=user, status="waitlisted"),
            ]
        )


@pytest.mark.parametrize(
    "fields, constraint",
    [
        ({"status": "pending"}, "registration_status_valid"),
        ({"sector": "military"}, "registration_sector_valid"),
        ({"status": "cancelled", "cancelled_at": None}, "registration_cancelled_at_matches_status"),
        ({"status": "confirmed", "cancelled_at": CANCELLED_AT}, "registration_cancelled_at_matches_status"),
        ({"status": "waitlisted", "cancelled_at": CANCELLED_AT}, "registration_cancelled_at_matches_status"),
        ({"status": "waitlisted", "checked_in_at": CHECKED_IN_AT}, "registration_only_confirmed_check_in"),
        (
            {"status": "cancelled", "cancelled_at": CANCELLED_AT, "checked_in_at": CHECKED_IN_AT},
            "registration_only_confirmed_check_in",
        ),
    ],
)
def test_registration_bad_values_are_refused(fields, constraint):
    meeting, user = MeetingFactory(), UserFactory()
    with refused(Registration, constraint):
        RegistrationFactory(meeting=meeting, user=user, **fields)


@pytest.mark.parametrize(
    "traits",
    [{}, {"waitlisted": True}, {"cancelled": True}, {"checked_in": True}],
)
def test_registration_valid_states_are_accepted(traits):
    assert RegistrationFactory(**traits).pk


def test_registration_cancelling_without_a_time_by_update_is_refused():
    registration = RegistrationFactory()
    with refused(Registration, "registration_cancelled_at_matches_status"):
        Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CANCELLED)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_registration_checking_in_a_waitlisted_person_by_update_is_refused():
    registration = RegistrationFactory(waitlisted=True)
    with refused(Registration, "registration_only_confirmed_check_in"):
        Registration.objects.filter(pk=registration.pk).update(checked_in_at=CHECKED_IN_AT)


def test_refused_registrations_leave_nothing_behind_and_the_test_goes_on():
    registration = RegistrationFactory()
    meeting, user = registration.meeting, registration.user
    bad_rows = [
        lambda: RegistrationFactory(meeting=meeting, user=user),
        lambda: RegistrationFactory(meeting=meeting, user=user, waitlisted=True),
        lambda: RegistrationFactory(meeting=meeting, status="cancelled"),
        lambda: RegistrationFactory(meeting=meeting, waitlisted=True, checked_in=True),
    ]
    for write in bad_rows:
        with pytest.raises(IntegrityError), transaction.atomic():
            write()
        assert list(meeting.registrations.all()) == [registration]
    # The surrounding transaction is still usable: cancel, then register again.
    Registration.objects.filter(pk=registration.pk).update(status="cancelled", cancelled_at=CANCELLED_AT)
    RegistrationFactory(meeting=meeting, user=user)
    assert meeting.registrations.filter(user=user).count() == 2
