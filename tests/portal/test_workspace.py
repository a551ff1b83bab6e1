"""The workspace: dashboard, a project's internal page, deliverable progress and reports.

Who sees what is decided by the permission functions; these tests check that the pages
ask them, that funders read figures and never names, and that every page keeps the
same number of queries however many rows it shows.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events.models import Community, Meeting, Registration
from projects.models import Deliverable, Participation, Project, ProjectRole
from projects.services import deliverable_update
from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    FundingProgrammeFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UpdateFactory,
    UserFactory,
    WorkPackageFactory,
)
from tests.query_counts import count_queries

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
# People whose names must never reach a funder officer, nor the project's workspace page.
REGISTRANT_NAMES = ["Zelda", "Target-Registrant", "Waltraud", "Waitlist-Person", "Quirin", "Checked-Inperson"]


def soon(days: int = 14, hour: int = 10) -> dt.datetime:
    """A moment in the future, so a meeting counts as upcoming whatever day the tests run."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@dataclass
class Workspace:
    project: Project
    other: Project
    users: dict = field(default_factory=dict)
    deliverables: dict = field(default_factory=dict)
    meeting: Meeting | None = None
    community: Community | None = None


@pytest.fixture
def ws() -> Workspace:
    """One private project with a consortium of two, people in every role and some activity."""
    project = ProjectFactory(
        acronym="ALPHA",
        slug="alpha",
        title="Alpha local partnerships",
        is_public=False,
        programme=FundingProgrammeFactory(short_name="AMIF-TEST"),
        grant_agreement="101999111",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2027, 12, 31),
    )
    other = ProjectFactory(acronym="OMEGA", slug="omega", title="Omega elsewhere", is_public=False)
    lead_x = ParticipationFactory(
        project=project,
        role=Participation.Role.COORDINATOR,
        organisation=OrganisationFactory(name="Xenia Integration Office", country="IT"),
    ).organisation
    lead_y = ParticipationFactory(
        project=project, organisation=OrganisationFactory(name="Ypsilon Job Centre", country="ES")
    ).organisation
    w = Workspace(project=project, other=other)
    w.users = {
        "coordinator": UserFactory(email="coord@example.org", is_staff=True),
        "staff_x": UserFactory(email="staff.x@example.org"),
        "funder": UserFactory(email="funder@example.org", first_name="Fenja", last_name="Funder"),
        "member": UserFactory(email="member@example.org", first_name="Zelda", last_name="Target-Registrant"),
        "other_member": UserFactory(email="other@example.org", first_name="Waltraud", last_name="Waitlist-Person"),
        "checked_in": UserFactory(email="checked@example.org", first_name="Quirin", last_name="Checked-Inperson"),
        "nobody": UserFactory(email="nobody@example.org"),
        "coordinator_other": UserFactory(email="coord.other@example.org", is_staff=True),
        "admin": UserFactory(email="admin@example.org", is_staff=True, is_superuser=True),
    }
    u = w.users
    ProjectRoleFactory(user=u["coordinator"], project=project)
    ProjectRoleFactory(user=u["staff_x"], project=project, role=ProjectRole.Role.PARTNER_STAFF, organisation=lead_x)
    ProjectRoleFactory(user=u["funder"], project=project, role=ProjectRole.Role.FUNDER_OFFICER)
    ProjectRoleFactory(user=u["coordinator_other"], project=other)

    wp = WorkPackageFactory(project=project, number=2, title="Communities of Practice", lead_organisation=lead_x)
    sensitive = Deliverable.Dissemination.SENSITIVE
    w.deliverables = {
        "x": DeliverableFactory(
            project=project,
            code="D2.1",
            title="Mapping of services",
            work_package=wp,
            lead_organisation=lead_x,
            dissemination=sensitive,
            due_date=timezone.localdate() + dt.timedelta(days=90),  # not late, whenever the tests run
        ),
        "y": DeliverableFactory(
            project=project,
            code="D3.1",
            title="Training curriculum",
            lead_organisation=lead_y,
            due_date=dt.date(2025, 3, 31),  # long past and still planned: late
        ),
        "none": DeliverableFactory(project=project, code="D4.1", title="Final conference", submitted=True),
    }
    community = CommunityFactory(
        project=project, name="CoP Ravenna", slug="cop-ravenna", visibility=Community.Visibility.MEMBERS
    )
    MembershipFactory(community=community, user=u["member"])
    MembershipFactory(community=community, user=u["other_member"], pending=True)
    meeting = MeetingFactory(
        project=project,
        community=community,
        title="Spring CoP meeting",
        audience=Meeting.Audience.MEMBERS,
        starts_at=soon(),
    )
    RegistrationFactory(meeting=meeting, user=u["member"], sector=Registration.Sector.ARTS)
    RegistrationFactory(meeting=meeting, user=u["other_member"], waitlisted=True)
    RegistrationFactory(meeting=meeting, user=u["checked_in"], checked_in=True, sector=Registration.Sector.ARTS)
    # The other member's registration for a meeting of another project: never on the member's page.
    RegistrationFactory(
        meeting=MeetingFactory(project=other, title="Omega secret workshop", starts_at=soon(20)),
        user=u["other_member"],
    )
    ProgressReportFactory(project=project, done=True, submitted=True, requested_by=u["coordinator"])
    ProgressReportFactory(project=other, done=True, period_end=dt.date(2025, 12, 31))
    w.meeting, w.community = meeting, community
    return w


def get(client, user, url: str, **kwargs):
    if user is not None:
        client.force_login(user)
    return client.get(url, **kwargs)


def project_url(w: Workspace) -> str:
    return reverse("workspace:project", kwargs={"slug": w.project.slug})


def reports_url(w: Workspace) -> str:
    return reverse("workspace:reports", kwargs={"slug": w.project.slug})


def edit_url(deliverable: Deliverable) -> str:
    return reverse("workspace:deliverable_edit", kwargs={"pk": deliverable.pk})


def edit_links(body: str, w: Workspace) -> set[str]:
    return {key for key, d in w.deliverables.items() if edit_url(d) in body}


# --- Dashboard ----------------------------------------------------------------------


def test_dashboard_needs_a_login(client):
    response = client.get(reverse("workspace:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_of_a_coordinator_links_to_the_workspace_and_the_filtered_admin(client, ws):
    body = get(client, ws.users["coordinator"], reverse("workspace:dashboard")).content.decode()
    assert "Projects you coordinate" in body
    assert project_url(ws) in body
    assert reverse("workspace:reports", kwargs={"slug": "alpha"}) in body
    assert f"{reverse('admin:projects_deliverable_changelist')}?project__id__exact={ws.project.pk}" in body
    assert reverse("admin:projects_project_change", args=[ws.project.pk]) in body
    assert "OMEGA" not in body


def test_admin_links_of_the_dashboard_lead_to_pages_that_exist(client, ws):
    """The filtered changelists answer 200 (an unknown filter would redirect to ?e=1)."""
    client.force_login(ws.users["admin"])
    for name in ("projects_deliverable_changelist", "events_meeting_changelist", "events_community_changelist"):
        response = client.get(reverse(f"admin:{name}"), {"project__id__exact": ws.project.pk})
        assert response.status_code == 200, name


def test_dashboard_of_partner_staff_names_their_organisation_and_what_they_lead(client, ws):
    body = get(client, ws.users["staff_x"], reverse("workspace:dashboard")).content.decode()
    assert "Projects you work in as partner staff" in body
    assert "Xenia Integration Office" in body
    assert "leads 1 deliverable you can update" in body
    assert "Projects you coordinate" not in body
    # Partner staff do not read progress reports.
    assert reports_url(ws) not in body


def test_dashboard_of_a_funder_shows_facts_figures_and_reports(client, ws):
    body = get(client, ws.users["funder"], reverse("workspace:dashboard")).content.decode()
    assert "Projects you follow as a funder" in body
    assert "101999111" in body and "AMIF-TEST" in body
    assert reports_url(ws) in body
    response = get(client, None, reverse("workspace:dashboard"))
    project = response.context["funded"][0]["project"]
    assert (project.deliverable_count, project.deliverables_done, project.deliverables_late) == (3, 1, 1)
    assert (project.confirmed_count, project.waitlisted_count, project.attended_count) == (2, 1, 1)
    assert (project.recorded_partners, project.recorded_countries) == (2, 2)
    assert (project.community_count, project.active_member_count) == (1, 1)
    assert "/admin/" not in body.split("<main", 1)[1]
    for name in REGISTRANT_NAMES:
        assert name not in body


def test_dashboard_of_a_member_shows_own_memberships_and_registrations_only(client, ws):
    body = get(client, ws.users["member"], reverse("workspace:dashboard")).content.decode()
    assert "CoP Ravenna" in body and "Active" in body
    assert "Spring CoP meeting" in body
    assert "Omega secret workshop" not in body
    assert "Waltraud" not in body and "Checked-Inperson" not in body
    assert "Projects you coordinate" not in body and "Nothing here yet" not in body


def test_dashboard_of_a_pending_member_shows_the_status(client, ws):
    body = get(client, ws.users["other_member"], reverse("workspace:dashboard")).content.decode()
    assert "CoP Ravenna" in body and "Pending" in body
    assert "Omega secret workshop" in body  # their own registration
    assert "Zelda" not in body


def test_dashboard_leaves_out_past_and_cancelled_registrations(client, ws):
    member = ws.users["member"]
    past = MeetingFactory(project=ws.project, title="Last year's kick-off", starts_at=soon(-400))
    RegistrationFactory(meeting=past, user=member)
    cancelled = MeetingFactory(project=ws.project, title="Called off by me", starts_at=soon(30))
    RegistrationFactory(meeting=cancelled, user=member, cancelled=True)
    body = get(client, member, reverse("workspace:dashboard")).content.decode()
    assert "Last year's kick-off" not in body and "Called off by me" not in body


def test_dashboard_of_a_person_without_any_role_helps(client, ws):
    body = get(client, ws.users["nobody"], reverse("workspace:dashboard")).content.decode()
    assert "Nothing here yet" in body
    assert reverse("home") in body
    assert "ALPHA" not in body


# --- A project's workspace page ---------------------------------------------------------


@pytest.mark.parametrize(
    "person, status, editable",
    [
        ("coordinator", 200, {"x", "y", "none"}),
        ("staff_x", 200, {"x"}),
        ("funder", 200, set()),
        ("admin", 200, {"x", "y", "none"}),
        ("member", 404, None),
        ("nobody", 404, None),
        ("coordinator_other", 404, None),
    ],
)
def test_project_page_per_role(client, ws, person, status, editable):
    response = get(client, ws.users[person], project_url(ws))
    assert response.status_code == status
    if status != 200:
        assert "Alpha local partnerships" not in response.content.decode()
        return
    body = response.content.decode()
    assert edit_links(body, ws) == editable
    # Every deliverable, the sensitive one too, with its due month and late flag.
    assert "D2.1" in body and "D3.1" in body and "D4.1" in body and "M6" in body
    rows = {row["deliverable"].code: row for row in response.context["deliverables"]}
    assert rows["D3.1"]["late"] and not rows["D2.1"]["late"]
    assert "101999111" in body and "Xenia Integration Office" in body and "Spain" in body


def test_project_page_needs_a_login(client, ws):
    response = client.get(project_url(ws))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_unknown_project_is_404(client, ws):
    assert get(client, ws.users["admin"], "/workspace/projects/no-such-project/").status_code == 404


def test_project_page_shows_meeting_figures_by_sector_and_community_counts(client, ws):
    response = get(client, ws.users["funder"], project_url(ws))
    (figures,) = response.context["meetings"]
    assert (figures.confirmed, figures.waitlisted, figures.attended) == (2, 1, 1)
    arts = next(row for row in figures.by_sector if row.sector == Registration.Sector.ARTS)
    assert (arts.confirmed, arts.waitlisted, arts.attended) == (2, 0, 1)
    (community,) = response.context["communities"]
    assert (community.active_member_count, community.pending_member_count, community.meeting_count) == (1, 1, 1)
    body = response.content.decode()
    assert "Arts and culture" in body and "Spring CoP meeting" in body


@pytest.mark.parametrize("person", ["coordinator", "staff_x", "funder", "admin"])
def test_project_page_never_names_participants(client, ws, person):
    body = get(client, ws.users[person], project_url(ws)).content.decode()
    for name in REGISTRANT_NAMES:
        assert name not in body, name
    for user in ("member", "other_member", "checked_in"):
        assert ws.users[user].email not in body


def test_project_page_shows_latest_reports_to_coordinators_and_funders_only(client, ws):
    assert reports_url(ws) in get(client, ws.users["funder"], project_url(ws)).content.decode()
    response = get(client, ws.users["staff_x"], project_url(ws))
    # Partner staff leading a work package get links to the reporting periods (below the
    # reports page's address), never to the reports page itself.
    assert response.context["reports"] == [] and f'"{reports_url(ws)}"' not in response.content.decode()


# --- Funders never see a name ----------------------------------------------------------


def test_no_page_a_funder_can_reach_names_a_registrant(client, ws):
    funder = ws.users["funder"]
    client.force_login(funder)
    pages = [
        reverse("workspace:dashboard"),
        project_url(ws),
        reports_url(ws),
        reverse("home"),
        reverse("account_profile"),
    ]
    pages += [edit_url(d) for d in ws.deliverables.values()]
    reached = 0
    for url in pages:
        response = client.get(url)
        body = response.content.decode()
        reached += response.status_code == 200
        for name in REGISTRANT_NAMES:
            assert name not in body, (url, name)
        for user in ("member", "other_member", "checked_in"):
            assert ws.users[user].email not in body, (url, user)
    assert reached == 5  # every page but the editing form, which is for the consortium


# --- Editing a deliverable --------------------------------------------------------------


def form_data(**overrides) -> dict:
    return {"status": "in_progress", "submitted_on": "", "url": "", "description": "", **overrides}


@pytest.mark.parametrize(
    "person, deliverable, status",
    [
        ("coordinator", "x", 200),
        ("coordinator", "y", 200),
        ("staff_x", "x", 200),
        ("staff_x", "y", 403),  # sees the project, but another organisation leads D3.1
        ("admin", "y", 200),
        # Funders see the deliverable on the project's page, so the refusal is a 403 (portal/access.py).
        ("funder", "x", 403),
        ("member", "x", 404),
        ("nobody", "x", 404),
        ("coordinator_other", "x", 404),
    ],
)
def test_who_may_open_the_deliverable_form(client, ws, person, deliverable, status):
    assert get(client, ws.users[person], edit_url(ws.deliverables[deliverable])).status_code == status


@pytest.mark.parametrize("person, deliverable", [("staff_x", "y"), ("funder", "x"), ("coordinator_other", "x")])
def test_a_refused_post_changes_nothing(client, ws, person, deliverable):
    client.force_login(ws.users[person])
    target = ws.deliverables[deliverable]
    response = client.post(edit_url(target), form_data(status="approved", submitted_on="2025-06-01"))
    assert response.status_code in {403, 404}
    target.refresh_from_db()
    assert target.status == Deliverable.Status.PLANNED


def test_deliverable_form_needs_a_login(client, ws):
    response = client.get(edit_url(ws.deliverables["x"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_partner_staff_submit_their_deliverable(client, ws):
    client.force_login(ws.users["staff_x"])
    target = ws.deliverables["x"]
    response = client.post(
        edit_url(target),
        form_data(
            status="submitted",
            submitted_on="2025-06-30",
            url="https://example.org/d2-1.pdf",
            description="Final version.",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == project_url(ws) + "#deliverables"
    target.refresh_from_db()
    assert (target.status, target.submitted_on, target.url, target.description) == (
        "submitted",
        dt.date(2025, 6, 30),
        "https://example.org/d2-1.pdf",
        "Final version.",
    )
    # Code, title and lead stay the coordinator's business.
    assert target.code == "D2.1" and target.title == "Mapping of services"


def test_a_submitted_deliverable_needs_a_date(client, ws):
    client.force_login(ws.users["coordinator"])
    target = ws.deliverables["x"]
    response = client.post(edit_url(target), form_data(status="submitted"))
    assert response.status_code == 200
    assert response.context["form"].errors["submitted_on"] == [
        "A submitted or approved deliverable needs the date it was submitted."
    ]
    assert "needs the date it was submitted" in response.content.decode()
    target.refresh_from_db()
    assert target.status == Deliverable.Status.PLANNED


@pytest.mark.parametrize(
    "data, field, code",
    [
        (form_data(status="approved"), "submitted_on", "date_missing"),
        (form_data(status="planned", submitted_on="2025-06-01"), "submitted_on", "date_not_allowed"),
        (form_data(status="submitted", submitted_on="2999-01-01"), "submitted_on", "future"),
        (form_data(status="submitted", submitted_on="not a date"), "submitted_on", "invalid"),
        (form_data(status="done"), "status", "invalid_choice"),
        (form_data(url="not a url"), "url", "invalid"),
        (form_data(url="https://example.org/" + "a" * 200), "url", "max_length"),
    ],
)
def test_deliverable_form_errors(client, ws, data, field, code):
    client.force_login(ws.users["coordinator"])
    response = client.post(edit_url(ws.deliverables["x"]), data)
    assert response.status_code == 200
    assert response.context["form"].has_error(field, code)


def test_a_file_is_uploaded_and_removed(client, ws, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(ws.users["staff_x"])
    target = ws.deliverables["x"]
    upload = SimpleUploadedFile("mapping.pdf", b"%PDF-1.4 mapping", content_type="application/pdf")
    assert client.post(edit_url(target), {**form_data(), "file": upload}).status_code == 302
    target.refresh_from_db()
    assert target.file.name.endswith("mapping.pdf") and target.file.read() == b"%PDF-1.4 mapping"

    body = client.get(edit_url(target)).content.decode()
    assert "Current file: mapping.pdf" in body and 'name="remove_file"' in body
    assert client.post(edit_url(target), {**form_data(), "remove_file": "on"}).status_code == 302
    target.refresh_from_db()
    assert not target.file


def test_uploading_and_removing_at_once_is_refused(client, ws, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    target = ws.deliverables["x"]
    target.file.save("old.pdf", SimpleUploadedFile("old.pdf", b"old"))
    client.force_login(ws.users["coordinator"])
    upload = SimpleUploadedFile("new.pdf", b"%PDF-1.4 new")
    response = client.post(edit_url(target), {**form_data(), "file": upload, "remove_file": "on"})
    assert response.context["form"].has_error("remove_file", "both")


def test_the_form_starts_from_the_current_values(client, ws):
    target = ws.deliverables["none"]
    response = get(client, ws.users["coordinator"], edit_url(target))
    form = response.context["form"]
    assert form.initial["status"] == "submitted" and form.initial["submitted_on"] == target.submitted_on
    assert "remove_file" not in form.fields  # nothing to remove


def test_service_refuses_a_user_who_may_not_edit(ws):
    target = ws.deliverables["y"]
    with pytest.raises(PermissionDenied):
        deliverable_update(
            deliverable=target,
            user=ws.users["staff_x"],
            status="in_progress",
            submitted_on=None,
            url="",
            description="",
        )
    with pytest.raises(PermissionDenied):
        deliverable_update(
            deliverable=target,
            user=AnonymousUser(),
            status="in_progress",
            submitted_on=None,
            url="",
            description="",
        )


def test_service_turns_a_broken_rule_into_a_validation_error(ws):
    target = ws.deliverables["x"]
    with pytest.raises(ValidationError):
        deliverable_update(
            deliverable=target,
            user=ws.users["coordinator"],
            status="approved",
            submitted_on=None,
            url="",
            description="",
        )
    assert Deliverable.objects.get(pk=target.pk).status == Deliverable.Status.PLANNED


# --- Progress reports -------------------------------------------------------------------


@pytest.mark.parametrize(
    "person, status",
    [
        ("coordinator", 200),
        ("funder", 200),
        ("admin", 200),
        ("staff_x", 403),
        ("member", 404),
        ("nobody", 404),
        ("coordinator_other", 404),
    ],
)
def test_reports_page_per_role(client, ws, person, status):
    response = get(client, ws.users[person], reports_url(ws))
    assert response.status_code == status
    if status == 200:
        (report,) = response.context["reports"]
        body = response.content.decode()
        assert report.sha256 in body and "English" in body and "Done" in body
        # requested_by is a person; the list does not need them.
        assert "Requested" in body and ws.users["coordinator"].email not in body


def test_reports_page_lists_this_project_only(client, ws):
    response = get(client, ws.users["admin"], reports_url(ws))
    assert {report.project_id for report in response.context["reports"]} == {ws.project.pk}


# --- Query counts ------------------------------------------------------------------------


def add_project_rows(w: Workspace, n: int) -> None:
    """n more of every row the page lists: deliverables (late and due soon), work packages,
    partners, upcoming meetings with registrations, communities with requests to join,
    updates and reports."""
    for _ in range(n):
        organisation = ParticipationFactory(project=w.project).organisation
        wp = WorkPackageFactory(project=w.project, number=next(_wp_numbers), lead_organisation=organisation)
        DeliverableFactory(project=w.project, work_package=wp, lead_organisation=organisation)
        DeliverableFactory(project=w.project, lead_organisation=organisation, due_date=soon(20).date())
        community = CommunityFactory(project=w.project)
        meeting = MeetingFactory(project=w.project, community=community, starts_at=soon(3))
        RegistrationFactory(meeting=meeting, user=MembershipFactory(community=community).user)
        RegistrationFactory(meeting=meeting, waitlisted=True)
        MembershipFactory(community=community, pending=True)
        UpdateFactory(project=w.project, is_public=False)
        # Versions are unique per period; the fixture's report is version 1.
        ProgressReportFactory(project=w.project, version=next(_report_versions))


_report_versions = itertools.count(2)
# The fixture's work package is WP2; the factory's own sequence could reach it.
_wp_numbers = itertools.count(10)


@pytest.mark.parametrize("person", ["coordinator", "staff_x", "funder"])
def test_project_page_query_count_does_not_grow(client, ws, person):
    client.force_login(ws.users[person])
    add_project_rows(ws, 1)
    few = count_queries(client, project_url(ws))
    add_project_rows(ws, 49)
    many = count_queries(client, project_url(ws))
    assert few == many <= MAX_QUERIES


def test_reports_page_query_count_does_not_grow(client, ws):
    client.force_login(ws.users["funder"])
    few = count_queries(client, reports_url(ws))
    for version in range(2, 51):
        ProgressReportFactory(project=ws.project, version=version, submitted=True)
    many = count_queries(client, reports_url(ws))
    assert few == many <= MAX_QUERIES
    assert len(client.get(reports_url(ws)).context["reports"]) == 50


def add_dashboard_rows(user, n: int) -> None:
    """n more projects in every role, memberships and upcoming registrations for one person,
    and in the coordinated projects what needs attention: deliverables due soon, upcoming
    meetings, requests to join and progress reports."""
    for _ in range(n):
        managed = ProjectFactory()
        ProjectRoleFactory(user=user, project=managed)
        DeliverableFactory(project=managed, due_date=soon(10).date())
        managed_community = CommunityFactory(project=managed)
        MembershipFactory(community=managed_community, pending=True)
        MeetingFactory(project=managed, starts_at=soon(7))
        ProgressReportFactory(project=managed)
        ProjectRoleFactory(user=user, partner_staff=True)
        funded = ProjectFactory()
        ProjectRoleFactory(user=user, project=funded, role=ProjectRole.Role.FUNDER_OFFICER)
        DeliverableFactory(project=funded)
        community = CommunityFactory(project=funded)
        # Facilitating: the dashboard counts the requests waiting for them.
        MembershipFactory(community=community, user=user, role="facilitator")
        MembershipFactory(community=community, pending=True)
        RegistrationFactory(meeting=MeetingFactory(project=funded, community=community, starts_at=soon(5)), user=user)


def test_dashboard_query_count_does_not_grow(client):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    add_dashboard_rows(user, 1)
    few = count_queries(client, reverse("workspace:dashboard"))
    add_dashboard_rows(user, 49)
    many = count_queries(client, reverse("workspace:dashboard"))
    # Every role at once: a section per role, each with its own prefetch (tests/portal/test_dashboard.py pins them).
    assert few == many <= 16
    response = client.get(reverse("workspace:dashboard"))
    assert [len(response.context[key]) for key in ("managed", "staffed", "funded")] == [50, 50, 50]
    assert len(response.context["memberships"]) == len(response.context["registrations"]) == 50


def test_deliverable_form_query_count_is_small(client, ws):
    client.force_login(ws.users["staff_x"])
    assert count_queries(client, edit_url(ws.deliverables["x"])) <= MAX_QUERIES


@pytest.mark.django_db
def test_deliverable_files_are_served_only_after_the_permission_check(client):
    from django.core.files.base import ContentFile

    from tests.factories import DeliverableFactory, ProjectRoleFactory

    public = DeliverableFactory(file=ContentFile(b"toolkit", name="toolkit.pdf"))
    sensitive = DeliverableFactory(dissemination="sensitive", file=ContentFile(b"internal", name="internal.pdf"))
    url = lambda d: reverse("workspace:deliverable_file", kwargs={"pk": d.pk})  # noqa: E731
    response = client.get(url(public))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"toolkit"
    assert client.get(url(sensitive)).status_code == 404
    coordinator = ProjectRoleFactory(project=sensitive.project).user
    client.force_login(coordinator)
    assert b"".join(client.get(url(sensitive)).streaming_content) == b"internal"
    # The file itself is not reachable under MEDIA_URL.
    assert client.get("/media/" + sensitive.file.name).status_code == 404
