"""The attendance pages: QR check-in for the project's coordinators and nobody else, the
searchable list with check-in and coordinator actions, the sheet, exports and statistics."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from events.checkin_codes import checkin_code
from events.models import Meeting, Membership, Registration
from projects.models import ProjectRole
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
MAX_QUERIES = 15


def soon(days: int = 3) -> dt.datetime:
    return timezone.now().replace(microsecond=0) + dt.timedelta(days=days)


@pytest.fixture
def world():
    project = ProjectFactory(acronym="CHKIN", is_public=False)
    community = CommunityFactory(project=project, slug="checkin-cop")
    meeting = MeetingFactory(project=project, community=community, title="Door list meeting", starts_at=soon())
    attendee = UserFactory(
        first_name="Aurelia",
        last_name="Attendee",
        email="aurelia@example.org",
        organisation=OrganisationFactory(name="Stadtbibliothek Nord"),
    )
    registration = RegistrationFactory(meeting=meeting, user=attendee)
    coordinator = ProjectRoleFactory(project=project).user
    facilitator = MembershipFactory(community=community, role=Membership.Role.FACILITATOR).user
    member = MembershipFactory(community=community).user
    funder = ProjectRoleFactory(project=project, role=ProjectRole.Role.FUNDER_OFFICER).user
    partner = ProjectRoleFactory(project=project, partner_staff=True).user
    other_coordinator = ProjectRoleFactory().user
    admin = UserFactory(is_superuser=True, is_staff=True)
    return {
        "meeting": meeting,
        "registration": registration,
        "community": community,
        "project": project,
        "attendee": attendee,
        "coordinator": coordinator,
        "facilitator": facilitator,
        "member": member,
        "funder": funder,
        "partner": partner,
        "other_coordinator": other_coordinator,
        "admin": admin,
    }


def _checked_in(registration: Registration) -> bool:
    return Registration.objects.get(pk=registration.pk).checked_in_at is not None


# --- The QR test: everyone but the project's coordinators is refused ---------------------------

REFUSED = ["attendee", "facilitator", "member", "funder", "partner", "other_coordinator"]


@pytest.mark.parametrize("role", REFUSED)
def test_the_qr_check_in_is_refused_to(client, world, role):
    client.force_login(world[role])
    url = reverse("attendance:scan", kwargs={"code": checkin_code(world["registration"])})
    for response in (client.get(url), client.post(url, {"attended": "1"})):
        assert response.status_code in (403, 404)
        assert b"Aurelia" not in response.content
    assert not _checked_in(world["registration"])


def test_the_qr_check_in_sends_anonymous_visitors_to_log_in(client, world):
    url = reverse("attendance:scan", kwargs={"code": checkin_code(world["registration"])})
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not _checked_in(world["registration"])


@pytest.mark.parametrize("code", ["1", "forged:abc", checkin_code(Registration(pk=10**9))])
def test_a_made_up_code_is_not_found(client, world, code):
    client.force_login(world["coordinator"])
    assert client.get(reverse("attendance:scan", kwargs={"code": code})).status_code == 404


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_the_coordinator_sees_the_card_and_checks_in_with_a_post(client, world, role):
    client.force_login(world[role])
    url = reverse("attendance:scan", kwargs={"code": checkin_code(world["registration"])})
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aurelia Attendee" in body and "Door list meeting" in body and "Stadtbibliothek Nord" in body
    assert not _checked_in(world["registration"])  # GET never changes anything
    response = client.post(url, {"attended": "1"})
    assert response.status_code == 302 and response["Location"] == url
    registration = Registration.objects.get(pk=world["registration"].pk)
    assert registration.checked_in_at is not None and registration.checked_in_by == world[role]
    assert client.post(url, {"attended": "1"}).status_code == 302  # a double scan is harmless
    client.post(url, {"attended": "0"})
    assert not _checked_in(world["registration"])


def test_a_waitlisted_card_has_no_check_in_button(client, world):
    waiting = RegistrationFactory(meeting=world["meeting"], waitlisted=True)
    client.force_login(world["coordinator"])
    url = reverse("attendance:scan", kwargs={"code": checkin_code(waiting)})
    assert 'name="attended" value="1"' not in client.get(url).content.decode()
    client.post(url, {"attended": "1"})
    assert not _checked_in(waiting)


# --- The attendance page ---------------------------------------------------------------------------


def test_the_attendance_page_lists_sections_counters_and_searches(client, world):
    meeting = world["meeting"]
    RegistrationFactory(meeting=meeting, user=UserFactory(first_name="Bruno", last_name="Waiting"), waitlisted=True)
    RegistrationFactory(meeting=meeting, user=UserFactory(first_name="Clara", last_name="Gone"), cancelled=True)
    client.force_login(world["coordinator"])
    url = reverse("attendance:meeting", kwargs={"pk": meeting.pk})
    body = client.get(url).content.decode()
    for text in ("Aurelia Attendee", "Bruno Waiting", "Clara Gone", "Confirmed", "No-show", "autofocus"):
        assert text in body
    # Search by organisation: one person left to check in, whose button takes the focus.
    body = client.get(url, {"q": "bibliothek"}).content.decode()
    assert "Aurelia Attendee" in body and "Bruno Waiting" not in body
    assert body.count("autofocus") == 1
    assert re.search(r'<button[^>]* autofocus\s+aria-label="Check in: Aurelia Attendee"', body)
    assert "Aurelia" not in client.get(url, {"q": "nobody-like-this"}).content.decode()
    assert "Aurelia" in client.get(url, {"q": "aurelia att"}).content.decode()  # full name


def test_one_click_checks_a_person_in_and_back_to_the_list(client, world):
    registration = world["registration"]
    client.force_login(world["coordinator"])
    response = client.post(reverse("attendance:check_in", kwargs={"pk": registration.pk}), {"attended": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#registration-{registration.pk}")
    assert _checked_in(registration)
    client.post(reverse("attendance:check_in", kwargs={"pk": registration.pk}), {"attended": "0"})
    assert not _checked_in(registration)


@pytest.mark.parametrize("role", ["facilitator", "funder", "partner", "attendee", "other_coordinator"])
def test_the_attendance_page_and_its_actions_are_for_coordinators(client, world, role):
    client.force_login(world[role])
    meeting, registration = world["meeting"], world["registration"]
    for name in ("meeting", "sheet", "export_csv", "export_xlsx"):
        assert client.get(reverse(f"attendance:{name}", kwargs={"pk": meeting.pk})).status_code in (403, 404)
    for name in ("check_in", "cancel", "move", "restore"):
        assert client.post(reverse(f"attendance:{name}", kwargs={"pk": registration.pk})).status_code in (
            403,
            404,
        )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED and registration.checked_in_at is None


def test_cancel_restore_and_move_call_the_registration_services(client, world):
    meeting, registration = world["meeting"], world["registration"]
    later = MeetingFactory(project=meeting.project, title="Later meeting", starts_at=soon(10))
    client.force_login(world["coordinator"])
    client.post(reverse("attendance:cancel", kwargs={"pk": registration.pk}))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    client.post(reverse("attendance:restore", kwargs={"pk": registration.pk}))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    client.post(reverse("attendance:move", kwargs={"pk": registration.pk}), {"to_meeting": later.pk})
    registration.refresh_from_db()
    assert registration.meeting_id == later.pk


def test_a_bad_move_target_is_a_message_not_an_error(client, world):
    registration = world["registration"]
    elsewhere = MeetingFactory(starts_at=soon(10))  # another project
    client.force_login(world["coordinator"])
    for value in ("", "abc", str(elsewhere.pk)):
        response = client.post(
            reverse("attendance:move", kwargs={"pk": registration.pk}), {"to_meeting": value}, follow=True
        )
        assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.meeting_id == world["meeting"].pk


def test_a_checked_in_person_is_not_cancelled_by_accident(client, world):
    registration = world["registration"]
    client.force_login(world["coordinator"])
    client.post(reverse("attendance:check_in", kwargs={"pk": registration.pk}))
    response = client.post(reverse("attendance:cancel", kwargs={"pk": registration.pk}), follow=True)
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_the_attendance_page_keeps_its_query_count(client, world, django_assert_max_num_queries):
    """The same number of queries with 1 registration and with 50, at most MAX_QUERIES."""
    meeting = world["meeting"]
    MeetingFactory(project=meeting.project, starts_at=soon(20))  # a move target
    client.force_login(world["coordinator"])
    url = reverse("attendance:meeting", kwargs={"pk": meeting.pk})
    client.get(url)
    counts = []
    for more in (0, 49):  # world holds 1 registration already
        for i in range(more):
            trait = {"waitlisted": True} if i % 3 == 1 else {"cancelled": True} if i % 3 == 2 else {}
            RegistrationFactory(meeting=meeting, user=UserFactory(organisation=OrganisationFactory()), **trait)
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert Registration.objects.filter(meeting=meeting).count() == 50
    assert counts[0] == counts[1]


# --- Sheet and exports ---------------------------------------------------------------------------------


def test_the_coordinator_downloads_the_sheet(client, world):
    client.force_login(world["coordinator"])
    response = client.get(reverse("attendance:sheet", kwargs={"pk": world["meeting"].pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]


def test_an_online_meeting_gets_a_message_instead_of_a_sheet(client, world):
    Meeting.objects.filter(pk=world["meeting"].pk).update(format=Meeting.Format.ONLINE)
    client.force_login(world["coordinator"])
    response = client.get(reverse("attendance:sheet", kwargs={"pk": world["meeting"].pk}), follow=True)
    assert response.status_code == 200
    assert "online meeting has no attendance sheet" in response.content.decode()


def test_the_coordinator_exports_csv_and_xlsx(client, world):
    client.force_login(world["coordinator"])
    response = client.get(reverse("attendance:export_csv", kwargs={"pk": world["meeting"].pk}))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    assert "aurelia@example.org" in text and "Stadtbibliothek Nord" in text
    response = client.get(reverse("attendance:export_xlsx", kwargs={"pk": world["meeting"].pk}))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][1] == "aurelia@example.org"


# --- Community statistics ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "facilitator", "admin"])
def test_community_statistics_for_those_running_it(client, world, role):
    client.force_login(world[role])
    response = client.get(reverse("attendance:community_statistics", kwargs={"slug": world["community"].slug}))
    assert response.status_code == 200
    assert "Members over time" in response.content.decode()


@pytest.mark.parametrize("role", ["member", "attendee", "other_coordinator", "funder", "partner"])
def test_community_statistics_refused_to_others(client, world, role):
    client.force_login(world[role])
    response = client.get(reverse("attendance:community_statistics", kwargs={"slug": world["community"].slug}))
    assert response.status_code in (403, 404)


def test_community_statistics_keep_their_query_count(client, world, django_assert_max_num_queries):
    """The same number of queries with 1 member and past meeting as with 50 of each."""
    community = world["community"]
    client.force_login(world["coordinator"])
    url = reverse("attendance:community_statistics", kwargs={"slug": community.slug})
    counts = []
    for rows in (1, 49):
        for i in range(rows):
            MembershipFactory(community=community)
            past = MeetingFactory(
                project=community.project,
                community=community,
                starts_at=timezone.now() - dt.timedelta(days=30 + i),
            )
            RegistrationFactory(meeting=past, checked_in=True)
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- Links to the pages, for those who may open them ------------------------------------------------


def test_the_meeting_page_and_the_workspace_link_the_attendance_page_for_coordinators(client, world):
    meeting = world["meeting"]
    attendance = reverse("attendance:meeting", kwargs={"pk": meeting.pk})
    statistics = reverse("attendance:community_statistics", kwargs={"slug": world["community"].slug})
    client.force_login(world["coordinator"])
    assert attendance in client.get(reverse("calendar:meeting", kwargs={"pk": meeting.pk})).content.decode()
    workspace = client.get(reverse("workspace:project", kwargs={"slug": world["project"].slug})).content.decode()
    assert attendance in workspace and statistics in workspace
    client.force_login(world["partner"])
    assert attendance not in client.get(reverse("calendar:meeting", kwargs={"pk": meeting.pk})).content.decode()
    workspace = client.get(reverse("workspace:project", kwargs={"slug": world["project"].slug})).content.decode()
    assert attendance not in workspace and statistics not in workspace


def test_the_community_page_links_the_statistics_for_its_facilitators(client, world):
    community_url = reverse("calendar:community", kwargs={"slug": world["community"].slug})
    statistics = reverse("attendance:community_statistics", kwargs={"slug": world["community"].slug})
    client.force_login(world["facilitator"])
    assert statistics in client.get(community_url).content.decode()
    client.force_login(world["member"])
    assert statistics not in client.get(community_url).content.decode()
