"""The download log: served downloads, refused attempts, and what a funder of another programme gets."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from projects.models import ProjectRole
from reports import downloads
from reports.models import ReportDownload
from tests.factories import (
    FundingProgrammeFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 a progress report"


@pytest.fixture
def report():
    project = ProjectFactory(programme=FundingProgrammeFactory(short_name="AMIF"))
    # Submitted to the funder: funder officers never see drafts (test_permissions covers that).
    return ProgressReportFactory(
        project=project,
        done=True,
        submitted=True,
        file=ContentFile(PDF, name="report.pdf"),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )


def _funder(project):
    user = UserFactory()
    ProjectRoleFactory(user=user, project=project, role=ProjectRole.Role.FUNDER_OFFICER)
    return user


def test_serving_logs_who_when_and_which_version(report):
    funder = _funder(report.project)
    handle = downloads.report_download_serve(report=report, user=funder)
    assert handle.read() == PDF
    handle.close()
    (row,) = ReportDownload.objects.all()
    assert (row.user, row.report, row.version, row.kind, row.outcome, row.project) == (
        funder,
        report,
        report.version,
        "report",
        "served",
        report.project,
    )
    assert row.at is not None


def test_a_missing_file_logs_nothing(report):
    report.file.delete(save=False)
    with pytest.raises(downloads.ReportFileMissing):
        downloads.report_download_serve(report=report, user=_funder(report.project))
    assert not ReportDownload.objects.exists()


def test_the_download_name_is_readable_and_without_the_random_part(report):
    name = downloads.report_file_name(report)
    assert name == f"{report.project.slug}-{report.period_start}-{report.period_end}-en-v1.pdf"


def test_a_funder_of_another_programme_is_denied_and_not_logged_as_served(client, report):
    """The permission test of issue 6."""
    other = ProjectFactory(programme=FundingProgrammeFactory(short_name="Mercator"))
    outsider = _funder(other)
    client.force_login(outsider)
    response = client.get(reverse("reporting:download", args=[report.pk]))
    assert response.status_code == 404
    assert not response.has_header("Content-Disposition")
    assert not ReportDownload.objects.filter(outcome=ReportDownload.Outcome.SERVED).exists()
    (refusal,) = ReportDownload.objects.all()
    assert (refusal.user, refusal.outcome, refusal.report) == (outsider, "denied", report)


def test_the_funder_of_the_project_downloads_and_is_logged(client, report):
    funder = _funder(report.project)
    client.force_login(funder)
    response = client.get(reverse("reporting:download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == report.sha256
    assert ReportDownload.objects.get().outcome == "served"


def test_an_anonymous_visitor_is_sent_to_login_and_leaves_no_row(client, report):
    response = client.get(reverse("reporting:download", args=[report.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ReportDownload.objects.exists()


def test_an_unfinished_report_is_not_found_and_not_logged(client):
    queued = ProgressReportFactory()
    coordinator = UserFactory()
    ProjectRoleFactory(user=coordinator, project=queued.project)
    client.force_login(coordinator)
    assert client.get(reverse("reporting:download", args=[queued.pk])).status_code == 404
    assert not ReportDownload.objects.exists()


def test_partner_staff_are_denied_and_logged(client, report):
    staff = ProjectRoleFactory(project=report.project, partner_staff=True).user
    client.force_login(staff)
    assert client.get(reverse("reporting:download", args=[report.pk])).status_code == 404
    assert ReportDownload.objects.get().outcome == "denied"
