"""The audit bundle: what goes in for whom, hashes, and the log."""

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from events.models import Meeting
from projects.models import Deliverable, Project, ProjectRole
from reports import bundle as audit_bundle
from reports.models import ReportDownload
from tests.factories import (
    DeliverableFactory,
    MeetingFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _pdf(text: str) -> ContentFile:
    return ContentFile(f"%PDF-1.4 {text}".encode(), name=f"{text}.pdf")


@pytest.fixture
def project(monkeypatch):
    # Drawing real sign-in sheets is the events app's test; here any bytes will do.
    monkeypatch.setattr(audit_bundle, "attendance_sheet_pdf", lambda meeting: f"%PDF sheet {meeting.pk}".encode())
    project = ProjectFactory(slug="audit")
    for version, language in ((1, "en"), (2, "en"), (1, "de")):
        content = f"%PDF-1.4 {language}{version}".encode()
        ProgressReportFactory(
            project=project,
            done=True,
            version=version,
            language=language,
            file=ContentFile(content, name=f"{language}{version}.pdf"),
            sha256=hashlib.sha256(content).hexdigest(),
        )
    ProgressReportFactory(project=project, version=3, language="en")  # queued: not in the bundle
    DeliverableFactory(project=project, code="D1.1", file=_pdf("public"))
    DeliverableFactory(
        project=project, code="D1.2", file=_pdf("secret"), dissemination=Deliverable.Dissemination.SENSITIVE
    )
    DeliverableFactory(project=project, code="D1.3")  # no file
    past = timezone.now() - dt.timedelta(days=30)
    MeetingFactory(project=project, title="Held in person", starts_at=past)
    MeetingFactory(project=project, title="Held online", starts_at=past, format=Meeting.Format.ONLINE)
    MeetingFactory(project=project, title="Still to come", starts_at=timezone.now() + dt.timedelta(days=30))
    return project


def _names(data: bytes) -> set[str]:
    return set(zipfile.ZipFile(io.BytesIO(data)).namelist())


def test_coordinators_bundle(project):
    built = audit_bundle.bundle_build(project=project, include_attendance_sheets=True)
    data = built.file.read()
    built.file.close()
    names = _names(data)
    assert {n for n in names if n.startswith("reports/")} == {
        f"reports/audit-{p}-en-v2.pdf" for p in ["2025-01-01-2025-06-30"]
    } | {"reports/audit-2025-01-01-2025-06-30-de-v1.pdf"}
    assert [n for n in names if n.startswith("deliverables/")] == [next(n for n in names if "d11-" in n)]
    sheets = [n for n in names if n.startswith("attendance-sheets/")]
    assert len(sheets) == 1 and "held-in-person" in sheets[0]
    archive = zipfile.ZipFile(io.BytesIO(data))
    sums = archive.read("SHA256SUMS.txt").decode().splitlines()
    for line in sums:
        digest, path = line.split("  ")
        assert hashlib.sha256(archive.read(path)).hexdigest() == digest
    assert len(sums) == len(names) - 1
    assert "MISSING.txt" not in names


def test_funders_get_no_attendance_sheets(client, project):
    funder = UserFactory()
    ProjectRoleFactory(user=funder, project=project, role=ProjectRole.Role.FUNDER_OFFICER)
    client.force_login(funder)
    response = client.get(reverse("reporting:bundle", args=[project.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-audit-bundle-')
    names = _names(b"".join(response.streaming_content))
    assert not [n for n in names if n.startswith("attendance-sheets/")]
    assert not [n for n in names if "secret" in n]
    row = ReportDownload.objects.get()
    assert (row.user, row.kind, row.outcome, row.report) == (funder, "bundle", "served", None)


def test_coordinator_download_includes_sheets(client, project):
    coordinator = UserFactory()
    ProjectRoleFactory(user=coordinator, project=project)
    client.force_login(coordinator)
    response = client.get(reverse("reporting:bundle", args=[project.slug]))
    assert any(n.startswith("attendance-sheets/") for n in _names(b"".join(response.streaming_content)))


def test_a_missing_file_is_named_not_fatal(project):
    deliverable = Deliverable.objects.get(code="D1.1")
    deliverable.file.storage.delete(deliverable.file.name)
    built = audit_bundle.bundle_build(project=project, include_attendance_sheets=False)
    archive = zipfile.ZipFile(built.file)
    assert "d11-" in archive.read("MISSING.txt").decode()
    built.file.close()


def test_outsiders_are_refused_and_logged_as_denied(client, project):
    # Private: outsiders may not see the project, so its bundle is a 404 to them (portal/access.py).
    Project.objects.filter(pk=project.pk).update(is_public=False)
    outsider = UserFactory()
    ProjectRoleFactory(user=outsider, project=ProjectFactory(), role=ProjectRole.Role.FUNDER_OFFICER)
    client.force_login(outsider)
    assert client.get(reverse("reporting:bundle", args=[project.slug])).status_code == 404
    assert ReportDownload.objects.get().outcome == "denied"
    staff = ProjectRoleFactory(project=project, partner_staff=True).user
    client.force_login(staff)
    assert client.get(reverse("reporting:bundle", args=[project.slug])).status_code == 403
    # Public, the project is no secret: the outsider's refusal is a 403, logged all the same.
    Project.objects.filter(pk=project.pk).update(is_public=True)
    client.force_login(outsider)
    assert client.get(reverse("reporting:bundle", args=[project.slug])).status_code == 403
    assert list(ReportDownload.objects.values_list("outcome", flat=True)) == ["denied"] * 3


def test_funders_bundle_carries_the_report_with_small_counts_suppressed(settings, tmp_path):
    """What a funder gets in the zip is the report as generated: counts of 1 to 4 people read "< 5"."""
    from pypdf import PdfReader

    from events.models import Registration
    from reports.services import rendering
    from tests.factories import RegistrationFactory, aware

    settings.MEDIA_ROOT = tmp_path / "media"
    project = ProjectFactory(slug="small-bundle")
    meeting = MeetingFactory(project=project, title="Small meeting", starts_at=aware(2025, 3, 10, 10))
    for _ in range(3):
        RegistrationFactory(meeting=meeting, sector=Registration.Sector.PUBLIC, checked_in=True)
    Meeting.objects.filter(pk=meeting.pk).update(created_at=aware(2025, 1, 2))
    report = ProgressReportFactory(project=project, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 6, 30))
    rendering.report_render(report_id=report.pk)
    built = audit_bundle.bundle_build(project=project, include_attendance_sheets=False)
    with built.file, zipfile.ZipFile(built.file) as archive:
        (name,) = [n for n in archive.namelist() if n.startswith("reports/")]
        reader = PdfReader(io.BytesIO(archive.read(name)))
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
        assert not [n for n in archive.namelist() if n.startswith("attendance-sheets/")]
    assert "< 5 registered, < 5 attended" in text
    assert "3 registered" not in text
