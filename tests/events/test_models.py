"""The meeting's own validation, and what a registration derives."""

import pytest
from django.core.exceptions import ValidationError

from events.models import Meeting
from tests.factories import CommunityFactory, MeetingFactory, ProjectFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def clean_errors(meeting: Meeting) -> set[str]:
    """The fields Meeting.clean() complains about (empty when it accepts the meeting)."""
    try:
        meeting.clean()
    except ValidationError as error:
        return set(error.message_dict)
    return set()


def test_meeting_clean_accepts_the_factory_meeting():
    assert clean_errors(MeetingFactory.build(project=ProjectFactory())) == set()


def test_meeting_clean_refuses_a_community_of_another_project():
    project = ProjectFactory()
    meeting = MeetingFactory.build(project=project, community=CommunityFactory())
    assert clean_errors(meeting) == {"community"}


def test_meeting_clean_accepts_a_community_of_its_own_project():
    community = CommunityFactory()
    meeting = MeetingFactory.build(project=community.project, community=community)
    assert clean_errors(meeting) == set()


@pytest.mark.parametrize("name", ["Europe/Atlantis", "CET+1", "europe/berlin", "", "Berlin"])
def test_meeting_clean_refuses_an_unknown_time_zone(name):
    meeting = MeetingFactory.build(project=ProjectFactory(), timezone=name)
    assert clean_errors(meeting) == {"timezone"}


@pytest.mark.parametrize("name", ["Europe/Berlin", "Europe/Rome", "Europe/Lisbon", "Atlantic/Canary", "UTC"])
def test_meeting_clean_accepts_a_known_time_zone(name):
    meeting = MeetingFactory.build(project=ProjectFactory(), timezone=name)
    assert clean_errors(meeting) == set()


def test_meeting_clean_refuses_a_members_meeting_without_a_community():
    meeting = MeetingFactory.build(project=ProjectFactory(), audience=Meeting.Audience.MEMBERS)
    assert clean_errors(meeting) == {"audience"}


def test_meeting_clean_accepts_a_members_meeting_with_a_community():
    community = CommunityFactory()
    meeting = MeetingFactory.build(project=community.project, community=community, audience=Meeting.Audience.MEMBERS)
    assert clean_errors(meeting) == set()


@pytest.mark.parametrize("audience", [Meeting.Audience.PUBLIC, Meeting.Audience.PARTNERS])
def test_meeting_clean_accepts_other_audiences_without_a_community(audience):
    meeting = MeetingFactory.build(project=ProjectFactory(), audience=audience)
    assert clean_errors(meeting) == set()


def test_meeting_clean_reports_all_problems_at_once():
    meeting = MeetingFactory.build(
        project=ProjectFactory(),
        community=CommunityFactory(),
        timezone="Mars/Olympus_Mons",
    )
    assert clean_errors(meeting) == {"community", "timezone"}


def test_meeting_full_clean_runs_clean():
    meeting = MeetingFactory.build(project=ProjectFactory(), audience=Meeting.Audience.MEMBERS)
    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean()
    assert "audience" in excinfo.value.message_dict


def test_registration_attended_only_after_check_in():
    registration = RegistrationFactory()
    assert registration.attended is False
    registration.checked_in_at = registration.meeting.starts_at
    assert registration.attended is True
    assert RegistrationFactory(checked_in=True).attended is True


@pytest.mark.parametrize("traits", [{"waitlisted": True}, {"cancelled": True}])
def test_registration_not_attended_when_not_checked_in(traits):
    assert RegistrationFactory(**traits).attended is False
