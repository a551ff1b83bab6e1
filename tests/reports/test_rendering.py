"""The progress report's content: what the PDF says matches the project's data.

A demo-like project (consortium in four countries, work packages, deliverables in every
state, a Community of Practice with members, meetings with registrations and check-ins)
is rendered through the service, and the PDF's text is read back with pypdf.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import translation
from pypdf import PdfReader

from events.models import Meeting, Membership, Registration
from partners.models import Organisation
from projects.models import Deliverable, Participation
from reports.content import report_content
from reports.models import ProgressReport
from reports.services import rendering
from reports.storage import media_path
from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgressReportFactory,
    ProjectFactory,
    RegistrationFactory,
    WorkPackageFactory,
    aware,
)

pytestmark = pytest.mark.django_db

PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
GRANT = "101147823"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(report: ProgressReport) -> str:
    reader = PdfReader(io.BytesIO(media_path(report.file.name).read_bytes()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def project_world():
    """ECCIPA-like: a coordinator and four partners, 2 WPs, 4 deliverables, one CoP, meetings."""
    project = ProjectFactory(acronym="ECCIPA-T", slug="eccipa-t", grant_agreement=GRANT)
    for role, country, name in (
        (Participation.Role.COORDINATOR, "DE", "Pro Arbeit Kreis Offenbach"),
        (Participation.Role.PARTNER, "IT", "Comune di Ravenna"),
        (Participation.Role.PARTNER, "IT", "Consorzio Comunità Brianza"),
        (Participation.Role.PARTNER, "ES", "Ayuntamiento de Valencia"),
        (Participation.Role.ASSOCIATED, "BE", "European Network of Cities"),
    ):
        organisation = OrganisationFactory(name=name, country=country, kind=Organisation.Kind.PUBLIC_AUTHORITY)
        ParticipationFactory(project=project, organisation=organisation, role=role)
    wp1 = WorkPackageFactory(project=project, number=1, title="Management")
    wp2 = WorkPackageFactory(project=project, number=2, title="Communities of Practice")
    DeliverableFactory(
        project=project,
        work_package=wp1,
        code="D1.1",
        title="Project handbook",
        due_date=dt.date(2025, 3, 31),
        approved=True,
    )
    DeliverableFactory(
        project=project,
        work_package=wp2,
        code="D2.1",
        title="Local mapping",
        due_date=dt.date(2025, 5, 31),
        status=Deliverable.Status.SUBMITTED,
        submitted_on=dt.date(2025, 6, 10),
    )
    DeliverableFactory(
        project=project,
        work_package=wp2,
        code="D2.2",
        title="CoP toolkit",
        due_date=dt.date(2025, 6, 30),
        status=Deliverable.Status.IN_PROGRESS,
    )
    DeliverableFactory(
        project=project, work_package=wp2, code="D2.3", title="Final manifesto", due_date=dt.date(2027, 12, 31)
    )

    community = CommunityFactory(project=project, name="CoP Ravenna", territory="Ravenna", country="IT")
    for _ in range(3):
        MembershipFactory(community=community, joined_at=aware(2025, 2, 5, 14))
    MembershipFactory(community=community, joined_at=aware(2024, 12, 1, 9))  # joined before the period
    MembershipFactory(community=community, left=True, joined_at=aware(2025, 2, 1), left_at=aware(2025, 4, 1))
    MembershipFactory(community=community, pending=True)

    cop_meeting = MeetingFactory(
        project=project,
        community=community,
        title="CoP kick-off Ravenna",
        starts_at=aware(2025, 3, 10, 10),
        city="Ravenna",
        country="IT",
    )
    for checked_in in (True, True, True, False):
        RegistrationFactory(meeting=cop_meeting, sector=Registration.Sector.CIVIL_SOCIETY, checked_in=checked_in)
    for checked_in in (True, False):
        RegistrationFactory(meeting=cop_meeting, sector=Registration.Sector.PUBLIC, checked_in=checked_in)
    RegistrationFactory(meeting=cop_meeting, waitlisted=True, sector=Registration.Sector.PUBLIC)
    RegistrationFactory(meeting=cop_meeting, cancelled=True, sector=Registration.Sector.PUBLIC)

    partner_meeting = MeetingFactory(
        project=project, title="Partner meeting Offenbach", starts_at=aware(2025, 5, 14, 10), city="Offenbach"
    )
    for checked_in in (True, True, False):
        RegistrationFactory(meeting=partner_meeting, sector=Registration.Sector.PRIVATE, checked_in=checked_in)

    MeetingFactory(
        project=project, title="Cancelled study visit", starts_at=aware(2025, 4, 2, 9), status=Meeting.Status.CANCELLED
    )
    later = MeetingFactory(project=project, title="Autumn workshop", starts_at=aware(2025, 9, 1, 10))
    RegistrationFactory(meeting=later, checked_in=True)
    MeetingFactory(
        project=project, community=community, title="Final conference Ravenna", starts_at=aware(2027, 11, 20, 9)
    )
    # Every meeting was planned before the period began (a report lists what was known at its end).
    Meeting.objects.filter(project=project).update(created_at=aware(2024, 12, 1, 9))
    return project


def request_and_render(project, language="en") -> ProgressReport:
    report = ProgressReportFactory(project=project, period_start=PERIOD[0], period_end=PERIOD[1], language=language)
    rendering.report_render(report_id=report.pk)
    report.refresh_from_db()
    return report


def test_content_aggregates_match_the_data(project_world):
    report = ProgressReportFactory(project=project_world, period_start=PERIOD[0], period_end=PERIOD[1])
    with translation.override("en"):
        content = report_content(report=report, generated_at=aware(2026, 1, 15, 12))

    assert content.consortium.partner_count == 5
    assert [(g.role, len(g.partners)) for g in content.consortium.roles] == [
        ("Coordinator / lead partner", 1),
        ("Partner", 3),
        ("Associated partner", 1),
    ]
    assert [(c.country, c.partners) for c in content.consortium.countries][0] == ("Italy", 2)
    assert [d.code for d in content.deliverables.due_in_period] == ["D1.1", "D2.1", "D2.2"]
    assert [d.code for d in content.deliverables.delivered_in_period] == ["D1.1", "D2.1"]
    assert [d.code for d in content.deliverables.overall if d.late] == ["D2.2"]
    assert [d.code for d in content.deliverables.overall if d.delivered_late] == ["D2.1"]

    meetings = content.meetings
    assert [m.title for m in meetings.held] == ["CoP kick-off Ravenna", "Partner meeting Offenbach"]
    assert meetings.cancelled == 1
    assert (meetings.totals.registered, meetings.totals.waitlisted, meetings.totals.attended) == (9, 1, 6)
    sectors = {f.label: (f.registered, f.waitlisted, f.attended, f.no_show) for f in meetings.by_sector}
    assert sectors == {
        "Public sector": (2, 1, 1, 1),
        "Private sector": (3, 0, 2, 1),
        "Civil society": (4, 0, 3, 1),
    }
    by_community = {f.label: (f.meetings, f.registered, f.attended) for f in meetings.by_community}
    assert by_community == {"CoP Ravenna": (1, 6, 4), "Project meetings (no community)": (1, 3, 2)}

    (cop,) = content.communities
    # 3 joined in the period + 1 before it; the one who left in April is no member at the end.
    assert (cop.members, cop.new_members, cop.attendance_rate) == (4, 4, 67)
    # Upcoming is the next half-year's plan: the 2027 conference is further ahead (it is in the annex).
    assert [m.title for m in content.upcoming] == ["Autumn workshop"]
    assert content.upcoming_until == dt.date(2025, 12, 31)
    assert len(content.annex) == 5


def test_report_pdf_text_shows_the_projects_figures(project_world):
    report = request_and_render(project_world)

    assert report.status == ProgressReport.Status.DONE, report.error_message
    assert report.page_count and report.page_count >= 3
    text = pdf_text(report)
    assert GRANT in text
    assert "5 partner organisations in the consortium" in text
    for state in ("Approved", "Submitted", "In progress", "Planned"):
        assert state in text
    assert re.search(r"D2\.2 CoP toolkit .*?late · In progress", text), "the late deliverable is flagged in words"
    assert "2 meetings held: 9 registered, 6 attended." in text
    # By sector: meetings, registered, waitlisted, attended, no-show, rate. Counts of 1 to 4
    # people read "< 5" (reports/disclosure.py), and a rate of hidden counts is not given.
    assert "Civil society 1 < 5 0 < 5 < 5 –" in text
    assert "Public sector 1 < 5 < 5 < 5 < 5 –" in text
    assert "Private sector 1 < 5 0 < 5 < 5 –" in text
    # 6 registered is hidden too: with the period's total (9) shown, the 3 of the other row would give it away.
    assert "CoP Ravenna 1 < 5 < 5 < 5 < 5 –" in text
    assert "Autumn workshop" in text  # upcoming and annex
    assert "Final conference Ravenna" in text  # annex
    assert "Cancelled study visit" in text  # annex lists all meetings


def test_report_names_no_participant(project_world):
    report = request_and_render(project_world)
    text = pdf_text(report)
    people = {(r.user.first_name, r.user.last_name) for r in Registration.objects.select_related("user")}
    people |= {(m.user.first_name, m.user.last_name) for m in Membership.objects.select_related("user")}
    for first, last in people:
        assert f"{first} {last}" not in text
        assert last not in text
    assert "@example.org" not in text


def test_report_in_german(project_world):
    report = request_and_render(project_world, language="de")
    text = pdf_text(report)
    assert "Fortschrittsbericht" in text or "Progress report" in text  # catalogue may lag behind
    assert "Zivilgesellschaft" in text or "Civil society" in text
    assert report.status == ProgressReport.Status.DONE
    # Dates follow the report's language, not the worker's.
    assert "01.01.2025" in text


def test_stored_file_matches_its_hash_and_has_an_unguessable_name(project_world):
    import hashlib

    report = request_and_render(project_world)
    data = media_path(report.file.name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == report.sha256
    assert report.file_size == len(data)
    assert data.startswith(b"%PDF")
    name = report.file.name
    assert name.startswith(f"reports/{project_world.pk}/eccipa-t-20250101-20250630-en-v1-")
    # A random part of 96 bits after the predictable part.
    random_part = name.rsplit("-v1-", 1)[1].removesuffix(".pdf")
    assert len(random_part) == 16
    assert not list(media_path(name).parent.glob(".partial-*"))


def test_file_name_fits_the_field_for_the_longest_slug():
    from reports.storage import report_file_name

    name = report_file_name(
        project_id=9_999_999,
        project_slug="x" * 80,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        language="de",
        version=999,
    )
    assert len(name) <= ProgressReport._meta.get_field("file").max_length


# --- The URL fetcher: a report reads the portal's own files and nothing else ---------


def test_fetcher_refuses_file_urls_and_external_hosts():
    from projects.pdf_fetcher import PortalURLFetcher
    from projects.pdf_rendering import BASE_URL, RefusedURL

    fetcher = PortalURLFetcher()
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/css/report.css",
        "https://example.org/logo.png",
        f"{BASE_URL}media/../../etc/passwd",
        f"{BASE_URL}etc/passwd",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert fetcher.fetch(f"{BASE_URL}static/css/report.css").read().startswith(b"/*")


def test_report_html_with_foreign_urls_renders_without_fetching_them(tmp_path):
    """file:// and an external server named inside a document are never read."""
    import http.server
    import threading

    from projects.pdf_rendering import render_pdf

    secret = tmp_path / "secret.css"
    secret.write_text('body::after { content: "LEAKED-FILE"; }')
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b'body::before { content: "LEAKED-HTTP"; }'
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        html = (
            "<!doctype html><html lang='en'><head>"
            f"<link rel='stylesheet' href='{secret.as_uri()}'>"
            f"<link rel='stylesheet' href='http://127.0.0.1:{server.server_port}/evil.css'>"
            "<link rel='stylesheet' href='/static/css/report.css'>"
            "</head><body><p>Report body</p>"
            f"<img src='http://127.0.0.1:{server.server_port}/pixel.png' alt=''>"
            "<img src='file:///etc/hostname' alt=''></body></html>"
        )
        rendered = render_pdf(html)
    finally:
        server.shutdown()
        server.server_close()
    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(rendered.content)).pages)
    assert "Report body" in text
    assert "LEAKED" not in text
    assert hits == []


def test_demo_eccipa_report_renders_with_its_own_figures():
    """The demo loader's ECCIPA, as the coordinator would request it: facts and counts match the data."""
    from events.models import Meeting
    from portal.demo.loader import load_demo
    from projects.models import Project

    load_demo()
    project = Project.objects.get(slug="eccipa")
    start = project.start_date
    report = ProgressReportFactory(project=project, period_start=start, period_end=project.end_date)
    rendering.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.DONE, report.error_message

    text = pdf_text(report)
    partners = Participation.objects.filter(project=project).count()
    # The sources give ECCIPA no grant number; the cover says so with a dash rather than a blank.
    assert f"Grant agreement number {project.grant_agreement or '–'}" in text
    assert f"{partners} partner organisations in the consortium" in text
    for meeting in Meeting.objects.filter(project=project):
        assert meeting.title[:30] in text
