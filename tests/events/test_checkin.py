"""Check-in: who may mark a registration attended, which registrations, and idempotence."""

from __future__ import annotations

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError

from events.checkin_codes import SALT, checkin_code, registration_id_from_code
from events.models import Meeting, Registration
from events.permissions import can_check_in
from events.services.checkin import registration_check_in
from projects.models import ProjectRole
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return UserFactory()


@pytest.fixture
def registration(coordinator):
    community = CommunityFactory()
    meeting = MeetingFactory(project=community.project, community=community)
    ProjectRoleFactory(user=coordinator, project=meeting.project)
    return RegistrationFactory(meeting=meeting)


def test_a_coordinator_checks_a_confirmed_person_in(registration, coordinator):
    result = registration_check_in(registration=registration, actor=coordinator)
    assert result.changed
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert registration.checked_in_by == coordinator
    assert registration.attended


def test_checking_in_twice_changes_nothing_the_second_time(registration, coordinator):
    first = registration_check_in(registration=registration, actor=coordinator).registration.checked_in_at
    again = registration_check_in(registration=registration, actor=coordinator)
    assert not again.changed
    registration.refresh_from_db()
    assert registration.checked_in_at == first


def test_the_check_in_can_be_taken_back_idempotently(registration, coordinator):
    registration_check_in(registration=registration, actor=coordinator)
    assert registration_check_in(registration=registration, actor=coordinator, attended=False).changed
    registration.refresh_from_db()
    assert registration.checked_in_at is None and registration.checked_in_by is None
    assert not registration_check_in(registration=registration, actor=coordinator, attended=False).changed


@pytest.mark.parametrize("trait", ["waitlisted", "cancelled"])
def test_only_a_confirmed_registration_is_checked_in(registration, coordinator, trait):
    other = RegistrationFactory(meeting=registration.meeting, **{trait: True})
    with pytest.raises(ValidationError):
        registration_check_in(registration=other, actor=coordinator)
    other.refresh_from_db()
    assert other.checked_in_at is None


def test_nobody_is_checked_in_at_a_cancelled_meeting(registration, coordinator):
    Meeting.objects.filter(pk=registration.meeting_id).update(status=Meeting.Status.CANCELLED)
    with pytest.raises(ValidationError):
        registration_check_in(registration=registration, actor=coordinator)


def test_only_the_projects_coordinators_and_the_admin_may_check_in(registration, coordinator):
    meeting = registration.meeting
    facilitator = MembershipFactory(community=meeting.community, role="facilitator").user
    partner = ProjectRoleFactory(project=meeting.project, partner_staff=True).user
    funder = ProjectRoleFactory(project=meeting.project, role=ProjectRole.Role.FUNDER_OFFICER).user
    other_coordinator = ProjectRoleFactory().user
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert can_check_in(coordinator, meeting)
    assert can_check_in(admin, meeting)
    for user in (registration.user, facilitator, partner, funder, other_coordinator):
        assert not can_check_in(user, meeting)
        with pytest.raises(PermissionDenied):
            registration_check_in(registration=registration, actor=user)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_vanished_registration_says_so(registration, coordinator):
    Registration.objects.filter(pk=registration.pk).delete()
    with pytest.raises(Registration.DoesNotExist):
        registration_check_in(registration=registration, actor=coordinator)


@pytest.mark.django_db
def test_a_registration_always_gets_the_same_code(registration, monkeypatch):
    # No timestamp in the code: the QR code in the e-mail and on the page are one picture,
    # whenever each was made.
    first = checkin_code(registration)
    monkeypatch.setattr(signing.time, "time", lambda: 4_102_444_800.0)  # years later
    assert checkin_code(registration) == first
    assert registration_id_from_code(first) == registration.pk


@pytest.mark.django_db
def test_codes_with_a_timestamp_sent_earlier_still_work(registration):
    earlier = signing.dumps(registration.pk, salt=SALT, compress=False)
    assert registration_id_from_code(earlier) == registration.pk
    assert registration_id_from_code(earlier[:-1] + ("A" if earlier[-1] != "A" else "B")) is None
