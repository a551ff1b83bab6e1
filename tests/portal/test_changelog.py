"""A project's change history (portal/changelog): entries written by the workspace, the admin
and invitations; old and new values; the project's coordinators only; constant queries.

The world is the one of test_workspace.py (private project ALPHA with people in every role).
"""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from audit.changes import create_record
from events.models import Meeting
from portal.invitations.services import invitation_accept, invitation_create
from projects.models import ProjectRole
from tests.factories import MeetingFactory, UserFactory
from tests.portal.test_admin_pages import _resubmitted
from tests.portal.test_workspace import Workspace, get, project_url, ws  # noqa: F401  (ws is a fixture)
from tests.portal.test_workspace_coordinator import meeting_data
from tests.query_counts import assert_no_more_queries, queries

pytestmark = pytest.mark.django_db


def history_url(w: Workspace, **query) -> str:
    url = reverse("changelog:project", kwargs={"slug": w.project.slug})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def meeting_entries(meeting: Meeting) -> list[LogEntry]:
    return list(LogEntry.objects.filter(object_pk=str(meeting.pk), content_type__model="meeting").order_by("id"))


# --- Done when: a coordinator can read who changed their meeting ----------------------------


def test_a_coordinator_reads_who_changed_their_meeting(client, ws):
    coordinator = ws.users["coordinator"]
    coordinator.first_name, coordinator.last_name = "Carla", "Coordinator"
    coordinator.save()
    client.force_login(coordinator)
    response = client.post(
        reverse("workspace:meeting_edit", args=[ws.meeting.pk]),
        meeting_data(title="Spring CoP meeting, new room", community=str(ws.community.pk), audience="members"),
    )
    assert response.status_code == 302

    (entry,) = meeting_entries(ws.meeting)
    assert entry.actor == coordinator
    assert entry.changes["title"] == ["Spring CoP meeting", "Spring CoP meeting, new room"]

    body = client.get(history_url(ws, meeting=ws.meeting.pk)).content.decode()
    assert "History of the meeting" in body
    assert "Carla Coordinator" in body
    assert "Spring CoP meeting, new room" in body and "Spring CoP meeting</span>" in body


def test_the_project_and_attendance_pages_link_to_the_history(client, ws):
    client.force_login(ws.users["coordinator"])
    body = client.get(project_url(ws)).content.decode()
    assert history_url(ws) in body
    assert history_url(ws, meeting=ws.meeting.pk) in body
    attendance = client.get(reverse("attendance:meeting", args=[ws.meeting.pk])).content.decode()
    assert history_url(ws, meeting=ws.meeting.pk) in attendance

    client.force_login(ws.users["staff_x"])
    assert history_url(ws) not in client.get(project_url(ws)).content.decode()


# --- Entries of the admin ------------------------------------------------------------------------


def test_a_meeting_changed_in_the_admin_is_recorded_with_old_and_new_values(client, ws):
    admin_user = ws.users["admin"]
    client.force_login(admin_user)
    url = reverse("admin:events_meeting_change", args=[ws.meeting.pk])
    data = _resubmitted(client.get(url))
    data["venue"] = "Sala Nuova"
    old_venue = ws.meeting.venue
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    (entry,) = meeting_entries(ws.meeting)
    assert entry.actor == admin_user
    assert entry.changes["venue"] == [old_venue, "Sala Nuova"]
    assert entry.additional_data == {"project_id": ws.project.pk, "meeting_id": ws.meeting.pk}


def test_a_role_granted_and_revoked_in_the_admin_is_recorded_once(client, ws):
    admin_user = ws.users["admin"]
    client.force_login(admin_user)
    person = UserFactory(email="new.coordinator@example.org")
    response = client.post(
        reverse("admin:projects_projectrole_add"),
        {"project": ws.project.pk, "user": person.pk, "role": ProjectRole.Role.COORDINATOR, "organisation": ""},
    )
    assert response.status_code == 302
    role = ProjectRole.objects.get(user=person)
    client.post(reverse("admin:projects_projectrole_delete", args=[role.pk]), {"post": "yes"})

    entries = list(LogEntry.objects.filter(object_pk=str(role.pk), content_type__model="projectrole").order_by("id"))
    assert [entry.action for entry in entries] == [LogEntry.Action.CREATE, LogEntry.Action.DELETE]
    assert {entry.actor for entry in entries} == {admin_user}


def test_a_meeting_deleted_in_the_admin_is_recorded(client, ws):
    meeting = MeetingFactory(project=ws.project, title="Mistake")
    client.force_login(ws.users["admin"])
    client.post(reverse("admin:events_meeting_delete", args=[meeting.pk]), {"post": "yes"})
    (entry,) = LogEntry.objects.filter(action=LogEntry.Action.DELETE, content_type__model="meeting")
    assert entry.object_pk == str(meeting.pk) and entry.changes["title"] == ["Mistake", None]
    assert entry.additional_data["project_id"] == ws.project.pk


def test_only_the_platform_admin_reads_the_whole_log_in_the_admin(client, ws):
    create_record(actor=None, instance=ws.meeting, project_id=ws.project.pk)
    url = reverse("admin:auditlog_logentry_changelist")
    client.force_login(ws.users["admin"])
    assert client.get(url).status_code == 200
    # A staff coordinator has the admin for their projects, but not the change log.
    client.force_login(ws.users["coordinator"])
    assert client.get(url).status_code == 403
    entry = LogEntry.objects.get()
    client.force_login(ws.users["admin"])
    assert client.get(reverse("admin:auditlog_logentry_delete", args=[entry.pk])).status_code == 403


# --- Entries of invitations ----------------------------------------------------------------------


def test_an_accepted_invitation_records_the_grant_and_the_acceptance(ws):
    coordinator = ws.users["coordinator"]
    invitation = invitation_create(
        invited_by=coordinator, email="invitee@example.org", project=ws.project, role=ProjectRole.Role.FUNDER_OFFICER
    )
    invitee = UserFactory(email="invitee@example.org")
    invitation_accept(invitation_id=invitation.pk, user=invitee)

    entries = {
        entry.content_type.model: entry
        for entry in LogEntry.objects.filter(additional_data__project_id=ws.project.pk).select_related("content_type")
    }
    role = entries["projectrole"]
    assert (role.action, role.actor) == (LogEntry.Action.CREATE, coordinator)
    invitation_entries = LogEntry.objects.filter(content_type__model="invitation").order_by("id")
    created, accepted = invitation_entries
    assert (created.action, created.actor) == (LogEntry.Action.CREATE, coordinator)
    assert (accepted.actor, accepted.changes["accepted_by"][0]) == (invitee, None)
    assert accepted.changes["accepted_by"][1].endswith(f"(#{invitee.pk})")


# --- Who may read --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("admin", 200),
        # They see the project, not its history (portal/access.py: 403).
        ("staff_x", 403),
        ("funder", 403),
        # They do not see the project at all: 404, as for a slug that does not exist.
        ("member", 404),
        ("nobody", 404),
        ("coordinator_other", 404),
    ],
)
def test_only_the_projects_coordinators_read_its_history(client, ws, who, status):
    assert get(client, ws.users[who], history_url(ws)).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, ws):
    response = client.get(history_url(ws))
    assert response.status_code == 302 and "login" in response["Location"]


def test_coordinators_see_their_projects_entries_only(client, ws):
    create_record(actor=None, instance=ws.meeting, project_id=ws.project.pk)
    secret = MeetingFactory(project=ws.other, title="Omega hidden change")
    create_record(actor=None, instance=secret, project_id=ws.other.pk)
    body = get(client, ws.users["coordinator"], history_url(ws)).content.decode()
    assert "Spring CoP meeting" in body and "Omega hidden change" not in body


def test_a_meeting_of_another_project_or_a_bad_id_is_404(client, ws):
    other = MeetingFactory(project=ws.other)
    client.force_login(ws.users["coordinator"])
    assert client.get(history_url(ws, meeting=other.pk)).status_code == 404
    assert client.get(history_url(ws, meeting="abc")).status_code == 404
    # An unknown kind filters nothing; a page past the end shows the last.
    assert client.get(history_url(ws, type="99999999999999999999")).status_code == 200
    assert client.get(history_url(ws, page="999")).status_code == 200


def test_the_history_filters_by_kind_of_record(client, ws):
    meeting_entry = create_record(actor=None, instance=ws.meeting, project_id=ws.project.pk)
    create_record(actor=None, instance=ws.community, project_id=ws.project.pk)
    client.force_login(ws.users["coordinator"])
    response = client.get(history_url(ws, type=meeting_entry.content_type_id))
    rows = response.context["rows"]
    assert [row.entry for row in rows] == [meeting_entry]
    assert len(response.context["kinds"]) == 2
    assert (meeting_entry.content_type_id, "meetings") in response.context["kinds"]


# --- Constant queries ------------------------------------------------------------------------------


def test_the_history_page_keeps_its_queries_from_1_to_50_entries(client, ws):
    coordinator = ws.users["coordinator"]
    client.force_login(coordinator)
    create_record(actor=coordinator, instance=ws.meeting, project_id=ws.project.pk, scope={"meeting_id": 1})
    url = history_url(ws)
    client.get(url)  # warms the content type cache
    with queries() as one:
        assert client.get(url).status_code == 200
    for number in range(49):
        actor = UserFactory(email=f"person{number}@example.org")
        create_record(actor=actor, instance=ws.community if number % 2 else ws.meeting, project_id=ws.project.pk)
    with queries() as fifty:
        response = client.get(url)
    assert len(response.context["rows"]) == 50
    assert_no_more_queries(one, fifty)


def test_logged_codes_and_times_are_shown_as_people_read_them():
    """The log keeps raw values; the page shows a choice's label and dates in the page's language."""
    from django.utils import translation

    from events.models import Registration
    from portal.changelog.views import _shown

    with translation.override("en"):
        assert _shown(Registration, "status", "waitlisted") == "Waitlisted"
        assert _shown(Registration, "cancelled_at", "2021-06-30T10:00:00+00:00").startswith("June 30, 2021")
        assert _shown(Registration, "status", None) is None
        assert _shown(Registration, "no_such_field", "x") == "x"
    with translation.override("de"):
        assert _shown(Registration, "status", "confirmed") == "Bestätigt"
