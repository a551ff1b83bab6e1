"""The change log's API (audit/changes.py), its selectors and its retention.

Entries are written by the domain's services (checked here for a few) and the admin
(tests/portal/test_changelog.py); nothing is written by signals.
"""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import AnonymousUser

from audit.changes import ChangeAction, change_record, changed_values, create_record, snapshot, update_record
from audit.retention import audit_retention_ends, change_entries_purge, years_after
from audit.selectors import project_change_types, project_changes
from events.models import Meeting, Membership, Registration
from events.services.checkin import registration_check_in
from events.services.meetings import MeetingDetails, meeting_update
from events.services.memberships import membership_approve
from events.services.registrations import registration_cancel
from portal.changelog.retention import change_log_purge
from projects.models import ProjectRole
from projects.services import project_role_grant, project_role_revoke
from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def entries_of(instance) -> list[LogEntry]:
    return list(LogEntry.objects.filter(object_pk=str(instance.pk)).order_by("id"))


# --- Snapshots and entries ------------------------------------------------------------------


def test_a_snapshot_names_foreign_keys_with_label_and_id_and_dates_in_iso():
    lead = OrganisationFactory(name="Xenia Integration Office")
    deliverable = DeliverableFactory(lead_organisation=lead, due_date=dt.date(2026, 3, 31))
    values = snapshot(deliverable)
    assert values["lead_organisation"] == f"{lead} (#{lead.pk})"
    assert values["due_date"] == "2026-03-31"
    assert "id" not in values
    # Set by Django on every save: noise in a history, so left out.
    assert "updated_at" not in values


def test_a_snapshot_leaves_out_secrets_and_access_needs():
    registration = RegistrationFactory(access_needs="wheelchair access")
    assert "access_needs" not in snapshot(registration)
    assert set(snapshot(registration, fields=["status", "access_needs"])) == {"status"}


def test_changed_values_keep_only_what_differs():
    assert changed_values({"a": 1, "b": "x"}, {"a": 2, "b": "x"}) == {"a": [1, 2]}
    assert changed_values(None, {"a": 1}) == {"a": [None, 1]}
    assert changed_values({"a": 1}, None) == {"a": [1, None]}


def test_an_entry_records_who_when_what_and_old_and_new_values():
    meeting = MeetingFactory(title="Spring meeting")
    coordinator = UserFactory(email="coord@example.org")
    before = snapshot(meeting)
    meeting.title = "Summer meeting"
    meeting.save()

    entry = update_record(
        actor=coordinator, instance=meeting, before=before, project_id=meeting.project_id, scope={"meeting_id": 7}
    )

    entry.refresh_from_db()
    assert entry.action == LogEntry.Action.UPDATE
    assert (entry.actor, entry.actor_email) == (coordinator, "coord@example.org")
    assert entry.changes == {"title": ["Spring meeting", "Summer meeting"]}
    assert entry.object_pk == str(meeting.pk) and entry.object_id == meeting.pk
    assert entry.content_type.model_class() is Meeting
    assert entry.additional_data == {"project_id": meeting.project_id, "meeting_id": 7}
    assert entry.timestamp is not None


def test_an_update_that_changes_nothing_is_not_recorded():
    meeting = MeetingFactory()
    assert update_record(actor=None, instance=meeting, before=snapshot(meeting), project_id=None) is None
    assert not LogEntry.objects.exists()


def test_a_creation_lists_every_field_and_an_anonymous_actor_is_nobody():
    meeting = MeetingFactory(title="New meeting")
    entry = create_record(actor=AnonymousUser(), instance=meeting, project_id=None)
    assert entry.actor is None and entry.actor_email is None
    assert entry.changes["title"] == [None, "New meeting"]
    assert entry.additional_data is None


def test_a_deletion_keeps_the_last_values_and_the_key():
    meeting = MeetingFactory(title="Gone")
    pk, before = meeting.pk, snapshot(meeting)
    meeting.delete()
    entry = change_record(
        actor=None,
        instance=meeting,
        action=ChangeAction.DELETE,
        before=before,
        after=None,
        project_id=1,
        object_pk=pk,
    )
    assert entry.object_pk == str(pk)
    assert entry.changes["title"] == ["Gone", None]


# --- The single write paths record their changes --------------------------------------------


def meeting_details(meeting: Meeting, **changes) -> MeetingDetails:
    values = {name: getattr(meeting, name) for name in MeetingDetails.__dataclass_fields__}
    return MeetingDetails(**(values | changes))


def test_a_coordinators_meeting_change_is_recorded():
    meeting = MeetingFactory(title="Spring meeting", venue="Sala A")
    coordinator = ProjectRoleFactory(project=meeting.project).user
    meeting_update(meeting=meeting, actor=coordinator, details=meeting_details(meeting, venue="Sala B"))

    (entry,) = entries_of(meeting)
    assert entry.actor == coordinator
    assert entry.changes["venue"] == ["Sala A", "Sala B"]
    # The place changed: the meeting's SEQUENCE rose (the calendars' version).
    assert entry.changes["sequence"] == [0, 1]
    assert entry.additional_data == {"project_id": meeting.project_id, "meeting_id": meeting.pk}


def test_roles_granted_and_revoked_are_recorded_with_who_did_it():
    project = ProjectFactory()
    granter, person = UserFactory(), UserFactory(email="new@example.org")
    role = project_role_grant(project=project, user=person, role=ProjectRole.Role.COORDINATOR, granted_by=granter)
    # Idempotent: a second grant writes nothing, and no entry either.
    project_role_grant(project=project, user=person, role=ProjectRole.Role.COORDINATOR, granted_by=granter)
    project_role_revoke(project_role=role, revoked_by=granter)

    created, deleted = entries_of(role)
    assert (created.action, created.actor) == (LogEntry.Action.CREATE, granter)
    assert created.changes["role"] == [None, "coordinator"]
    assert (deleted.action, deleted.actor) == (LogEntry.Action.DELETE, granter)
    assert deleted.changes["user"][0].endswith(f"(#{person.pk})")
    assert deleted.additional_data == {"project_id": project.pk}


def test_a_facilitators_decision_and_a_staff_cancellation_and_check_in_are_recorded():
    community = CommunityFactory()
    coordinator = ProjectRoleFactory(project=community.project).user
    request = MembershipFactory(community=community, pending=True)
    membership_approve(membership=request, actor=coordinator)
    (decision,) = entries_of(request)
    assert decision.changes["status"] == [Membership.Status.PENDING, Membership.Status.ACTIVE]
    assert decision.actor == coordinator

    meeting = MeetingFactory(project=community.project, starts_at=dt.datetime.now(UTC) + dt.timedelta(days=3))
    registration = RegistrationFactory(meeting=meeting)
    other = RegistrationFactory(meeting=meeting)
    registration_cancel(registration=registration, actor=coordinator)
    (cancelled,) = entries_of(registration)
    assert cancelled.changes["status"] == [Registration.Status.CONFIRMED, Registration.Status.CANCELLED]
    assert cancelled.additional_data["meeting_id"] == meeting.pk

    registration_check_in(registration=other, actor=coordinator)
    (checked_in,) = entries_of(other)
    assert checked_in.changes["checked_in_by"][1].endswith(f"(#{coordinator.pk})")


# --- Reading -------------------------------------------------------------------------------------


def test_a_projects_changes_newest_first_by_kind_and_by_meeting():
    meeting = MeetingFactory()
    project_id = meeting.project_id
    other_meeting = MeetingFactory(project=meeting.project)
    first = create_record(actor=None, instance=meeting, project_id=project_id, scope={"meeting_id": meeting.pk})
    second = create_record(
        actor=None, instance=other_meeting, project_id=project_id, scope={"meeting_id": other_meeting.pk}
    )
    registration = RegistrationFactory(meeting=other_meeting)
    moved = change_record(
        actor=None,
        instance=registration,
        action=ChangeAction.UPDATE,
        before={"meeting": "a"},
        after={"meeting": "b"},
        project_id=project_id,
        scope={"meeting_id": other_meeting.pk, "from_meeting_id": meeting.pk},
    )
    create_record(actor=None, instance=MeetingFactory(), project_id=None)
    create_record(actor=None, instance=ProjectFactory(), project_id=project_id + 1000)

    assert list(project_changes(project_id=project_id)) == [moved, second, first]
    assert list(project_changes(project_id=project_id, meeting_id=meeting.pk)) == [moved, first]
    meeting_type = first.content_type_id
    assert list(project_changes(project_id=project_id, content_type_id=meeting_type)) == [second, first]
    assert sorted(project_change_types(project_id=project_id)) == sorted({meeting_type, moved.content_type_id})


# --- Retention (frozen clock: ``now`` is passed in) -----------------------------------------------


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=UTC)


def test_the_audit_retention_is_the_project_end_plus_the_years(settings):
    settings.PORTAL_AUDIT_RETENTION_YEARS = 5
    assert audit_retention_ends(dt.date(2026, 12, 31)) == dt.date(2031, 12, 31)
    assert years_after(dt.date(2024, 2, 29), 5) == dt.date(2029, 2, 28)


def test_entries_are_deleted_when_their_retention_has_ended(settings):
    settings.PORTAL_AUDIT_RETENTION_YEARS = 5
    ended = ProjectFactory(start_date=dt.date(2018, 1, 1), end_date=dt.date(2020, 1, 31))
    running = ProjectFactory(start_date=dt.date(2018, 1, 1), end_date=dt.date(2030, 12, 31))
    deleted_project_id = running.pk + 1000
    meeting = MeetingFactory(project=running)

    def entry(project_id, when):
        record = create_record(actor=None, instance=meeting, project_id=project_id)
        LogEntry.objects.filter(pk=record.pk).update(timestamp=when)
        return record.pk

    of_ended = entry(ended.pk, at(2019, 6, 1))
    of_running_old = entry(running.pk, at(2018, 6, 1))  # older than 5 years, but the project runs on
    without_old = entry(None, at(2019, 1, 1))
    without_young = entry(None, at(2023, 1, 1))
    of_deleted_old = entry(deleted_project_id, at(2019, 1, 1))
    ends = {ended.pk: ended.end_date, running.pk: running.end_date}

    # The day the ended project's retention ends (2025-01-31) it is still kept.
    # Entries of no project, or of a deleted one, go 5 years after they were written.
    result = change_entries_purge(now=at(2025, 1, 31), project_ends=ends)
    assert (result.of_projects, result.without_project) == (0, 2)
    assert set(LogEntry.objects.values_list("pk", flat=True)) == {of_ended, of_running_old, without_young}
    assert not LogEntry.objects.filter(pk__in=[without_old, of_deleted_old]).exists()

    result = change_entries_purge(now=at(2025, 2, 1), project_ends=ends)
    assert result.of_projects == 1
    assert set(LogEntry.objects.values_list("pk", flat=True)) == {of_running_old, without_young}


def test_the_scheduled_purge_reads_the_projects_end_dates(settings):
    settings.PORTAL_AUDIT_RETENTION_YEARS = 1
    project = ProjectFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 1, 31))
    create_record(actor=None, instance=project, project_id=project.pk)
    assert change_log_purge(now=at(2022, 1, 31)).of_projects == 0
    assert change_log_purge(now=at(2022, 2, 1)).of_projects == 1
    assert not LogEntry.objects.exists()


def test_what_people_do_for_themselves_stays_out_of_the_log():
    """Registering, cancelling one's own registration: on the row itself, not in a log kept for years."""
    from events.services.registrations import RegistrationDetails, registration_create

    meeting = MeetingFactory(starts_at=dt.datetime.now(UTC) + dt.timedelta(days=3), capacity=None)
    person = UserFactory()
    result = registration_create(meeting=meeting, user=person, details=RegistrationDetails())
    registration_cancel(registration=result.registration, actor=person)
    assert not LogEntry.objects.exists()
