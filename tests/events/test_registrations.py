"""Registering for meetings (events/services/registrations.py): the rules and their messages.

The concurrency of the same services is tested in test_registration_race.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events.models import Meeting, Registration
from events.permissions import can_cancel_registration, can_register_for_meeting
from events.selectors.registrations import (
    active_registration,
    consented_participants,
    own_registrations_with_meetings,
    registration_for_page,
)
from events.services import registrations
from events.services.registrations import (
    NOTICE_TASK,
    REGISTERED_TASK,
    RegistrationDetails,
    registration_cancel,
    registration_create,
    registration_move,
    registration_restore,
    waitlist_fill,
)
from outbox.models import Message
from projects.models import ProjectRole
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.outbox_capture import capture

pytestmark = pytest.mark.django_db

DETAILS = RegistrationDetails(
    sector=Registration.Sector.ARTS,
    access_needs="Step-free access",
    interpretation_language="ara",
    access_needs_consent=True,
)


@pytest.fixture(autouse=True, params=["one statement", "under the lock"])
def way(request, monkeypatch) -> str:
    """Every case both ways: PostgreSQL registers in one statement (seat_statement.py), SQLite
    under the lock in Python; the rules must be the same."""
    if request.param == "under the lock":
        monkeypatch.setattr(registrations, "ONE_STATEMENT_VENDORS", frozenset())
    return request.param


@pytest.fixture(autouse=True)
def notices(monkeypatch) -> list[tuple[int, str]]:
    """The notices the services enqueued and that were sent on commit: (registration id, kind)."""
    sent: list[tuple[int, str]] = []
    return capture(monkeypatch, sent, task=NOTICE_TASK, args_only=True)


@pytest.fixture(autouse=True)
def registered(monkeypatch) -> list[tuple[int, int]]:
    """The notices of new registrations sent on commit: (meeting id, person id); the task
    decides on seat or waiting list when it runs (test_emails.py)."""
    sent: list[tuple[int, int]] = []
    return capture(monkeypatch, sent, task=REGISTERED_TASK, args_only=True)


def soon(days: float = 7) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


@pytest.fixture
def project():
    return ProjectFactory()


@pytest.fixture
def coordinator(project):
    return ProjectRoleFactory(project=project).user


def upcoming(project, **kwargs) -> Meeting:
    kwargs.setdefault("starts_at", soon())
    return MeetingFactory(project=project, **kwargs)


def register(meeting, user=None, details=DETAILS):
    return registration_create(meeting=meeting, user=user or UserFactory(), details=details)


def errors(excinfo) -> list[str]:
    return [str(message) for message in excinfo.value.messages]


# --- Registering -------------------------------------------------------------------------


def test_a_free_seat_confirms_with_the_details(project, django_capture_on_commit_callbacks, notices, registered):
    meeting = upcoming(project, capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        result = register(meeting)
    registration = Registration.objects.get()
    assert result.registration == registration and result.confirmed and result.position is None
    assert (registration.sector, registration.access_needs, registration.interpretation_language) == (
        "arts",
        "Step-free access",
        "ara",
    )
    assert registration.consent_to_list is False  # not on the participant list unless asked
    assert (notices, registered) == ([], [(meeting.pk, registration.user_id)])


def test_a_full_meeting_puts_people_on_the_waitlist_in_order(
    project, django_capture_on_commit_callbacks, notices, registered
):
    meeting = upcoming(project, capacity=1)
    register(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        second = register(meeting)
    third = register(meeting)
    assert second.waitlisted and second.position == 1
    assert third.waitlisted and third.position == 2
    assert (notices, registered) == ([], [(meeting.pk, second.registration.user_id)])


def test_a_meeting_without_a_limit_always_confirms(project):
    meeting = upcoming(project, capacity=None)
    assert all(register(meeting).confirmed for _ in range(5))


def test_full_without_waitlist_gives_a_clear_message(project):
    meeting = upcoming(project, capacity=1, waitlist_enabled=False)
    register(meeting)
    with pytest.raises(ValidationError) as excinfo:
        register(meeting)
    assert errors(excinfo) == ["This meeting is full and has no waiting list."]
    assert Registration.objects.count() == 1


def test_registering_twice_gives_a_message_and_no_duplicate(project):
    meeting = upcoming(project)
    user = UserFactory()
    register(meeting, user)
    with pytest.raises(ValidationError) as excinfo:
        register(meeting, user)
    assert errors(excinfo) == ["You are already registered for this meeting."]
    assert Registration.objects.filter(user=user).count() == 1


def test_the_constraint_backs_the_duplicate_rule(project, monkeypatch, way):
    """Should a second request get past the check, the database refuses, with the same message."""
    if way == "one statement":
        pytest.skip("the statement counts the person's registrations itself; the blind check is Python's")
    meeting = upcoming(project)
    user = UserFactory()
    register(meeting, user)
    counted = registrations.line_state

    def blind(meeting, **kwargs):
        state = counted(meeting, **kwargs)
        assert state.already_registered  # what the check would have seen
        return registrations.LineState(confirmed=state.confirmed, waiting=state.waiting)

    monkeypatch.setattr(registrations, "line_state", blind)
    with pytest.raises(ValidationError) as excinfo:
        register(meeting, user)
    assert errors(excinfo) == ["You are already registered for this meeting."]
    assert excinfo.value.__cause__.__class__.__name__ == "IntegrityError"
    assert Registration.objects.filter(user=user).count() == 1


def test_re_registering_after_a_cancellation_makes_a_new_row(project):
    meeting = upcoming(project)
    user = UserFactory()
    first = register(meeting, user).registration
    registration_cancel(registration=first, actor=user)
    second = register(meeting, user).registration
    assert second.pk != first.pk and second.status == Registration.Status.CONFIRMED
    first.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED


@pytest.mark.parametrize(
    "meeting_kwargs, message",
    [
        ({"status": Meeting.Status.CANCELLED}, "This meeting has been cancelled."),
        (
            {"starts_at": timezone.now() - dt.timedelta(days=2)},
            "This meeting has already started or taken place; registration is closed.",
        ),
        ({"registration_opens_at": timezone.now() + dt.timedelta(days=1)}, "Registration opens on"),
        ({"registration_closes_at": timezone.now() - dt.timedelta(hours=1)}, "Registration closed on"),
    ],
)
def test_closed_meetings_give_a_clear_message(project, meeting_kwargs, message):
    meeting = upcoming(project, **meeting_kwargs)
    with pytest.raises(ValidationError) as excinfo:
        register(meeting)
    assert errors(excinfo)[0].startswith(message)
    assert not Registration.objects.exists()
    assert not Message.objects.exists()  # nor its notice


def test_a_line_that_keeps_changing_asks_to_try_again(project, monkeypatch, way):
    """The statement refused, yet afresh no rule does (a seat freed in between): one more
    try, then a message rather than a wrong reason."""
    if way == "under the lock":
        pytest.skip("the Python path decides under the lock and explains itself")
    monkeypatch.setattr(registrations.seat_statement, "place_in_line", lambda **kwargs: None)
    with pytest.raises(ValidationError) as excinfo:
        register(upcoming(project))
    assert excinfo.value.code == "busy"
    assert not Registration.objects.exists() and not Message.objects.exists()


def test_an_open_window_lets_people_in(project):
    now = timezone.now()
    meeting = upcoming(
        project, registration_opens_at=now - dt.timedelta(days=1), registration_closes_at=now + dt.timedelta(days=1)
    )
    assert register(meeting).confirmed


# --- The audience ----------------------------------------------------------------------------


def test_partner_meetings_are_for_the_project_insiders(project, coordinator):
    meeting = upcoming(project, audience=Meeting.Audience.PARTNERS)
    staff = ProjectRoleFactory(project=project, partner_staff=True).user
    funder = ProjectRoleFactory(project=project, role=ProjectRole.Role.FUNDER_OFFICER).user
    assert register(meeting, staff).confirmed
    assert register(meeting, coordinator).confirmed
    with pytest.raises(ValidationError) as excinfo:
        register(meeting, funder)  # sees the meeting's figures, is not a partner
    assert errors(excinfo) == ["This meeting is for the project's partners only."]
    with pytest.raises(PermissionDenied):
        register(meeting, UserFactory())  # may not even see it


def test_members_meetings_are_for_active_members(project):
    community = CommunityFactory(project=project)
    meeting = upcoming(project, community=community, audience=Meeting.Audience.MEMBERS)
    member = MembershipFactory(community=community).user
    pending = MembershipFactory(community=community, pending=True).user
    former = MembershipFactory(community=community, left=True).user
    assert register(meeting, member).confirmed
    for outsider in (pending, former, UserFactory()):
        with pytest.raises(PermissionDenied):
            register(meeting, outsider)
    assert Registration.objects.count() == 1


def test_the_audience_permission(project):
    community = CommunityFactory(project=project)
    public = upcoming(project)
    members_only = upcoming(project, community=community, audience=Meeting.Audience.MEMBERS)
    member = MembershipFactory(community=community).user
    from django.contrib.auth.models import AnonymousUser

    assert not can_register_for_meeting(AnonymousUser(), public)
    assert can_register_for_meeting(UserFactory(), public)
    assert can_register_for_meeting(member, members_only)
    assert not can_register_for_meeting(UserFactory(), members_only)
    assert not can_register_for_meeting(UserFactory(is_active=False), public)


# --- Cancelling and promotion ----------------------------------------------------------------


def test_cancelling_promotes_the_first_in_line(project, django_capture_on_commit_callbacks, notices):
    meeting = upcoming(project, capacity=1)
    holder = UserFactory()
    held = register(meeting, holder).registration
    first_waiting = register(meeting).registration
    second_waiting = register(meeting).registration
    with django_capture_on_commit_callbacks(execute=True):
        result = registration_cancel(registration=held, actor=holder)
    assert [r.pk for r in result.promoted] == [first_waiting.pk]
    held.refresh_from_db(), first_waiting.refresh_from_db(), second_waiting.refresh_from_db()
    assert held.status == Registration.Status.CANCELLED
    assert held.cancelled_by == holder and held.cancelled_at is not None
    assert first_waiting.status == Registration.Status.CONFIRMED
    assert second_waiting.status == Registration.Status.WAITLISTED
    assert registration_for_page(second_waiting.pk).waitlist_position == 1
    # Both are told: the person who cancelled and the person who got the seat.
    assert notices == [(held.pk, "cancelled"), (first_waiting.pk, "promoted")]


def test_cancelling_a_waitlisted_registration_promotes_nobody(project):
    meeting = upcoming(project, capacity=1)
    register(meeting)
    user = UserFactory()
    waiting = register(meeting, user).registration
    behind = register(meeting).registration
    assert registration_cancel(registration=waiting, actor=user).promoted == []
    assert registration_for_page(behind.pk).waitlist_position == 1


def test_an_attendee_cannot_cancel_after_the_start(project):
    meeting = upcoming(project)
    user = UserFactory()
    registration = RegistrationFactory(meeting=meeting, user=user)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    registration.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        registration_cancel(registration=registration, actor=user)
    assert "can no longer be cancelled" in errors(excinfo)[0]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_a_coordinator_cancels_at_any_time(project, coordinator):
    meeting = upcoming(project, starts_at=timezone.now() - dt.timedelta(minutes=30))
    registration = RegistrationFactory(meeting=meeting)
    result = registration_cancel(registration=registration, actor=coordinator)
    assert result.registration.status == Registration.Status.CANCELLED
    assert result.registration.cancelled_by == coordinator


def test_a_checked_in_registration_is_not_cancelled_as_a_side_effect(project, coordinator):
    """Attendance is evidence: cancelling refuses until the check-in is undone, and writes nothing."""
    meeting = upcoming(project)
    user = UserFactory()
    registration = register(meeting, user).registration
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=timezone.now(), checked_in_by=coordinator)
    for actor in (user, coordinator):
        with pytest.raises(ValidationError) as excinfo:
            registration_cancel(registration=registration, actor=actor)
        assert errors(excinfo) == [
            "This person has already been checked in. Undo the check-in first to cancel the registration."
        ]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED and registration.checked_in_at is not None


def test_nobody_else_cancels(project):
    meeting = upcoming(project)
    registration = RegistrationFactory(meeting=meeting)
    other_coordinator = ProjectRoleFactory().user
    funder = ProjectRoleFactory(project=project, role=ProjectRole.Role.FUNDER_OFFICER).user
    for actor in (UserFactory(), other_coordinator, funder):
        with pytest.raises(PermissionDenied):
            registration_cancel(registration=registration, actor=actor)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_cancelling_twice_says_so(project):
    meeting = upcoming(project)
    user = UserFactory()
    registration = register(meeting, user).registration
    registration_cancel(registration=registration, actor=user)
    with pytest.raises(ValidationError) as excinfo:
        registration_cancel(registration=registration, actor=user)
    assert errors(excinfo) == ["This registration is already cancelled."]


def test_the_cancel_permission(project, coordinator):
    meeting = upcoming(project)
    registration = RegistrationFactory(meeting=meeting)
    assert can_cancel_registration(registration.user, registration)
    assert can_cancel_registration(coordinator, registration)
    assert not can_cancel_registration(UserFactory(), registration)
    assert not can_cancel_registration(registration.user, registration, now=meeting.starts_at)
    assert can_cancel_registration(coordinator, registration, now=meeting.starts_at)


# --- Restoring and moving (coordinators) ------------------------------------------------------


def test_restoring_joins_the_end_of_the_line(project, coordinator):
    meeting = upcoming(project, capacity=1)
    user = UserFactory()
    held = register(meeting, user).registration
    registration_cancel(registration=held, actor=user)  # nobody waiting: the seat stays free
    result = registration_restore(registration=held, actor=coordinator)
    assert result.confirmed and result.registration.cancelled_at is None

    registration_cancel(registration=held, actor=coordinator)
    taker = register(meeting).registration
    waiting = register(meeting).registration
    result = registration_restore(registration=held, actor=coordinator)
    assert result.waitlisted and result.position == 2
    assert registration_for_page(waiting.pk).waitlist_position == 1
    assert taker.status == Registration.Status.CONFIRMED


def test_restore_refusals(project, coordinator):
    meeting = upcoming(project, capacity=1, waitlist_enabled=False)
    user = UserFactory()
    registration = register(meeting, user).registration
    with pytest.raises(PermissionDenied):
        registration_restore(registration=registration, actor=user)
    with pytest.raises(ValidationError, match="Only a cancelled registration"):
        registration_restore(registration=registration, actor=coordinator)
    registration_cancel(registration=registration, actor=user)
    register(meeting)
    with pytest.raises(ValidationError, match="full and has no waiting list"):
        registration_restore(registration=registration, actor=coordinator)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_moving_frees_the_seat_and_joins_the_end_of_the_other_line(
    project, coordinator, notices, django_capture_on_commit_callbacks
):
    source = upcoming(project, capacity=1)
    target = upcoming(project, capacity=1, title="Second date")
    moved = register(source).registration
    waiting_here = register(source).registration
    taken_there = register(target).registration
    with django_capture_on_commit_callbacks(execute=True):
        result = registration_move(registration=moved, actor=coordinator, to_meeting=target)
    moved.refresh_from_db(), waiting_here.refresh_from_db(), taken_there.refresh_from_db()
    assert moved.meeting == target and moved.status == Registration.Status.WAITLISTED and result.position == 1
    assert waiting_here.status == Registration.Status.CONFIRMED
    assert [r.pk for r in result.promoted] == [waiting_here.pk]
    assert taken_there.status == Registration.Status.CONFIRMED
    assert notices == [(moved.pk, "waitlisted"), (waiting_here.pk, "promoted")]


def test_move_refusals(project, coordinator):
    source = upcoming(project)
    elsewhere = upcoming(ProjectFactory())
    registration = register(source).registration
    with pytest.raises(ValidationError, match="same project"):
        registration_move(
            registration=registration, actor=_coordinator_of_both(project, elsewhere.project), to_meeting=elsewhere
        )
    with pytest.raises(PermissionDenied):
        registration_move(registration=registration, actor=registration.user, to_meeting=upcoming(project))
    target = upcoming(project, title="Second date")
    register(target, registration.user)
    with pytest.raises(ValidationError, match="already registered for the other meeting"):
        registration_move(registration=registration, actor=coordinator, to_meeting=target)
    registration.refresh_from_db()
    assert registration.meeting == source


def _coordinator_of_both(first, second):
    user = ProjectRoleFactory(project=first).user
    ProjectRoleFactory(project=second, user=user)
    return user


# --- Filling seats ---------------------------------------------------------------------------


def test_waitlist_fill_promotes_as_many_as_seats_are_free(project):
    meeting = upcoming(project, capacity=1)
    register(meeting)
    waiting = [register(meeting).registration for _ in range(4)]
    Meeting.objects.filter(pk=meeting.pk).update(capacity=3)
    promoted = waitlist_fill(meeting=meeting)
    assert [r.pk for r in promoted] == [w.pk for w in waiting[:2]]
    assert [registration_for_page(w.pk).waitlist_position for w in waiting[2:]] == [1, 2]
    assert waitlist_fill(meeting=meeting) == []


def test_a_cancelled_meeting_promotes_nobody(project):
    meeting = upcoming(project, capacity=1)
    user = UserFactory()
    held = register(meeting, user).registration
    register(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    assert registration_cancel(registration=held, actor=user).promoted == []


# --- Selectors -------------------------------------------------------------------------------


def test_selectors(project):
    meeting = upcoming(project, capacity=1)
    user = UserFactory()
    register(meeting)
    mine = register(meeting, user).registration
    assert active_registration(user, meeting).waitlist_position == 1
    assert [r.pk for r in own_registrations_with_meetings(user)] == [mine.pk]
    listed = RegistrationFactory(meeting=upcoming(project), consent_to_list=True)
    RegistrationFactory(meeting=listed.meeting, consent_to_list=False)
    RegistrationFactory(meeting=listed.meeting, consent_to_list=True, waitlisted=True)
    assert list(consented_participants(listed.meeting)) == [listed]
