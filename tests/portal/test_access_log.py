"""The access log of personal data (issue 15): every view or download of other people's
names or needs writes one entry, nothing else does, and the project's coordinators read it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audit.admin import PersonalDataAccessAdmin
from audit.models import AccessKind, PersonalDataAccess
from events.checkin_codes import checkin_code
from events.models import Community, Membership
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
from tests.query_counts import count_queries

pytestmark = pytest.mark.django_db
MAX_QUERIES = 15


@pytest.fixture
def world():
    project = ProjectFactory(acronym="PRIVLOG", is_public=False)
    community = CommunityFactory(project=project, slug="log-cop", membership_policy=Community.Policy.APPROVAL)
    meeting = MeetingFactory(project=project, community=community, title="Looked-at meeting")
    attendee = UserFactory(first_name="Aurelia", last_name="Attendee", email="aurelia@example.org")
    registration = RegistrationFactory(meeting=meeting, user=attendee)
    RegistrationFactory(meeting=meeting, waitlisted=True)
    coordinator = ProjectRoleFactory(project=project, user=UserFactory(first_name="Cora", last_name="Coordinator")).user
    co_coordinator = ProjectRoleFactory(project=project, user=UserFactory(first_name="Otto", last_name="Second")).user
    facilitator = MembershipFactory(community=community, role=Membership.Role.FACILITATOR).user
    MembershipFactory(community=community, user=attendee)
    MembershipFactory(community=community, pending=True)
    return {
        "project": project,
        "community": community,
        "meeting": meeting,
        "registration": registration,
        "attendee": attendee,
        "coordinator": coordinator,
        "co_coordinator": co_coordinator,
        "facilitator": facilitator,
        "member": MembershipFactory(community=community).user,
        "partner": ProjectRoleFactory(project=project, partner_staff=True).user,
        "funder": ProjectRoleFactory(project=project, role=ProjectRole.Role.FUNDER_OFFICER).user,
        "other_coordinator": ProjectRoleFactory().user,
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }


def _meeting(w: dict) -> dict:
    return {"pk": w["meeting"].pk}


# (url, kind, meeting logged?, people named, single person?) for every personal-data view and file.
VIEWS: dict[str, tuple[Callable[[dict], str], str, bool, int | None, bool]] = {
    "attendance page": (lambda w: reverse("attendance:meeting", kwargs=_meeting(w)), "attendance_page", True, 2, False),
    "csv": (lambda w: reverse("attendance:export_csv", kwargs=_meeting(w)), "attendance_csv", True, 2, False),
    "xlsx": (lambda w: reverse("attendance:export_xlsx", kwargs=_meeting(w)), "attendance_xlsx", True, 2, False),
    "sheet": (lambda w: reverse("attendance:sheet", kwargs=_meeting(w)), "sign_in_sheet", True, 1, False),
    "check-in card": (
        lambda w: reverse("attendance:scan", kwargs={"code": checkin_code(w["registration"])}),
        "check_in_card",
        True,
        1,
        True,
    ),
    "registration page": (
        lambda w: reverse("registrations:registration", kwargs={"pk": w["registration"].pk}),
        "registration_page",
        True,
        1,
        True,
    ),
    # Active members: the facilitator, the attendee, the member.
    "community members": (
        lambda w: reverse("calendar:community", kwargs={"slug": w["community"].slug}),
        "community_members",
        False,
        3,
        False,
    ),
    "requests to join": (
        lambda w: reverse("workspace:membership_requests", kwargs={"slug": w["project"].slug}),
        "membership_requests",
        False,
        1,
        False,
    ),
    "audit bundle": (
        lambda w: reverse("reporting:bundle", kwargs={"slug": w["project"].slug}),
        "audit_bundle",
        False,
        0,
        False,
    ),
}


def _get(client, url: str):
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)  # a download is read to its end: still one entry
    return response


@pytest.mark.parametrize("name", VIEWS)
@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_each_personal_data_view_logs_one_entry(client, world, name, role):
    url, kind, with_meeting, people, single = VIEWS[name]
    client.force_login(world[role])
    assert _get(client, url(world)).status_code == 200
    entry = PersonalDataAccess.objects.get()
    assert (entry.viewer, entry.kind, entry.project_id) == (world[role], kind, world["project"].pk)
    assert entry.meeting_id == (world["meeting"].pk if with_meeting else None)
    assert entry.people == people
    assert entry.subject == (world["attendee"] if single else None)
    assert entry.community_id == (world["community"].pk if kind == "community_members" else None)
    assert timezone.now() - entry.at < dt.timedelta(minutes=1)


def test_the_facilitator_looking_at_members_and_requests_is_logged_and_a_member_is_not(client, world):
    members = reverse("calendar:community", kwargs={"slug": world["community"].slug})
    requests = reverse("workspace:membership_requests", kwargs={"slug": world["project"].slug})
    client.force_login(world["member"])
    assert client.get(members).status_code == 200  # no names on it for a member
    assert not PersonalDataAccess.objects.exists()
    client.force_login(world["facilitator"])
    assert client.get(members).status_code == 200
    assert client.get(requests).status_code == 200
    assert [(entry.viewer, entry.kind) for entry in PersonalDataAccess.objects.order_by("at", "id")] == [
        (world["facilitator"], "community_members"),
        (world["facilitator"], "membership_requests"),
    ]


def test_a_persons_look_at_their_own_registration_and_card_is_not_logged(client, world):
    client.force_login(world["attendee"])
    assert client.get(reverse("registrations:registration", kwargs={"pk": world["registration"].pk})).status_code == 200
    # A coordinator who registered for their own meeting and opens their own card.
    own = RegistrationFactory(meeting=world["meeting"], user=world["coordinator"])
    client.force_login(world["coordinator"])
    assert client.get(reverse("registrations:registration", kwargs={"pk": own.pk})).status_code == 200
    assert client.get(reverse("attendance:scan", kwargs={"code": checkin_code(own)})).status_code == 200
    assert not PersonalDataAccess.objects.exists()


# What these people may open anyway, and which shows them nobody's data: the community page
# (without its members list) and, for the funder, the audit bundle (without attendance sheets).
OPEN_WITHOUT_NAMES = {"community members", "audit bundle"}
# What a facilitator sees by right: tested above.
FACILITATORS_OWN = {"community members", "requests to join"}


@pytest.mark.parametrize("role", ["facilitator", "partner", "funder", "attendee", "member", "other_coordinator"])
def test_refused_requests_log_nothing(client, world, role):
    client.force_login(world[role])
    for name, (url, *_rest) in VIEWS.items():
        if (role == "attendee" and name == "registration page") or (role == "facilitator" and name in FACILITATORS_OWN):
            continue
        response = _get(client, url(world))
        assert response.status_code in (403, 404) or name in OPEN_WITHOUT_NAMES, (name, role, response.status_code)
        assert b"Aurelia" not in (response.content if hasattr(response, "content") else b"")
    assert not PersonalDataAccess.objects.exists()


def test_the_check_in_post_and_anonymous_visitors_log_nothing(client, world):
    url = reverse("attendance:scan", kwargs={"code": checkin_code(world["registration"])})
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(world["coordinator"])
    assert client.post(url, {"attended": "1"}).status_code == 302
    assert not PersonalDataAccess.objects.exists()


def test_an_online_meeting_without_sheet_logs_nothing(client, world):
    online = MeetingFactory(project=world["project"], format="online")
    client.force_login(world["coordinator"])
    assert client.get(reverse("attendance:sheet", kwargs={"pk": online.pk})).status_code == 302
    assert not PersonalDataAccess.objects.exists()


# --- Reading the log ------------------------------------------------------------------------------


def project_log(world: dict) -> str:
    return reverse("access_log:project", kwargs={"slug": world["project"].slug})


def meeting_log(world: dict, meeting=None) -> str:
    return reverse("access_log:meeting", kwargs={"pk": (meeting or world["meeting"]).pk})


def test_a_coordinator_reads_who_downloaded_the_attendance_list(client, world):
    """The issue's "done when": the other coordinator's download shows on the log."""
    client.force_login(world["co_coordinator"])
    _get(client, reverse("attendance:export_csv", kwargs=_meeting(world)))
    client.get(reverse("registrations:registration", kwargs={"pk": world["registration"].pk}))
    client.force_login(world["coordinator"])
    body = client.get(project_log(world)).content.decode()
    assert "Otto Second" in body and "Registrations export (CSV)" in body and "Looked-at meeting" in body
    assert "Registration page" in body and "Aurelia Attendee" in body and "2 people" in body
    # Newest first: the registration page was opened after the download.
    assert body.index("Registration page") < body.index("Registrations export (CSV)")
    # Reading the log is not itself logged.
    assert PersonalDataAccess.objects.count() == 2


def test_the_log_filters_by_meeting_and_the_meeting_view_shows_only_its_own(client, world):
    other = MeetingFactory(project=world["project"], title="Quiet meeting")
    client.force_login(world["co_coordinator"])
    client.get(reverse("attendance:meeting", kwargs=_meeting(world)))
    client.get(reverse("attendance:meeting", kwargs={"pk": other.pk}))
    client.get(reverse("workspace:membership_requests", kwargs={"slug": world["project"].slug}))
    client.force_login(world["coordinator"])
    body = client.get(project_log(world), {"meeting": other.pk}).content.decode()
    assert body.count("<tr>") == 2  # the header and the one entry
    assert "selected>" in body
    body = client.get(meeting_log(world)).content.decode()
    assert body.count("<tr>") == 2 and "Who looked at the people of Looked-at meeting" in body
    for junk in ("abc", "-1", "99999999999999999999", ""):
        assert client.get(project_log(world), {"meeting": junk, "page": junk}).status_code == 200
    assert client.get(project_log(world)).content.decode().count("<tr>") == 4


def test_an_erased_viewer_and_subject_show_as_deleted_accounts(client, world):
    client.force_login(world["co_coordinator"])
    client.get(reverse("registrations:registration", kwargs={"pk": world["registration"].pk}))
    world["co_coordinator"].delete()
    world["attendee"].delete()
    client.force_login(world["coordinator"])
    body = client.get(project_log(world)).content.decode()
    assert body.count("deleted account") == 2


@pytest.mark.parametrize(
    "role, status",
    [
        ("coordinator", 200),
        ("admin", 200),
        ("other_coordinator", 404),
        ("member", 404),
        ("partner", 403),
        ("funder", 403),
    ],
)
def test_only_the_projects_coordinators_read_its_log(client, world, role, status):
    """Refusals by portal/access.py: 404 for whoever may not see the project, 403 for the consortium and funder."""
    PersonalDataAccess.objects.create(
        viewer=world["co_coordinator"],
        kind=AccessKind.ATTENDANCE_PAGE,
        project_id=world["project"].pk,
        meeting_id=world["meeting"].pk,
    )
    client.force_login(world[role])
    for url in (project_log(world), meeting_log(world)):
        response = client.get(url)
        assert response.status_code == status, url
        if status != 200:
            assert "Otto" not in response.content.decode()


def test_a_log_never_shows_another_projects_entries(client, world):
    elsewhere = MeetingFactory(title="Somebody else's meeting")
    PersonalDataAccess.objects.create(
        viewer=world["other_coordinator"],
        kind=AccessKind.ATTENDANCE_PAGE,
        project_id=elsewhere.project_id,
        meeting_id=elsewhere.pk,
    )
    client.force_login(world["coordinator"])
    body = client.get(project_log(world), {"meeting": elsewhere.pk}).content.decode()
    assert "Somebody else" not in body and "Nobody has viewed personal data here yet." in body


def test_the_workspace_and_the_attendance_page_link_to_the_log(client, world):
    client.force_login(world["coordinator"])
    assert (
        project_log(world)
        in client.get(reverse("workspace:project", kwargs={"slug": world["project"].slug})).content.decode()
    )
    assert meeting_log(world) in client.get(reverse("attendance:meeting", kwargs=_meeting(world))).content.decode()
    client.force_login(world["partner"])
    assert (
        project_log(world)
        not in client.get(reverse("workspace:project", kwargs={"slug": world["project"].slug})).content.decode()
    )


def _fill(world: dict, count: int, kinds: list[str]) -> None:
    viewers = [world["co_coordinator"], world["coordinator"]]
    entries = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        entries.append(
            PersonalDataAccess(
                viewer=viewers[i % 2],
                kind=kind,
                project_id=world["project"].pk,
                meeting_id=None if kind == AccessKind.COMMUNITY_MEMBERS else world["meeting"].pk,
                community_id=world["community"].pk if kind == AccessKind.COMMUNITY_MEMBERS else None,
                subject=UserFactory() if kind == AccessKind.REGISTRATION_PAGE else None,
                people=i,
            )
        )
    PersonalDataAccess.objects.bulk_create(entries)


@pytest.mark.parametrize("which", ["project", "meeting"])
def test_the_log_pages_keep_their_query_count(client, world, which):
    """1 entry and 50 entries: the same queries (at most MAX_QUERIES)."""
    if which == "project":
        url, kinds = (
            project_log(world),
            [AccessKind.COMMUNITY_MEMBERS, AccessKind.REGISTRATION_PAGE, AccessKind.ATTENDANCE_CSV],
        )
    else:
        url, kinds = meeting_log(world), [AccessKind.REGISTRATION_PAGE, AccessKind.ATTENDANCE_CSV]
    client.force_login(world["coordinator"])
    _fill(world, 1, kinds)
    few = count_queries(client, url)
    _fill(world, 49, kinds)
    many = count_queries(client, url)
    assert PersonalDataAccess.objects.count() == 50
    assert few == many <= MAX_QUERIES


# --- The admin --------------------------------------------------------------------------------------


def test_the_admin_is_read_only_and_for_superusers(client, world):
    entry = PersonalDataAccess.objects.create(
        viewer=world["co_coordinator"], kind=AccessKind.MEMBERSHIP_REQUESTS, project_id=world["project"].pk
    )
    changelist = reverse("admin:audit_personaldataaccess_changelist")
    change = reverse("admin:audit_personaldataaccess_change", args=[entry.pk])
    client.force_login(world["admin"])
    assert client.get(changelist).status_code == 200
    body = client.get(change).content.decode()
    assert 'name="_save"' not in body
    assert client.get(reverse("admin:audit_personaldataaccess_add")).status_code == 403
    assert (
        client.post(reverse("admin:audit_personaldataaccess_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    staff_coordinator = world["coordinator"]
    staff_coordinator.is_staff = True
    staff_coordinator.save()
    client.force_login(staff_coordinator)
    assert client.get(changelist).status_code == 403
    assert client.get(change).status_code == 403
    assert PersonalDataAccess.objects.filter(pk=entry.pk).exists()


def test_the_admin_says_no_to_everybody_but_an_active_superuser():
    request = RequestFactory().get("/")
    model_admin = PersonalDataAccessAdmin(PersonalDataAccess, None)
    for user, allowed in (
        (AnonymousUser(), False),
        (UserFactory(is_staff=True), False),
        (UserFactory(is_superuser=True, is_active=False), False),
        (UserFactory(is_superuser=True), True),
    ):
        request.user = user
        assert model_admin.has_view_permission(request) is allowed
        assert model_admin.has_module_permission(request) is allowed
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
