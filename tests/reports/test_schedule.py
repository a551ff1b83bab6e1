"""The quarterly schedule: periods, idempotence, the beat entry, and the "report ready" e-mail."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection

from projects.models import Project, ProjectRole
from reports import notices, schedule
from reports.models import ProgressReport
from tests.factories import ProgressReportFactory, ProjectFactory, ProjectRoleFactory, UserFactory
from tests.outbox_capture import hand_overs

pytestmark = pytest.mark.django_db


def test_quarters_are_calendar_quarters():
    assert schedule.quarter_of(dt.date(2026, 5, 20)) == schedule.Quarter(2026, 2)
    assert schedule.previous_quarter(dt.date(2026, 1, 3)) == schedule.Quarter(2025, 4)
    q = schedule.Quarter(2025, 4)
    assert (q.start, q.end) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert schedule.Quarter(2024, 1).end == dt.date(2024, 3, 31)


def test_project_periods_are_cut_to_the_project_and_newest_first():
    project = ProjectFactory(start_date=dt.date(2025, 2, 15), end_date=dt.date(2025, 11, 10))
    periods = schedule.project_periods(project, today=dt.date(2026, 6, 1))
    assert [(p.start, p.end) for p in periods] == [
        (dt.date(2025, 10, 1), dt.date(2025, 11, 10)),
        (dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
        (dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
        (dt.date(2025, 2, 15), dt.date(2025, 3, 31)),
    ]
    # Only quarters that have begun are offered.
    assert len(schedule.project_periods(project, today=dt.date(2025, 5, 1))) == 2


def _scheduled(**filters):
    return ProgressReport.objects.filter(requested_by__isnull=True, **filters)


def test_the_schedule_creates_each_report_once(settings, django_capture_on_commit_callbacks):
    settings.REPORTS_QUARTERLY_LANGUAGES = ["en", "de"]
    running = ProjectFactory(start_date=dt.date(2025, 1, 1), end_date=dt.date(2027, 12, 31))
    ended_in_quarter = ProjectFactory(start_date=dt.date(2024, 1, 1), end_date=dt.date(2025, 11, 30))
    ProjectFactory(start_date=dt.date(2026, 2, 1), end_date=dt.date(2027, 1, 31))  # not yet running then

    with django_capture_on_commit_callbacks() as callbacks:
        first = schedule.quarterly_reports_create(today=dt.date(2026, 1, 2))
        second = schedule.quarterly_reports_create(today=dt.date(2026, 1, 5))

    assert len(first) == 4 and second == []
    assert len(hand_overs(callbacks)) == 4  # one render task per report, nothing more
    assert set(_scheduled(project=running).values_list("period_start", "period_end", "language")) == {
        (dt.date(2025, 10, 1), dt.date(2025, 12, 31), "en"),
        (dt.date(2025, 10, 1), dt.date(2025, 12, 31), "de"),
    }
    assert set(_scheduled(project=ended_in_quarter).values_list("period_end", flat=True)) == {dt.date(2025, 11, 30)}
    assert ProgressReport.objects.count() == 4


def test_a_coordinators_report_does_not_stop_the_schedule(settings):
    settings.REPORTS_QUARTERLY_LANGUAGES = ["en"]
    project = ProjectFactory()
    ProgressReportFactory(
        project=project, period_start=dt.date(2025, 10, 1), period_end=dt.date(2025, 12, 31), language="en"
    )
    created = schedule.quarterly_reports_create(today=dt.date(2026, 1, 2))
    (report,) = ProgressReport.objects.filter(pk__in=created)
    assert report.version == 2 and report.requested_by is None


def test_the_schedule_can_be_turned_off(settings):
    settings.REPORTS_QUARTERLY_ENABLED = False
    ProjectFactory()
    assert schedule.quarterly_reports_create(today=dt.date(2026, 1, 2)) == []
    assert not ProgressReport.objects.exists()


def test_unknown_languages_are_ignored(settings):
    settings.REPORTS_QUARTERLY_LANGUAGES = ["fr", "de", "de"]
    assert schedule.quarterly_languages() == ["de"]
    settings.REPORTS_QUARTERLY_LANGUAGES = ["fr"]
    assert schedule.quarterly_languages() == ["en"]


def test_the_beat_entry_names_the_task():
    from reports.tasks import create_quarterly_reports

    entry = settings.CELERY_BEAT_SCHEDULE["reports-quarterly"]
    assert entry["task"] == create_quarterly_reports.name
    assert settings.REPORTS_QUARTERLY_ENABLED is True
    assert set(settings.REPORTS_QUARTERLY_LANGUAGES) <= {"de", "en"}


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_create_one_report(settings):
    """Two runs at the same moment: the project lock makes the second find the first's report."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    settings.REPORTS_QUARTERLY_LANGUAGES = ["en"]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    ProjectFactory()
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            schedule.quarterly_reports_create(today=dt.date(2026, 1, 2))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    from unittest import mock

    # The render task is not what is tested here; keep it off the broker.
    with mock.patch("outbox.services.publish"):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors
    assert ProgressReport.objects.filter(requested_by__isnull=True).count() == 1


# --- The "draft ready" e-mail (to coordinators) ---------------------------------------------------------


@pytest.fixture
def officers():
    project = ProjectFactory(acronym="NOTICE", slug="notice")
    german = UserFactory(email="de.officer@example.org", preferred_language="de")
    english = UserFactory(email="en.officer@example.org", preferred_language="en")
    # A scheduled version is a draft: its notice goes to the coordinators, never to the funder.
    for user in (german, english):
        ProjectRoleFactory(user=user, project=project)
    ProjectRoleFactory(
        user=UserFactory(email="funder.notice@example.org"), project=project, role=ProjectRole.Role.FUNDER_OFFICER
    )
    return project, german, english


def _done_scheduled(project: Project, language: str) -> ProgressReport:
    return ProgressReportFactory(project=project, done=True, requested_by=None, language=language)


def test_each_coordinator_gets_the_notice_of_the_draft_in_their_language(settings, officers):
    settings.REPORTS_QUARTERLY_LANGUAGES = ["de", "en"]
    project, german, english = officers
    cache.clear()
    assert notices.report_ready_notice_send(report_id=_done_scheduled(project, "de").pk) == 1
    assert notices.report_ready_notice_send(report_id=_done_scheduled(project, "en").pk) == 1
    (to_german, to_english) = mail.outbox
    assert to_german.to == [german.email] and to_english.to == [english.email]
    assert "Fortschrittsbericht" in to_german.subject or "NOTICE" in to_german.subject
    assert "/workspace/projects/notice/reports/" in to_english.body
    html, mimetype = to_english.alternatives[0]
    assert mimetype == "text/html" and 'lang="en"' in html and "/workspace/projects/notice/reports/" in html
    assert to_german.extra_headers["Content-Language"] == "de"


def test_the_notice_is_sent_once(settings, officers):
    settings.REPORTS_QUARTERLY_LANGUAGES = ["en"]
    project, german, english = officers
    cache.clear()
    report = _done_scheduled(project, "en")
    # Only English is scheduled: the German-speaking officer gets the English report's notice, in German.
    assert notices.report_ready_notice_send(report_id=report.pk) == 2
    assert notices.report_ready_notice_send(report_id=report.pk) == 0
    assert len(mail.outbox) == 2


def test_the_claim_is_kept_in_the_database(settings, officers):
    """Flushing the cache (Redis restarted, say) never makes a coordinator get the e-mail twice."""
    settings.REPORTS_QUARTERLY_LANGUAGES = ["en"]
    project, german, english = officers
    report = _done_scheduled(project, "en")
    assert notices.report_ready_notice_send(report_id=report.pk) == 2
    report.refresh_from_db()
    assert report.notified_at is not None
    cache.clear()
    assert notices.report_ready_notice_send(report_id=report.pk) == 0
    assert len(mail.outbox) == 2


def test_a_failed_send_gives_the_claim_back(settings, officers, monkeypatch):
    settings.REPORTS_QUARTERLY_LANGUAGES = ["en"]
    project, german, english = officers
    report = _done_scheduled(project, "en")

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notices, "report_ready_message", refuse)
    with pytest.raises(ConnectionRefusedError):
        notices.report_ready_notice_send(report_id=report.pk)
    report.refresh_from_db()
    assert report.notified_at is None and mail.outbox == []
    monkeypatch.undo()
    assert notices.report_ready_notice_send(report_id=report.pk) == 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_notice(settings, officers):
    """Two deliveries of the task at the same moment, each with its own connection."""
    settings.REPORTS_QUARTERLY_LANGUAGES = ["en"]
    project, german, english = officers
    report = _done_scheduled(project, "en")
    barrier = threading.Barrier(2)
    sent: list[int] = []

    def run() -> None:
        try:
            barrier.wait()
            sent.append(notices.report_ready_notice_send(report_id=report.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == [0, 2] and len(mail.outbox) == 2


def test_no_notice_for_requested_or_unfinished_reports(officers):
    project, german, english = officers
    cache.clear()
    requested = ProgressReportFactory(project=project, done=True)
    queued = ProgressReportFactory(project=project, requested_by=None, version=2)
    assert notices.report_ready_notice_send(report_id=requested.pk) == 0
    assert notices.report_ready_notice_send(report_id=queued.pk) == 0
    assert notices.report_ready_notice_send(report_id=999_999) == 0
    assert mail.outbox == []


def test_finishing_a_scheduled_report_queues_the_notice(monkeypatch, django_capture_on_commit_callbacks):
    """The hook in report_render: only a scheduled report that this run finished."""
    from reports.services import rendering
    from tests.outbox_capture import capture

    queued = capture(monkeypatch, [])
    rendered = type("Rendered", (), {"content": b"%PDF-1.4", "page_count": 1})()
    monkeypatch.setattr(rendering, "render_pdf", lambda html: rendered)
    monkeypatch.setattr(rendering, "report_html", lambda **kwargs: "<html></html>")
    scheduled = ProgressReportFactory(requested_by=None)
    requested = ProgressReportFactory()
    with django_capture_on_commit_callbacks(execute=True):
        rendering.report_render(report_id=scheduled.pk)
        rendering.report_render(report_id=requested.pk)
        rendering.report_render(report_id=scheduled.pk)  # already done: nothing more
    assert queued == [(rendering.NOTICE_TASK, (scheduled.pk,))]
