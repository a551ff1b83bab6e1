"""A progress report states the project as it stood at the end of its period.

A project is reported on for Q2 2021; then, after the period, its deliverables are handed
in, a registration is cancelled, a member leaves, a meeting is added and people register
for the next one. The report for Q2 2021 generated again afterwards gives the same
figures as the one generated on the first day after the period, and those are the
figures of 30 June 2021.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from events.models import Meeting, Registration
from events.services.memberships import membership_leave
from events.services.registrations import registration_cancel
from projects.models import Deliverable
from projects.services import deliverable_update
from reports.content import ReportContent, report_content
from reports.services import rendering
from reports.storage import media_path
from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    MeetingFactory,
    MembershipFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    aware,
)
from tests.outbox_capture import capture

pytestmark = pytest.mark.django_db

Q2_2021 = (dt.date(2021, 4, 1), dt.date(2021, 6, 30))
FIRST_DAY_AFTER = aware(2021, 7, 1, 9)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    """The project on 30 June 2021: nine open deliverables (two due in Q2), one meeting
    held, one planned for September, a community of two members."""
    project = ProjectFactory(
        acronym="ASOF", slug="asof", start_date=dt.date(2021, 1, 1), end_date=dt.date(2023, 12, 31)
    )
    coordinator = ProjectRoleFactory(project=project).user
    due_dates = [dt.date(2021, 5, 31), dt.date(2021, 6, 30)] + [dt.date(2021, 9 + n, 30) for n in range(3)]
    due_dates += [dt.date(2022, 3, 31), dt.date(2022, 6, 30), dt.date(2022, 12, 31), dt.date(2023, 12, 31)]
    deliverables = [
        DeliverableFactory(project=project, code=f"D{n}", title=f"Deliverable {n}", due_date=due)
        for n, due in enumerate(due_dates, start=1)
    ]

    community = CommunityFactory(project=project, name="CoP Offenbach")
    MembershipFactory(community=community, joined_at=aware(2021, 2, 1, 10))
    leaver = MembershipFactory(community=community, joined_at=aware(2021, 5, 3, 10))

    held = MeetingFactory(project=project, community=community, title="Partner meeting", starts_at=aware(2021, 5, 12))
    attendees = [RegistrationFactory(meeting=held, checked_in=True) for _ in range(2)]
    no_show = RegistrationFactory(meeting=held)
    RegistrationFactory(meeting=held, waitlisted=True)
    MeetingFactory(project=project, title="Autumn workshop", starts_at=aware(2021, 9, 15, 10))
    MeetingFactory(project=project, title="Final conference", starts_at=aware(2023, 11, 20, 9))
    # All of it was planned in spring (created_at is set on insert, so it is moved afterwards).
    Meeting.objects.filter(project=project).update(created_at=aware(2021, 3, 1))
    return {
        "project": project,
        "coordinator": coordinator,
        "deliverables": deliverables,
        "community": community,
        "leaver": leaver,
        "held": held,
        "attendees": attendees,
        "no_show": no_show,
    }


def change_after_the_period(world, monkeypatch) -> None:
    """What happens from July 2021 to today."""
    capture(monkeypatch, [])  # the notices of the cancellation are not this test's business
    project, coordinator = world["project"], world["coordinator"]
    # Eight of the nine deliverables are handed in, from July 2021 on, and recorded today.
    for n, deliverable in enumerate(world["deliverables"][:8]):
        deliverable_update(
            deliverable=deliverable,
            user=coordinator,
            status=Deliverable.Status.SUBMITTED,
            submitted_on=dt.date(2021, 7, 5) + dt.timedelta(days=30 * n),
            url="",
            description="",
        )
    # The organisers cancel the no-show's registration; a member leaves; another joins.
    registration_cancel(registration=world["no_show"], actor=coordinator)
    membership_leave(membership=world["leaver"], actor=world["leaver"].user)
    MembershipFactory(community=world["community"], joined_at=aware(2021, 8, 2, 10))
    # A walk-in of the May meeting recorded in July; a meeting added for August; the autumn
    # workshop fills up.
    RegistrationFactory(meeting=world["held"], created_at=aware(2021, 7, 6, 12))
    added = MeetingFactory(project=project, title="Added in July", starts_at=aware(2021, 8, 20, 10))
    workshop = Meeting.objects.get(project=project, title="Autumn workshop")
    for _ in range(3):
        RegistrationFactory(meeting=workshop, created_at=aware(2021, 7, 10, 12))
    assert added.created_at > aware(2021, 7, 1)


def content_of(project, generated_at: dt.datetime, version: int = 1) -> ReportContent:
    report = ProgressReportFactory(project=project, period_start=Q2_2021[0], period_end=Q2_2021[1], version=version)
    with translation.override("en"):
        return report_content(report=report, generated_at=generated_at)


def assert_figures_of_30_june(content: ReportContent) -> None:
    summary = content.summary
    assert (summary.deliverables_total, summary.deliverables_delivered, summary.deliverables_late) == (9, 0, 2)
    assert [row.code for row in content.deliverables.late_overall] == ["D1", "D2"]
    assert [row.code for row in content.deliverables.due_in_period] == ["D1", "D2"]
    assert content.deliverables.delivered_in_period == []
    assert {(s.status, s.count) for s in content.deliverables.by_status} == {
        ("Planned", 9),
        ("In progress", 0),
        ("Submitted", 0),
        ("Approved", 0),
    }
    assert all(row.submitted_on is None and not row.delivered for row in content.deliverables.overall)

    assert (summary.meetings_held, summary.registered, summary.attended) == (1, 3, 2)
    (held,) = content.meetings.held
    assert (held.title, held.registered, held.waitlisted, held.attended) == ("Partner meeting", 3, 1, 2)
    assert (summary.communities, summary.members) == (1, 2)
    (community,) = content.communities
    assert (community.members, community.new_members, community.registered, community.attended) == (2, 1, 3, 2)

    # The next period's plan as known on 30 June: not the meeting added in July, not 2023.
    assert content.upcoming_until == dt.date(2021, 9, 30)
    assert [(row.title, row.registered) for row in content.upcoming] == [("Autumn workshop", 0)]
    assert [row.title for row in content.annex] == ["Partner meeting", "Autumn workshop", "Final conference"]


def figures(content: ReportContent) -> dict:
    """Everything but the cover (which names the generation time and the report's version)."""
    return {name: value for name, value in dataclasses.asdict(content).items() if name != "cover"}


def test_the_report_does_not_move_when_the_project_changes_after_the_period(world, monkeypatch):
    on_the_day = content_of(world["project"], FIRST_DAY_AFTER)
    assert_figures_of_30_june(on_the_day)

    change_after_the_period(world, monkeypatch)
    later = content_of(world["project"], timezone.now(), version=2)

    assert_figures_of_30_june(later)
    assert figures(later) == figures(on_the_day)


def test_eight_of_nine_delivered_today_reads_none_delivered_by_the_end_of_q2(world, monkeypatch):
    change_after_the_period(world, monkeypatch)
    project = world["project"]
    assert Deliverable.objects.filter(project=project).delivered().count() == 8

    report = ProgressReportFactory(project=project, period_start=Q2_2021[0], period_end=Q2_2021[1])
    rendering.report_render(report_id=report.pk)
    report.refresh_from_db()
    reader = PdfReader(io.BytesIO(media_path(report.file.name).read_bytes()))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "0 / 9 deliverables delivered" in text
    assert "8 / 9" not in text
    assert "Added in July" not in text


def test_a_submission_recorded_after_the_period_counts_from_its_submission_date(world):
    d1 = world["deliverables"][0]
    deliverable_update(
        deliverable=d1,
        user=world["coordinator"],
        status=Deliverable.Status.SUBMITTED,
        submitted_on=dt.date(2021, 6, 28),  # handed in in June, entered in the portal today
        url="",
        description="",
    )
    content = content_of(world["project"], timezone.now())

    assert (content.summary.deliverables_delivered, content.summary.deliverables_late) == (1, 1)
    assert [(row.code, row.submitted_on) for row in content.deliverables.delivered_in_period] == [
        ("D1", dt.date(2021, 6, 28))
    ]


def test_a_registration_cancelled_before_the_end_of_the_period_is_not_counted(world):
    Registration.objects.filter(pk=world["no_show"].pk).update(
        status=Registration.Status.CANCELLED, cancelled_at=aware(2021, 6, 1, 12)
    )
    content = content_of(world["project"], timezone.now())

    (held,) = content.meetings.held
    assert (held.registered, held.waitlisted, held.attended) == (2, 1, 2)
