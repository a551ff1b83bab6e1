"""Writes to memberships, meetings and communities (events/services.py).

Each service checks its permission itself, turns every broken rule of the model into a
ValidationError on the field it is about, and writes nothing when it refuses.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from events.models import Community, Meeting, Membership
from events.services import (
    CommunityDetails,
    MeetingDetails,
    community_create,
    community_update,
    meeting_create,
    meeting_update,
    membership_approve,
    membership_reject,
)
from projects.models import ProjectRole
from projects.validation import integrity_error_as_validation_error
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectFactory,
    ProjectRoleFactory,
    aware,
)
from tests.permission_world import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory(acronym="ALPHA", slug="alpha")


@pytest.fixture
def coordinator(project):
    return ProjectRoleFactory(project=project).user


@pytest.fixture
def community(project):
    return CommunityFactory(project=project, name="CoP Ravenna", slug="cop-ravenna")


@pytest.fixture
def facilitator(community):
    return MembershipFactory(community=community, role=Membership.Role.FACILITATOR).user


@pytest.fixture
def pending(community):
    return MembershipFactory(community=community, pending=True)


def errors_of(excinfo) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in excinfo.value.message_dict.items()}


# --- Approving and rejecting requests to join ---------------------------------------------------


def test_the_coordinator_approves_a_request(pending, coordinator):
    decision = membership_approve(membership=pending, actor=coordinator)
    assert decision.changed
    pending.refresh_from_db()
    assert pending.status == Membership.Status.ACTIVE
    assert pending.joined_at is not None and pending.left_at is None
    assert pending.decided_by == coordinator and pending.decided_at is not None


def test_a_facilitator_rejects_a_request_of_their_community(pending, facilitator):
    decision = membership_reject(membership=pending, actor=facilitator)
    assert decision.changed
    pending.refresh_from_db()
    # Declined without ever having joined; who decided and when is kept.
    assert pending.status == Membership.Status.REJECTED
    assert pending.joined_at is None and pending.left_at is None
    assert pending.decided_by == facilitator and pending.decided_at is not None


@pytest.mark.parametrize("decide", [membership_approve, membership_reject])
def test_deciding_twice_changes_nothing_the_second_time(pending, coordinator, decide):
    first = decide(membership=pending, actor=coordinator)
    stored = Membership.objects.filter(pk=pending.pk).values().get()
    second = decide(membership=pending, actor=coordinator)
    assert first.changed and not second.changed
    assert Membership.objects.filter(pk=pending.pk).values().get() == stored


def test_a_rejected_request_cannot_be_approved_afterwards(pending, coordinator, facilitator):
    membership_reject(membership=pending, actor=facilitator)
    decision = membership_approve(membership=pending, actor=coordinator)
    assert not decision.changed and decision.membership.status == Membership.Status.REJECTED


def test_an_active_membership_is_left_alone(community, coordinator):
    member = MembershipFactory(community=community)
    assert not membership_reject(membership=member, actor=coordinator).changed
    member.refresh_from_db()
    assert member.status == Membership.Status.ACTIVE


@pytest.mark.parametrize(
    "who", ["member", "pending", "partner_staff", "funder", "other_coordinator", "other_facilitator"]
)
@pytest.mark.parametrize("decide", [membership_approve, membership_reject])
def test_only_coordinators_and_facilitators_decide(project, community, pending, who, decide):
    if who == "member":
        actor = MembershipFactory(community=community).user
    elif who == "pending":
        actor = pending.user  # not even their own request
    elif who == "partner_staff":
        actor = ProjectRoleFactory(project=project, partner_staff=True).user
    elif who == "funder":
        actor = ProjectRoleFactory(project=project, role=ProjectRole.Role.FUNDER_OFFICER).user
    elif who == "other_coordinator":
        actor = ProjectRoleFactory().user
    else:  # facilitator of another community of the same project
        other = CommunityFactory(project=project)
        actor = MembershipFactory(community=other, role=Membership.Role.FACILITATOR).user
    with pytest.raises(PermissionDenied):
        decide(membership=pending, actor=actor)
    pending.refresh_from_db()
    assert pending.status == Membership.Status.PENDING


def test_a_facilitator_who_left_no_longer_decides(community, pending):
    former = MembershipFactory(community=community, role=Membership.Role.FACILITATOR, left=True).user
    with pytest.raises(PermissionDenied):
        membership_approve(membership=pending, actor=former)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_simultaneous_decisions_on_one_request_give_one_decision():
    """Real PostgreSQL: while a third transaction holds the row, an approval and a
    rejection both wait for it; then the row lock lets them through one after the other,
    and the second finds the request decided. Without the lock both would read
    "pending" at once and both would report a change."""
    project = ProjectFactory()
    coordinator = ProjectRoleFactory(project=project).user
    pending = MembershipFactory(community=CommunityFactory(project=project), pending=True)
    held, release = threading.Event(), threading.Event()
    outcomes: list[tuple[str, bool]] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                Membership.objects.select_for_update().get(pk=pending.pk)
                held.set()
                release.wait(10)
        finally:
            connection.close()

    def decide(service) -> None:
        try:
            held.wait(10)
            membership = Membership.objects.get(pk=pending.pk)
            decision = service(membership=membership, actor=fresh(coordinator))
            outcomes.append((service.__name__, decision.changed))
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    deciders = [threading.Thread(target=decide, args=(s,)) for s in (membership_approve, membership_reject)]
    for thread in deciders:
        thread.start()
    held.wait(10)
    time.sleep(0.5)  # both deciders are now waiting for the row
    release.set()
    for thread in [holder, *deciders]:
        thread.join(20)

    assert sorted(changed for _, changed in outcomes) == [False, True]
    winner = next(name for name, changed in outcomes if changed)
    expected = Membership.Status.ACTIVE if winner == "membership_approve" else Membership.Status.REJECTED
    assert Membership.objects.get(pk=pending.pk).status == expected


# --- Meetings ------------------------------------------------------------------------------------


def details(**overrides) -> MeetingDetails:
    values = {
        "title": "Spring CoP meeting",
        "kind": Meeting.Kind.COP_MEETING,
        "starts_at": aware(2026, 3, 2, 10),
        "ends_at": aware(2026, 3, 2, 13),
        "timezone": "Europe/Rome",
        "format": Meeting.Format.IN_PERSON,
        "audience": Meeting.Audience.PUBLIC,
        "language": "it",
        "city": "Ravenna",
        "country": "IT",
        "capacity": 30,
        **overrides,
    }
    return MeetingDetails(**values)


def test_the_coordinator_schedules_a_meeting(project, coordinator, community):
    meeting = meeting_create(
        project=project,
        actor=coordinator,
        details=details(community=community, description_de="Frühjahrstreffen", agenda="1. Welcome"),
    )
    meeting.refresh_from_db()
    assert (meeting.project, meeting.community, meeting.title, meeting.capacity) == (
        project,
        community,
        "Spring CoP meeting",
        30,
    )
    assert meeting.description_de == "Frühjahrstreffen" and meeting.status == Meeting.Status.SCHEDULED


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"ends_at": aware(2026, 3, 2, 9)}, "ends_at", "The meeting cannot end before it starts."),
        ({"capacity": 0}, "capacity", "The capacity must be at least 1, or empty for no limit."),
        (
            {"registration_opens_at": aware(2026, 2, 1), "registration_closes_at": aware(2026, 1, 1)},
            "registration_closes_at",
            "Registration cannot close before it opens.",
        ),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "Unknown time zone."),
        ({"audience": Meeting.Audience.MEMBERS}, "audience", "A meeting for community members needs a community."),
        ({"title": ""}, "title", "Give the title in English, in German or in both."),
        ({"kind": "party"}, "kind", "Value 'party' is not a valid choice."),
    ],
)
def test_meeting_rules_come_back_on_their_field(project, coordinator, overrides, field, message):
    with pytest.raises(ValidationError) as excinfo:
        meeting_create(project=project, actor=coordinator, details=details(**overrides))
    assert message in errors_of(excinfo)[field]
    assert not Meeting.objects.exists()


def test_the_same_title_at_the_same_time_is_refused_on_the_title(project, coordinator):
    meeting_create(project=project, actor=coordinator, details=details())
    with pytest.raises(ValidationError) as excinfo:
        meeting_create(project=project, actor=coordinator, details=details())
    assert errors_of(excinfo)["title"] == ["The project already has a meeting with this title at this time."]
    assert Meeting.objects.count() == 1


def test_a_community_of_another_project_is_refused(project, coordinator):
    elsewhere = CommunityFactory()
    with pytest.raises(ValidationError) as excinfo:
        meeting_create(project=project, actor=coordinator, details=details(community=elsewhere))
    assert "community" in excinfo.value.message_dict


@pytest.mark.parametrize("who", ["partner_staff", "funder", "facilitator", "other_coordinator"])
def test_only_coordinators_schedule_from_the_project(project, community, who):
    actor = {
        "partner_staff": lambda: ProjectRoleFactory(project=project, partner_staff=True).user,
        "funder": lambda: ProjectRoleFactory(project=project, role=ProjectRole.Role.FUNDER_OFFICER).user,
        "facilitator": lambda: MembershipFactory(community=community, role=Membership.Role.FACILITATOR).user,
        "other_coordinator": lambda: ProjectRoleFactory().user,
    }[who]()
    with pytest.raises(PermissionDenied):
        meeting_create(project=project, actor=actor, details=details(community=community))
    assert not Meeting.objects.exists()


def test_the_coordinator_changes_and_cancels_a_meeting(project, coordinator):
    meeting = MeetingFactory(project=project, title="Old title")
    saved = meeting_update(
        meeting=meeting,
        actor=coordinator,
        details=details(title="New title", status=Meeting.Status.CANCELLED, capacity=None),
    )
    assert meeting.title == "Old title"  # the object passed in is left as it was
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (saved.title, stored.title, stored.status, stored.capacity) == (
        "New title",
        "New title",
        Meeting.Status.CANCELLED,
        None,
    )


def test_an_invalid_change_writes_nothing(project, coordinator):
    meeting = MeetingFactory(project=project, title="Kept")
    with pytest.raises(ValidationError):
        meeting_update(meeting=meeting, actor=coordinator, details=details(title="Changed", capacity=0))
    assert Meeting.objects.get(pk=meeting.pk).title == "Kept"


def test_a_facilitator_edits_their_meeting_but_cannot_move_it_away(project, community, facilitator):
    meeting = MeetingFactory(project=project, community=community)
    meeting_update(meeting=meeting, actor=facilitator, details=details(community=community, title="Renamed"))
    assert Meeting.objects.get(pk=meeting.pk).title == "Renamed"
    other = CommunityFactory(project=project)
    with pytest.raises(ValidationError) as excinfo:
        meeting_update(meeting=meeting, actor=fresh(facilitator), details=details(community=other))
    assert "community" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        meeting_update(meeting=meeting, actor=fresh(facilitator), details=details(community=None))
    assert Meeting.objects.get(pk=meeting.pk).community == community


def test_others_cannot_edit_a_meeting(project, community):
    meeting = MeetingFactory(project=project, community=community)
    staff = ProjectRoleFactory(project=project, partner_staff=True).user
    member = MembershipFactory(community=community).user
    for actor in (staff, member, ProjectRoleFactory().user):
        with pytest.raises(PermissionDenied):
            meeting_update(meeting=meeting, actor=actor, details=details(title="Hijacked"))
    assert Meeting.objects.get(pk=meeting.pk).title != "Hijacked"


# --- Communities ----------------------------------------------------------------------------------


def community_details(**overrides) -> CommunityDetails:
    values = {
        "name": "CoP Valencia",
        "territory": "Valencia",
        "country": "ES",
        "visibility": Community.Visibility.PUBLIC,
        "membership_policy": Community.Policy.APPROVAL,
        **overrides,
    }
    return CommunityDetails(**values)


def test_the_coordinator_founds_a_community_with_a_slug_from_its_name(project, coordinator):
    community = community_create(
        project=project, actor=coordinator, details=community_details(description_de="Akteure in Valencia")
    )
    community.refresh_from_db()
    assert (community.slug, community.project, community.description_de) == (
        "cop-valencia",
        project,
        "Akteure in Valencia",
    )


def test_a_made_up_slug_avoids_the_ones_taken(project, coordinator):
    CommunityFactory(slug="cop-valencia")
    CommunityFactory(slug="cop-valencia-2")
    community = community_create(project=project, actor=coordinator, details=community_details())
    assert community.slug == "cop-valencia-3"


def test_a_chosen_slug_that_is_taken_is_refused_on_the_slug(project, coordinator):
    CommunityFactory(slug="valencia")
    with pytest.raises(ValidationError) as excinfo:
        community_create(project=project, actor=coordinator, details=community_details(), slug="valencia")
    assert list(excinfo.value.message_dict) == ["slug"]


def test_a_name_without_latin_letters_asks_for_a_slug(project, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        community_create(project=project, actor=coordinator, details=community_details(name="مجتمع"))
    assert list(excinfo.value.message_dict) == ["slug"]
    community = community_create(
        project=project, actor=coordinator, details=community_details(name="مجتمع"), slug="cop-arabic"
    )
    assert community.slug == "cop-arabic"


def test_a_name_the_project_uses_is_refused_on_the_name(project, coordinator, community):
    with pytest.raises(ValidationError) as excinfo:
        community_create(project=project, actor=coordinator, details=community_details(name=community.name))
    assert errors_of(excinfo)["name"] == ["The project already has a community with this name."]


@pytest.mark.parametrize("who", ["facilitator", "partner_staff", "other_coordinator"])
def test_only_coordinators_found_and_change_communities(project, community, facilitator, who):
    actor = {
        "facilitator": facilitator,
        "partner_staff": ProjectRoleFactory(project=project, partner_staff=True).user,
        "other_coordinator": ProjectRoleFactory().user,
    }[who]
    with pytest.raises(PermissionDenied):
        community_create(project=project, actor=actor, details=community_details())
    with pytest.raises(PermissionDenied):
        community_update(community=community, actor=actor, details=community_details(name="Hijacked"))
    assert not Community.objects.filter(name__in=["CoP Valencia", "Hijacked"]).exists()


def test_the_coordinator_changes_a_community_and_its_slug_stays(project, coordinator, community):
    saved = community_update(
        community=community,
        actor=coordinator,
        details=community_details(name="CoP Ravenna-Lugo", membership_policy=Community.Policy.OPEN),
    )
    stored = Community.objects.get(pk=community.pk)
    assert (stored.name, stored.membership_policy, stored.slug) == ("CoP Ravenna-Lugo", "open", "cop-ravenna")
    assert saved.name == "CoP Ravenna-Lugo" and community.name == "CoP Ravenna"


# --- A race lost to a constraint -------------------------------------------------------------------


def test_an_integrity_error_names_the_field_of_its_constraint():
    error = IntegrityError('duplicate key value violates unique constraint "meeting_unique_title_start"')
    converted = integrity_error_as_validation_error(
        error, Meeting, constraint_fields={"meeting_unique_title_start": "title"}
    )
    assert converted.message_dict == {"title": ["The project already has a meeting with this title at this time."]}
    unknown = integrity_error_as_validation_error(IntegrityError("something else"), Meeting, constraint_fields={})
    assert NON_FIELD_ERRORS in unknown.message_dict


def test_a_meeting_saved_by_someone_else_in_between_is_a_validation_error(project, coordinator, monkeypatch):
    """full_clean() passed, then the database refused: the caller still gets a ValidationError."""
    from projects import validation

    monkeypatch.setattr(validation, "full_clean_on_fields", lambda instance, constraint_fields: None)
    MeetingFactory(project=project, title="Spring CoP meeting", starts_at=aware(2026, 3, 2, 10))
    with pytest.raises(ValidationError) as excinfo:
        meeting_create(project=project, actor=coordinator, details=details())
    assert errors_of(excinfo)["title"] == ["The project already has a meeting with this title at this time."]
    assert Meeting.objects.count() == 1


def test_times_are_stored_as_the_moment_given(project, coordinator):
    """Aware datetimes go in and come out unchanged, whatever zone is active."""
    start = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    with timezone.override("America/New_York"):
        meeting = meeting_create(
            project=project, actor=coordinator, details=details(starts_at=start, ends_at=start + dt.timedelta(hours=2))
        )
    assert Meeting.objects.get(pk=meeting.pk).starts_at == start
