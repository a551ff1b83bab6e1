"""The reports page in the browser: request, follow, download, the log; and the admin action."""

import datetime as dt
import hashlib

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import reverse

from projects.models import ProjectRole
from reports.models import ProgressReport, ReportDownload
from tests.factories import ProgressReportFactory, ProjectFactory, ProjectRoleFactory, UserFactory
from tests.outbox_capture import hand_overs

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    project = ProjectFactory(slug="eccipa-like", start_date=dt.date(2025, 1, 1), end_date=dt.date(2027, 12, 31))
    coordinator = UserFactory(is_staff=True)
    ProjectRoleFactory(user=coordinator, project=project)
    funder = UserFactory()
    ProjectRoleFactory(user=funder, project=project, role=ProjectRole.Role.FUNDER_OFFICER)
    return project, coordinator, funder


def page(project):
    return reverse("workspace:reports", kwargs={"slug": project.slug})


def submit_through_the_pages(client, report: ProgressReport) -> None:
    """As the logged-in coordinator: open the report's period, and submit the version to the funder."""
    project = report.project
    response = client.post(
        reverse("reporting:period_open", args=[project.slug]),
        {"open-period": "custom", "open-period_start": report.period_start, "open-period_end": report.period_end},
    )
    assert response.status_code == 302, response.context and response.context["period_form"].errors
    response = client.post(response["Location"], {"action": "submit", "reports": [report.pk]})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.submitted_in is not None


def test_a_coordinator_requests_a_quarter(client, world, django_capture_on_commit_callbacks):
    project, coordinator, _ = world
    client.force_login(coordinator)
    form = client.get(page(project)).context["form"]
    quarter = form.fields["period"].initial
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(page(project), {"period": quarter, "language": "de"})
    assert response.status_code == 302 and response["Location"] == page(project)
    report = ProgressReport.objects.get()
    start, end = quarter.split(":")
    assert (str(report.period_start), str(report.period_end), report.language) == (start, end, "de")
    assert report.status == "queued" and report.requested_by == coordinator
    assert len(hand_overs(callbacks)) == 1  # the render task, queued after the commit


def test_a_custom_period_and_its_errors(client, world):
    project, coordinator, _ = world
    client.force_login(coordinator)
    response = client.post(page(project), {"period": "custom", "period_start": "2025-03-01", "language": "en"})
    assert response.status_code == 200 and "period_end" in response.context["form"].errors
    response = client.post(
        page(project), {"period": "custom", "period_start": "2025-03-01", "period_end": "2025-02-01", "language": "en"}
    )
    assert response.context["form"].errors  # the service's message, on the form
    assert "cannot end before it starts" in response.content.decode()
    response = client.post(page(project), {"period": "nonsense", "language": "xx"})
    assert set(response.context["form"].errors) >= {"period", "language"}
    assert not ProgressReport.objects.exists()
    response = client.post(
        page(project), {"period": "custom", "period_start": "2025-03-01", "period_end": "2025-05-31", "language": "en"}
    )
    assert response.status_code == 302 and ProgressReport.objects.count() == 1


def test_funders_see_versions_but_request_nothing(client, world):
    project, _, funder = world
    client.force_login(funder)
    response = client.get(page(project))
    assert response.status_code == 200 and response.context["form"] is None
    assert reverse("reporting:download_log", args=[project.slug]) not in response.content.decode()
    assert client.post(page(project), {"period": "custom", "language": "en"}).status_code == 403
    assert client.get(reverse("reporting:download_log", args=[project.slug])).status_code == 403
    assert not ProgressReport.objects.exists()


def test_the_page_polls_while_a_version_is_in_progress(client, world):
    project, coordinator, _ = world
    client.force_login(coordinator)
    ProgressReportFactory(project=project, failed=True, version=1)
    body = client.get(page(project)).content.decode()
    assert 'data-in-progress="false"' in body and "WeasyPrint could not render the report." in body
    ProgressReportFactory(project=project, version=2)
    body = client.get(page(project)).content.decode()
    assert 'data-in-progress="true"' in body and "Refresh now" in body and "report-status.js" in body
    partial = client.get(reverse("reporting:versions", args=[project.slug]))
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert 'data-in-progress="true"' in partial.content.decode()
    assert "no-cache" in partial["Cache-Control"] or "max-age=0" in partial["Cache-Control"]


def test_done_versions_link_the_download_with_their_hash(client, world):
    project, _, funder = world
    report = ProgressReportFactory(project=project, done=True, submitted=True)
    client.force_login(funder)
    body = client.get(page(project)).content.decode()
    assert reverse("reporting:download", args=[report.pk]) in body and report.sha256 in body
    assert "/media/" not in body


def test_demo_flow_request_download_and_log(client, world, django_capture_on_commit_callbacks, monkeypatch):
    """Coordinator requests, the worker renders, the funder downloads, the coordinator sees it."""
    from reports.services import rendering

    monkeypatch.setattr(rendering, "report_html", lambda **kwargs: "<html></html>")
    monkeypatch.setattr(
        rendering, "render_pdf", lambda html: type("R", (), {"content": b"%PDF-1.4 x", "page_count": 1})()
    )
    project, coordinator, funder = world
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(project), {"period": "2025-01-01:2025-03-31", "language": "en"})
    report = ProgressReport.objects.get()
    assert report.status == "done"
    # A draft until the coordinator submits it: funders never see drafts.
    client.force_login(funder)
    assert client.get(reverse("reporting:download", args=[report.pk])).status_code == 404
    client.force_login(coordinator)
    submit_through_the_pages(client, report)
    client.force_login(funder)
    response = client.get(reverse("reporting:download", args=[report.pk]))
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == report.sha256
    client.force_login(coordinator)
    log = client.get(reverse("reporting:download_log", args=[project.slug]))
    assert log.status_code == 200
    # The funder's attempt on the draft was refused (and logged), the submitted version served.
    assert [(row.user, row.outcome) for row in log.context["downloads"]] == [(funder, "served"), (funder, "denied")]
    assert funder.email in log.content.decode()


def _download_rows(project, user, report, n):
    ReportDownload.objects.bulk_create(
        ReportDownload(
            project=project, user=user, report=report, version=report.version, kind="report", outcome="served"
        )
        for _ in range(n)
    )


@pytest.mark.parametrize("rows", [1, 50])
def test_query_counts(client, world, django_assert_max_num_queries, rows):
    project, coordinator, funder = world
    for version in range(1, rows + 1):
        ProgressReportFactory(project=project, done=True, version=version)
    _download_rows(project, funder, ProgressReport.objects.first(), rows)
    client.force_login(coordinator)
    for url in (
        page(project),
        reverse("reporting:versions", args=[project.slug]),
        reverse("reporting:download_log", args=[project.slug]),
    ):
        client.get(url)  # warm per-process caches
        with django_assert_max_num_queries(15) as captured:
            assert client.get(url).status_code == 200
        key = url.rsplit("/", 2)[-2]
        if rows == 1:
            ONE_ROW[key] = len(captured)
        elif key in ONE_ROW:  # the 1-row case ran first: 50 rows cost the same queries
            assert len(captured) == ONE_ROW[key], url


ONE_ROW: dict[str, int] = {}


def test_the_platform_admin_reaches_every_reporting_page(client, world):
    project, _, _ = world
    pdf = b"%PDF-1.4"
    report = ProgressReportFactory(
        project=project, done=True, file=ContentFile(pdf, name="r.pdf"), sha256=hashlib.sha256(pdf).hexdigest()
    )
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for url in (
        page(project),
        reverse("reporting:versions", args=[project.slug]),
        reverse("reporting:download_log", args=[project.slug]),
        reverse("reporting:bundle", args=[project.slug]),
        reverse("reporting:download", args=[report.pk]),
    ):
        assert client.get(url).status_code == 200, url


# --- The admin ---------------------------------------------------------------------------


def test_admin_action_requests_a_new_version_through_the_service(client, world, django_capture_on_commit_callbacks):
    project, coordinator, _ = world
    report = ProgressReportFactory(project=project, done=True)
    elsewhere = ProgressReportFactory(done=True)
    client.force_login(coordinator)
    url = reverse("admin:reports_progressreport_changelist")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            url, {"action": "request_new_version", "_selected_action": [report.pk, elsewhere.pk]}, follow=True
        )
    assert response.status_code == 200
    new = ProgressReport.objects.get(project=project, version=2)
    assert (new.period_start, new.language, new.requested_by, new.status) == (
        report.period_start,
        report.language,
        coordinator,
        "queued",
    )
    # The other project's report is outside the coordinator's changelist: untouched.
    assert not ProgressReport.objects.filter(project=elsewhere.project, version=2).exists()
    assert len(hand_overs(callbacks)) == 1


def test_the_download_log_admin_is_read_only(client, world):
    project, coordinator, funder = world
    report = ProgressReportFactory(project=project, done=True)
    _download_rows(project, funder, report, 1)
    row = ReportDownload.objects.get()
    client.force_login(coordinator)
    assert client.get(reverse("admin:reports_reportdownload_change", args=[row.pk])).status_code == 200
    model_admin = admin.site._registry[ReportDownload]
    request = type("R", (), {"user": coordinator})()
    assert not model_admin.has_change_permission(request, row)
    assert not model_admin.has_delete_permission(request, row)
    assert not model_admin.has_add_permission(request)


# --- The demo, end to end ------------------------------------------------------------------


def test_the_demo_journey(client, settings, django_capture_on_commit_callbacks):
    """Issue 6's "done when": coordinator@ requests an ECCIPA report in the browser, the worker
    (eager here) renders the real PDF, funder@ downloads it, funder.mercator@ (another
    programme) is refused and not logged as served, and the coordinator sees it all in the log."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    settings.PORTAL_DEMO_ACCOUNTS = True
    call_command("load_demo", verbosity=0)
    people = get_user_model().objects
    eccipa = reverse("workspace:reports", kwargs={"slug": "eccipa"})
    client.force_login(people.get(email="coordinator@example.org"))
    form = client.get(eccipa).context["form"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(eccipa, {"period": form.fields["period"].initial, "language": "en"})
    assert response.status_code == 302
    report = ProgressReport.objects.filter(project__slug="eccipa").latest("created_at")
    assert report.status == "done", report.error_message
    assert report.sha256 in client.get(eccipa).content.decode()
    submit_through_the_pages(client, report)

    download = reverse("reporting:download", args=[report.pk])
    client.force_login(people.get(email="funder@example.org"))
    response = client.get(download)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == report.sha256

    client.force_login(people.get(email="funder.mercator@example.org"))
    assert client.get(download).status_code == 404

    client.force_login(people.get(email="coordinator@example.org"))
    log = client.get(reverse("reporting:download_log", args=["eccipa"]))
    rows = [(row.user.email, row.outcome) for row in log.context["downloads"]]
    assert ("funder@example.org", "served") in rows
    assert ("funder.mercator@example.org", "served") not in rows
    assert ("funder.mercator@example.org", "denied") in rows


def test_the_admin_add_form_goes_through_the_service(client, world, django_capture_on_commit_callbacks):
    project, coordinator, _ = world
    ProgressReportFactory(project=project, done=True, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 3, 31))
    client.force_login(coordinator)
    url = reverse("admin:reports_progressreport_add")
    data = {
        "project": project.pk,
        "period_start": "2025-01-01",
        "period_end": "2025-03-31",
        "language": "en",
        "requested_by": coordinator.pk,
    }
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    new = ProgressReport.objects.get(project=project, version=2)
    assert new.status == "queued" and new.requested_by == coordinator
    assert len(hand_overs(callbacks)) == 1
    # The service's checks come back as form errors, not as an error page.
    response = client.post(url, {**data, "period_start": "2030-01-01", "period_end": "2030-03-31"})
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert ProgressReport.objects.filter(project=project).count() == 2
