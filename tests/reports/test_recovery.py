"""Reports whose worker was lost mid-run: another run, or a clear failure after too many."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.test import TestCase
from django.utils import timezone

from reports.models import ProgressReport
from reports.services import rendering
from reports.tasks import recover_stale_reports
from tests.factories import DeliverableFactory, ProgressReportFactory, ProjectRoleFactory

Status = ProgressReport.Status


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def running(*, minutes_ago: float, attempts: int = 1, language: str = "en") -> ProgressReport:
    """A report a worker claimed ``minutes_ago`` and never finished."""
    role = ProjectRoleFactory()
    DeliverableFactory(project=role.project)
    return ProgressReportFactory(
        project=role.project,
        requested_by=role.user,
        language=language,
        status=Status.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        attempts=attempts,
    )


def sweep() -> tuple[list[int], list[int]]:
    """Run the sweep and then what it queued (eager Celery), as after its commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return rendering.reports_recover_stale()


@pytest.mark.django_db
def test_a_report_whose_worker_was_lost_is_built_by_another_run():
    report = running(minutes_ago=30)
    assert sweep() == ([report.pk], [])
    report.refresh_from_db()
    assert report.status == Status.DONE and report.attempts == 2
    assert Path(settings.MEDIA_ROOT, report.file.name).is_file()


@pytest.mark.django_db
def test_a_report_with_a_recent_heartbeat_is_left_alone(django_capture_on_commit_callbacks):
    # Its run is still working: it showed a sign of life a minute ago, although it started long ago.
    report = running(minutes_ago=30)
    report.heartbeat_at = timezone.now() - dt.timedelta(minutes=1)
    report.save()
    with django_capture_on_commit_callbacks() as queued:
        assert rendering.reports_recover_stale() == ([], [])
    assert queued == []
    report.refresh_from_db()
    assert report.status == Status.RUNNING and report.attempts == 1


@pytest.mark.django_db
def test_after_too_many_runs_the_report_fails_with_a_message_in_its_language(django_capture_on_commit_callbacks):
    report = running(minutes_ago=30, attempts=rendering.MAX_RUNS, language="de")
    with django_capture_on_commit_callbacks() as queued:
        assert rendering.reports_recover_stale() == ([], [report.pk])
    assert queued == []
    report.refresh_from_db()
    assert report.status == Status.FAILED and not report.file and report.finished_at is not None
    assert report.error_message.startswith("Der Bericht konnte nicht erstellt werden")
    # The lost task, delivered again by Redis later, changes nothing now.
    assert rendering.report_render(report_id=report.pk) is None


@pytest.mark.django_db
def test_queued_done_and_failed_reports_are_not_touched():
    old = timezone.now() - dt.timedelta(hours=3)
    reports = [
        ProgressReportFactory(started_at=old),
        ProgressReportFactory(done=True, started_at=old),
        ProgressReportFactory(failed=True, started_at=old),
    ]
    assert sweep() == ([], [])
    assert [r.status for r in ProgressReport.objects.order_by("pk")] == [r.status for r in reports]


@pytest.mark.django_db
def test_the_beat_runs_the_sweep_every_few_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-recover-stale"]
    assert entry["task"] == recover_stale_reports.name
    assert entry["schedule"] <= 60
    # Shorter than Redis's own re-delivery, which is the point of the sweep.
    assert entry["schedule"] < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert recover_stale_reports.apply().get() == {"requeued": [], "failed": []}


@pytest.mark.django_db
def test_a_report_that_keeps_losing_its_worker_is_not_run_for_ever():
    # Celery re-queues a task whose worker died at once (task_reject_on_worker_lost), so a
    # report that takes its worker down would loop; the run after the last one fails it.
    report = running(minutes_ago=3, attempts=rendering.MAX_RUNS)
    assert rendering.report_render(report_id=report.pk) is None
    report.refresh_from_db()
    assert report.status == Status.FAILED and report.attempts == rendering.MAX_RUNS
    assert "stopped several times" in report.error_message


@pytest.mark.django_db
def test_a_second_copy_of_the_task_leaves_a_report_that_is_alive_to_its_run():
    report = running(minutes_ago=0.5)
    assert rendering.report_render(report_id=report.pk) is None
    report.refresh_from_db()
    assert report.status == Status.RUNNING and report.attempts == 1


@pytest.mark.django_db
def test_a_queued_report_that_no_worker_started_is_queued_again():
    role = ProjectRoleFactory()
    DeliverableFactory(project=role.project)
    lost = ProgressReportFactory(project=role.project, requested_by=role.user)
    ProgressReport.objects.filter(pk=lost.pk).update(queued_at=timezone.now() - dt.timedelta(minutes=4))
    waiting = ProgressReportFactory(project=role.project, requested_by=role.user, version=2)
    ProgressReport.objects.filter(pk=waiting.pk).update(queued_at=timezone.now() - dt.timedelta(minutes=1))
    assert sweep() == ([lost.pk], [])
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert lost.status == Status.DONE and lost.attempts == 1
    assert waiting.status == Status.QUEUED


@pytest.mark.django_db(transaction=True)
def test_a_long_render_shows_a_heartbeat(settings, monkeypatch):
    settings.REPORTS_HEARTBEAT_SECONDS = 0.05
    role = ProjectRoleFactory()
    DeliverableFactory(project=role.project)
    report = ProgressReportFactory(project=role.project, requested_by=role.user)
    seen = []
    original = rendering.render_pdf

    def slow_render(html):
        import time

        started = ProgressReport.objects.get(pk=report.pk).heartbeat_at
        time.sleep(0.5)
        seen.append((started, ProgressReport.objects.get(pk=report.pk).heartbeat_at))
        return original(html)

    monkeypatch.setattr(rendering, "render_pdf", slow_render)
    rendering.report_render(report_id=report.pk)
    ((before, during),) = seen
    assert during > before
    report.refresh_from_db()
    assert report.status == Status.DONE
