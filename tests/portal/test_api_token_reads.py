"""The reads behind a login or a token: a project's internal data (as its workspace page) and the
progress reports (as the reports pages), with the report download logged as the browser's."""

from __future__ import annotations

import hashlib

import pytest
import schemathesis
from django.core import signals
from django.core.files.base import ContentFile
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from events.models import Registration
from portal.accounts.api_tokens import api_token_create
from portal.api import scopes
from portal.wsgi import application
from projects.models import Deliverable, ProjectRole
from reports.models import ReportDownload
from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    FundingProgrammeFactory,
    MeetingFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
    WorkPackageFactory,
)
from tests.query_counts import assert_no_more_queries, queries

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 a progress report"
PROBLEM = "application/problem+json"


def _client(user, *wanted: str) -> Client:
    _token, secret = api_token_create(user=user, name="office", scopes=list(wanted))
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _warm(client: Client, url: str) -> None:
    # The token's first use writes its last use (once in a few minutes): not part of the count.
    assert client.get(url).status_code == 200


def _role(project, role=ProjectRole.Role.COORDINATOR, **kwargs):
    return ProjectRoleFactory(project=project, role=role, **kwargs).user


@pytest.fixture
def project():
    project = ProjectFactory(slug="inside", is_public=True)
    WorkPackageFactory(project=project, number=1)
    DeliverableFactory(project=project, code="D1.1", dissemination=Deliverable.Dissemination.SENSITIVE)
    DeliverableFactory(project=project, code="D1.2")
    meeting = MeetingFactory(project=project, community=CommunityFactory(project=project), capacity=20)
    for _ in range(3):
        RegistrationFactory(meeting=meeting, sector=Registration.Sector.CIVIL_SOCIETY)
    return project


# --- A project's internal data ------------------------------------------------------------


def test_the_coordinator_reads_the_internal_data_with_exact_counts(project):
    response = _client(_role(project), scopes.READ).get("/api/v1/projects/inside/internal/")
    assert response.status_code == 200
    data = response.json()
    assert data["project"] == "inside" and data["exact_counts"] is True
    assert {d["code"] for d in data["deliverables"]} == {"D1.1", "D1.2"}  # the sensitive one too
    assert [wp["number"] for wp in data["work_packages"]] == [1]
    (meeting,) = data["meetings"]
    assert meeting["confirmed"] == 3
    assert [(s["sector"], s["confirmed"]) for s in meeting["by_sector"]] == [("civil_society", 3)]
    assert "registrations" not in meeting and "email" not in str(data)


def test_a_funder_reads_small_counts_hidden_as_on_the_page(project):
    funder = _role(project, ProjectRole.Role.FUNDER_OFFICER)
    data = _client(funder, scopes.READ).get("/api/v1/projects/inside/internal/").json()
    assert data["exact_counts"] is False
    (meeting,) = data["meetings"]
    assert meeting["confirmed"] is None  # 3 people: "< 5" on the page
    assert meeting["by_sector"][0]["confirmed"] is None


def test_partner_staff_read_it_too_like_the_page(project):
    staff = ProjectRoleFactory(project=project, partner_staff=True).user
    assert _client(staff, scopes.READ).get("/api/v1/projects/inside/internal/").status_code == 200


@pytest.mark.parametrize("public", [True, False])
def test_others_are_refused_as_in_the_browser(public):
    ProjectFactory(slug="theirs", is_public=public)
    outsider = UserFactory()
    other_coordinator = _role(ProjectFactory())
    browser = Client()
    browser.force_login(outsider)
    expected = browser.get(reverse("workspace:project", args=["theirs"])).status_code
    assert expected == (403 if public else 404)
    for user in (outsider, other_coordinator):
        response = _client(user, scopes.READ).get("/api/v1/projects/theirs/internal/")
        assert (response.status_code, response["Content-Type"]) == (expected, PROBLEM)
    assert Client().get("/api/v1/projects/theirs/internal/").status_code == 401


def test_the_internal_data_needs_the_read_scope(project):
    coordinator = _role(project)
    response = _client(coordinator, scopes.MANAGE).get("/api/v1/projects/inside/internal/")
    assert (response.status_code, response["Content-Type"]) == (403, PROBLEM)
    browser = Client()
    browser.force_login(coordinator)  # the browser's session carries the person's full rights
    assert browser.get("/api/v1/projects/inside/internal/").status_code == 200


def test_the_internal_data_takes_as_many_queries_for_one_row_as_for_fifty(project):
    client = _client(_role(project), scopes.READ)
    _warm(client, "/api/v1/projects/inside/internal/")
    with queries() as few:
        assert client.get("/api/v1/projects/inside/internal/").status_code == 200
    community = CommunityFactory(project=project)
    for number in range(2, 51):
        WorkPackageFactory(project=project, number=number)
        DeliverableFactory(project=project)
        RegistrationFactory(meeting=MeetingFactory(project=project, community=community))
    with queries() as many:
        data = client.get("/api/v1/projects/inside/internal/").json()
    assert len(data["meetings"]) == 50 and len(data["work_packages"]) == 50
    assert_no_more_queries(few, many)


# --- Progress reports ---------------------------------------------------------------------------


@pytest.fixture
def reports():
    project = ProjectFactory(slug="funded", programme=FundingProgrammeFactory(short_name="AMIF"))
    submitted = ProgressReportFactory(
        project=project,
        done=True,
        submitted=True,
        file=ContentFile(PDF, name="report.pdf"),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    draft = ProgressReportFactory(
        project=project,
        version=2,
        done=True,
        file=ContentFile(PDF, name="draft.pdf"),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    return {"project": project, "submitted": submitted, "draft": draft}


def test_a_funder_lists_only_submitted_versions_and_no_names(reports):
    funder = _role(reports["project"], ProjectRole.Role.FUNDER_OFFICER)
    response = _client(funder, scopes.REPORTS).get("/api/v1/reports/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [reports["submitted"].pk]
    assert rows[0]["submitted"] is True and rows[0]["download"].endswith(f"/api/v1/reports/{rows[0]['id']}/download/")
    assert "requested_by" not in rows[0]
    assert _client(funder, scopes.REPORTS).get(f"/api/v1/reports/{reports['draft'].pk}/").status_code == 404


def test_the_coordinator_sees_every_version_in_the_browser_session(reports):
    browser = Client()
    browser.force_login(_role(reports["project"]))
    ids = {row["id"] for row in browser.get("/api/v1/reports/").json()["results"]}
    assert ids == {reports["submitted"].pk, reports["draft"].pk}


def test_the_reports_need_the_reports_scope_and_a_caller(reports):
    funder = _role(reports["project"], ProjectRole.Role.FUNDER_OFFICER)
    assert _client(funder, scopes.READ).get("/api/v1/reports/").status_code == 403
    anonymous = Client().get("/api/v1/reports/")
    assert (anonymous.status_code, anonymous["Content-Type"]) == (401, PROBLEM)
    assert anonymous["WWW-Authenticate"].startswith("Bearer")


def _log() -> list[tuple]:
    return list(
        ReportDownload.objects.order_by("id").values_list(
            "project_id", "report_id", "version", "user_id", "kind", "outcome"
        )
    )


def test_the_funders_download_is_logged_exactly_as_the_browsers(reports):
    report = reports["submitted"]
    funder = _role(reports["project"], ProjectRole.Role.FUNDER_OFFICER)
    browser = Client()
    browser.force_login(funder)
    in_browser = browser.get(reverse("reporting:download", args=[report.pk]))
    assert in_browser.status_code == 200
    browser_row = _log()
    ReportDownload.objects.all().delete()

    response = _client(funder, scopes.REPORTS).get(f"/api/v1/reports/{report.pk}/download/", HTTP_ACCEPT="*/*")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == in_browser["Content-Disposition"]
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == report.sha256
    assert _log() == browser_row
    assert browser_row[0][-1] == "served"


def test_a_refused_download_is_logged_exactly_as_the_browsers(reports):
    draft = reports["draft"]
    funder = _role(reports["project"], ProjectRole.Role.FUNDER_OFFICER)
    browser = Client()
    browser.force_login(funder)
    assert browser.get(reverse("reporting:download", args=[draft.pk])).status_code == 404
    browser_row = _log()
    ReportDownload.objects.all().delete()
    response = _client(funder, scopes.REPORTS).get(f"/api/v1/reports/{draft.pk}/download/")
    assert (response.status_code, response["Content-Type"]) == (404, PROBLEM)
    assert _log() == browser_row and browser_row[0][-1] == "denied"


def test_a_download_without_the_scope_is_refused_before_anything_is_looked_up(reports):
    funder = _role(reports["project"], ProjectRole.Role.FUNDER_OFFICER)
    response = _client(funder, scopes.READ).get(f"/api/v1/reports/{reports['submitted'].pk}/download/")
    assert response.status_code == 403
    assert not ReportDownload.objects.exists()


def test_the_reports_list_takes_as_many_queries_for_one_row_as_for_fifty():
    project = ProjectFactory()
    funder = _role(project, ProjectRole.Role.FUNDER_OFFICER)
    client = _client(funder, scopes.REPORTS)
    ProgressReportFactory(project=project, done=True, submitted=True)
    _warm(client, "/api/v1/reports/")
    with queries() as few:
        assert len(client.get("/api/v1/reports/?page_size=100").json()["results"]) == 1
    for version in range(2, 51):
        ProgressReportFactory(project=project, version=version, done=True, submitted=True)
    with queries() as many:
        assert len(client.get("/api/v1/reports/?page_size=100").json()["results"]) == 50
    assert_no_more_queries(few, many)


@pytest.mark.parametrize("pk", ["abc", "%0A", "99999999999999999999999", "-1", "%C2%B3"])
def test_an_address_that_names_no_report_is_a_404_problem(reports, pk):
    funder = _role(reports["project"], ProjectRole.Role.FUNDER_OFFICER)
    client = _client(funder, scopes.REPORTS)
    for url in (f"/api/v1/reports/{pk}/", f"/api/v1/reports/{pk}/download/"):
        response = client.get(url)
        assert (response.status_code, response["Content-Type"]) == (404, PROBLEM), url
    assert not ReportDownload.objects.exists()


@pytest.mark.parametrize("slug", ["%0A", "a%0Ab", "%C3%A8"])
def test_an_address_that_names_no_project_is_a_404_problem(project, slug):
    client = _client(_role(project), scopes.READ)
    response = client.get(f"/api/v1/projects/{slug}/internal/")
    assert (response.status_code, response["Content-Type"]) == (404, PROBLEM)


# --- The token operations against the schema, signed in with a token ----------------------------
#
# tests/portal/test_api_schema.py asks anonymously (these operations then answer 401 only);
# here a token with every scope asks, as the project's coordinator and funder officer.


@pytest.fixture
def keep_connection():
    """As Django's test client: the WSGI handler must not close the test's database connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_the_token_operations_conform_to_the_schema(project, keep_connection, mode):
    person = _role(project)
    ProjectRoleFactory(user=person, project=project, role=ProjectRole.Role.FUNDER_OFFICER)
    ProgressReportFactory(
        project=project, done=True, file=ContentFile(PDF, name="r.pdf"), sha256=hashlib.sha256(PDF).hexdigest()
    )
    _token, secret = api_token_create(user=person, name="schema", scopes=[scopes.READ, scopes.REPORTS])
    headers = {"Accept": "application/vnd.oai.openapi+json"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, headers=headers)
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().path.startswith(("/api/v1/reports/", "/api/v1/projects/{slug}/internal/"))
    ]
    assert len(operations) == 4
    generation = GenerationMode.POSITIVE if mode == "positive" else GenerationMode.NEGATIVE
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=generation))
        @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {secret}"}
            if "slug" in (case.path_parameters or {}) and mode == "positive":
                case.path_parameters["slug"] = project.slug
            # ignored_auth: the generated Authorization is replaced by the real token above.
            case.call_and_validate(excluded_checks=[positive_data_acceptance, ignored_auth])

        try:
            check()
        except Unsatisfiable:
            assert mode == "negative", operation.label
