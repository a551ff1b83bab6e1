"""Fragments (portal/fragments.py) on the coordinators' pages: a project's workspace page, a
meeting's attendance page and the reports page are kept for everybody with the same roles.

With fragments on, a change shows on the next request, the access log still gets an entry
on every view of the attendance list, and a reader with other roles never gets a part kept
for somebody else.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessKind, PersonalDataAccess
from events.models import Membership
from portal import page_cache
from portal.accounts.services import user_erase
from projects.models import ProjectRole
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.kept_answers import kept

# Real commits: the data versions are bumped after a commit (portal/page_cache.py), once per
# transaction; inside a test's never-committed transaction only the first write would bump them.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fragments_on(settings):
    with kept(settings, fragment_seconds=60):
        yield


@pytest.fixture
def world():
    project = ProjectFactory(acronym="FRAGWS", is_public=False)
    community = CommunityFactory(project=project, slug="fragment-cop")
    meeting = MeetingFactory(
        project=project,
        community=community,
        title="Door list meeting",
        starts_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=3),
    )
    attendee = UserFactory(
        first_name="Aurelia",
        last_name="Attendee",
        email="aurelia@example.org",
        organisation=OrganisationFactory(name="Stadtbibliothek Nord"),
    )
    return {
        "project": project,
        "community": community,
        "meeting": meeting,
        "attendee": attendee,
        "registration": RegistrationFactory(meeting=meeting, user=attendee),
        "coordinator": ProjectRoleFactory(project=project).user,
        "co_coordinator": ProjectRoleFactory(project=project).user,
        "funder": ProjectRoleFactory(project=project, role=ProjectRole.Role.FUNDER_OFFICER).user,
        "partner": ProjectRoleFactory(project=project, partner_staff=True).user,
        "facilitator": MembershipFactory(community=community, role=Membership.Role.FACILITATOR).user,
        "other_coordinator": ProjectRoleFactory().user,
    }


def attendance_url(world) -> str:
    return reverse("attendance:meeting", args=[world["meeting"].pk])


def workspace_url(world) -> str:
    return reverse("workspace:project", kwargs={"slug": world["project"].slug})


def reports_url(world) -> str:
    return reverse("workspace:reports", kwargs={"slug": world["project"].slug})


def page(client: Client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def row_of(body: str, registration) -> str:
    """The attendance list's row of one registration."""
    match = re.search(rf'<tr id="registration-{registration.pk}"[^>]*>.*?</tr>', body, re.S)
    assert match, "no row for the registration"
    return match.group(0)


# --- The attendance page -----------------------------------------------------------------------


def test_a_check_in_shows_on_the_next_request(client, world):
    registration = world["registration"]
    assert "checked-in" not in row_of(page(client, world["coordinator"], attendance_url(world)), registration)
    response = client.post(reverse("attendance:check_in", args=[registration.pk]), {"attended": "1"})
    assert response.status_code == 302
    assert 'class="checked-in"' in row_of(page(client, world["coordinator"], attendance_url(world)), registration)
    client.post(reverse("attendance:check_in", args=[registration.pk]), {"attended": "0"})
    assert "checked-in" not in row_of(page(client, world["coordinator"], attendance_url(world)), registration)


def test_a_cancellation_shows_on_the_next_request(client, world):
    body = page(client, world["coordinator"], attendance_url(world))
    assert "No cancelled registrations." in body
    response = client.post(reverse("attendance:cancel", args=[world["registration"].pk]))
    assert response.status_code == 302
    body = page(client, world["coordinator"], attendance_url(world))
    assert "No cancelled registrations." not in body and "Nobody is confirmed yet." in body


def test_a_new_registration_shows_on_the_next_request(client, world):
    assert "Bruno" not in page(client, world["coordinator"], attendance_url(world))
    RegistrationFactory(meeting=world["meeting"], user=UserFactory(first_name="Bruno", last_name="Late"))
    assert "Bruno Late" in page(client, world["coordinator"], attendance_url(world))


def test_the_access_log_gets_an_entry_on_every_view(client, world):
    RegistrationFactory(meeting=world["meeting"], waitlisted=True)
    for _ in range(3):
        page(client, world["coordinator"], attendance_url(world))
    page(client, world["co_coordinator"], attendance_url(world))
    page(client, world["coordinator"], attendance_url(world) + "?q=aurelia")
    page(client, world["coordinator"], attendance_url(world) + "?q=aurelia")
    entries = PersonalDataAccess.objects.filter(meeting_id=world["meeting"].pk, kind=AccessKind.ATTENDANCE_PAGE)
    assert [(entry.viewer_id, entry.people) for entry in entries.order_by("id")] == [
        (world["coordinator"].pk, 2),
        (world["coordinator"].pk, 2),
        (world["coordinator"].pk, 2),
        (world["co_coordinator"].pk, 2),
        (world["coordinator"].pk, 1),
        (world["coordinator"].pk, 1),
    ]


def test_a_kept_list_costs_no_query_for_its_rows(client, world, django_assert_max_num_queries):
    for _ in range(20):
        RegistrationFactory(meeting=world["meeting"])
    page(client, world["coordinator"], attendance_url(world))
    # The person, the meeting, their roles and memberships, and the log's entry.
    with django_assert_max_num_queries(6) as captured:
        response = client.get(attendance_url(world))
    assert "Aurelia Attendee" in response.content.decode()
    assert not any("events_registration" in query["sql"] for query in captured.captured_queries)


@pytest.mark.parametrize("person", ["other_coordinator", "partner", "funder", "facilitator"])
def test_nobody_else_gets_the_kept_list(client, world, person):
    page(client, world["coordinator"], attendance_url(world))
    client.force_login(world[person])
    response = client.get(attendance_url(world))
    assert response.status_code in (403, 404)
    assert "Aurelia" not in response.content.decode()
    assert not PersonalDataAccess.objects.filter(viewer=world[person]).exists()


def test_each_reader_of_a_kept_list_gets_their_own_csrf_token(world):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page(first, world["coordinator"], attendance_url(world))
    body = page(second, world["co_coordinator"], attendance_url(world))
    assert page_cache.csrf_placeholder() not in body
    # Each {% csrf_token %} masks the reader's secret afresh; every one on the page is theirs.
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))
    assert tokens
    for token in tokens:
        response = second.post(
            reverse("attendance:check_in", args=[world["registration"].pk]),
            {"attended": "1", "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302
    # The first reader's session has another secret: the second's token is refused there.
    response = first.post(
        reverse("attendance:check_in", args=[world["registration"].pk]),
        {"attended": "0", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 403


def test_an_erased_person_leaves_the_kept_list_at_once(client, world):
    assert "Aurelia Attendee" in page(client, world["coordinator"], attendance_url(world))
    user_erase(user=world["attendee"], erased_by=world["attendee"])
    body = page(client, world["coordinator"], attendance_url(world))
    assert "Aurelia" not in body and "aurelia@example.org" not in body


# --- The workspace page ------------------------------------------------------------------------


def test_a_new_meeting_shows_on_the_workspace_page(client, world):
    assert "Second meeting" not in page(client, world["coordinator"], workspace_url(world))
    MeetingFactory(project=world["project"], title="Second meeting")
    assert "Second meeting" in page(client, world["coordinator"], workspace_url(world))


def test_a_registration_changes_the_workspace_figures(client, world):
    confirmed = re.compile(r'<td class="num">(\d+)</td>')
    before = confirmed.findall(page(client, world["coordinator"], workspace_url(world)))
    RegistrationFactory(meeting=world["meeting"])
    after = confirmed.findall(page(client, world["coordinator"], workspace_url(world)))
    assert "1" in before and "2" in after and before != after


@pytest.mark.parametrize("person", ["funder", "partner", "facilitator"])
def test_the_coordinators_workspace_page_is_not_shown_to_other_roles(client, world, person):
    meeting_edit = reverse("workspace:meeting_edit", args=[world["meeting"].pk])
    coordinator_body = page(client, world["coordinator"], workspace_url(world))
    assert meeting_edit in coordinator_body and attendance_url(world) in coordinator_body
    client.force_login(world[person])
    response = client.get(workspace_url(world))
    if response.status_code == 200:
        body = response.content.decode()
        assert attendance_url(world) not in body
        assert reverse("workspace:meeting_create", kwargs={"slug": world["project"].slug}) not in body
        assert reverse("access_log:project", kwargs={"slug": world["project"].slug}) not in body
    else:
        assert response.status_code in (403, 404)


def test_a_coordinator_of_another_project_gets_nothing_kept(client, world):
    page(client, world["coordinator"], workspace_url(world))
    client.force_login(world["other_coordinator"])
    response = client.get(workspace_url(world))
    assert response.status_code == 404 and "Door list meeting" not in response.content.decode()


# --- The reports page --------------------------------------------------------------------------


def test_a_new_report_version_shows_on_the_reports_page(client, world):
    assert "No progress reports yet." in page(client, world["coordinator"], reports_url(world))
    ProgressReportFactory(project=world["project"])
    assert "No progress reports yet." not in page(client, world["coordinator"], reports_url(world))


def test_the_funder_never_gets_the_coordinators_reports_page(client, world):
    ProgressReportFactory(project=world["project"], version=1)
    coordinator_body = page(client, world["coordinator"], reports_url(world))
    assert "Request the report" in coordinator_body and "Progress reports, newest first" in coordinator_body
    funder_body = page(client, world["funder"], reports_url(world))
    # The draft version is the coordinators'; the funder sees submitted versions only.
    assert "Request the report" not in funder_body and "No progress reports yet." in funder_body


def test_a_form_with_errors_is_never_kept(client, world):
    page(client, world["coordinator"], reports_url(world))
    response = client.post(reports_url(world), {"period": "", "language": ""})
    assert response.status_code == 200 and response.context["has_errors"]
    assert "Error:" in response.content.decode()
    body = page(client, world["coordinator"], reports_url(world))
    assert "Error:" not in body
