"""Requesting and rendering progress reports: permissions, versions, failures, idempotency."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, close_old_connections, connection
from django.test import TestCase

from reports import storage
from reports.models import ProgressReport
from reports.services import rendering, requesting
from reports.storage import media_path
from reports.tasks import RENDER_MAX_RETRIES, render_progress_report
from tests.factories import (
    DeliverableFactory,
    MeetingFactory,
    ProgressReportFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.outbox_capture import capture

Status = ProgressReport.Status
PERIOD = {"period_start": dt.date(2025, 1, 1), "period_end": dt.date(2025, 3, 31)}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes its reports into a folder of its own, so files can be counted."""
    settings.MEDIA_ROOT = tmp_path / "media"


def report_files() -> list[Path]:
    from django.conf import settings as current

    root = Path(current.MEDIA_ROOT) / "reports"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def coordinator_role(db):
    role = ProjectRoleFactory()
    DeliverableFactory(project=role.project)
    RegistrationFactory(meeting=MeetingFactory(project=role.project), checked_in=True)
    return role


def request(role, **overrides) -> ProgressReport:
    """Request a report; the test's transaction never commits, so run the on-commit hooks here."""
    values = {"project": role.project, "actor": role.user, "language": "en", **PERIOD, **overrides}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return requesting.report_request(**values)


# --- Requesting -----------------------------------------------------------------------


@pytest.mark.django_db
def test_request_queues_the_task_on_commit_and_versions_count_up(coordinator_role, monkeypatch):
    queued = capture(monkeypatch, [])

    first = request(coordinator_role)
    second = request(coordinator_role)
    german = request(coordinator_role, language="de")
    other_period = request(coordinator_role, period_end=dt.date(2025, 6, 30))

    assert (first.version, second.version, german.version, other_period.version) == (1, 2, 1, 1)
    assert first.status == Status.QUEUED and first.requested_by == coordinator_role.user
    assert queued == [(requesting.RENDER_TASK, (report.pk,)) for report in (first, second, german, other_period)]


@pytest.mark.django_db
def test_request_renders_in_eager_mode_end_to_end(coordinator_role):
    report = request(coordinator_role)
    report.refresh_from_db()
    assert report.status == Status.DONE, report.error_message
    assert report.attempts == 1 and report.page_count >= 1 and report.file_size > 0
    assert report.started_at <= report.finished_at


@pytest.mark.django_db
def test_only_coordinators_may_request(coordinator_role):
    funder = ProjectRoleFactory(project=coordinator_role.project, funder_officer=True).user
    partner = ProjectRoleFactory(project=coordinator_role.project, partner_staff=True).user
    other_coordinator = ProjectRoleFactory().user
    for user in (funder, partner, other_coordinator, UserFactory()):
        with pytest.raises(PermissionDenied):
            request(coordinator_role, actor=user)
    assert not ProgressReport.objects.exists()


@pytest.mark.django_db
def test_the_schedule_may_request_without_an_actor(coordinator_role, monkeypatch):
    capture(monkeypatch, [])
    report = request(coordinator_role, actor=None)
    assert report.requested_by is None and report.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"period_start": dt.date(2025, 4, 1), "period_end": dt.date(2025, 3, 31)}, "period_end"),
        ({"period_start": dt.date(2020, 1, 1), "period_end": dt.date(2020, 3, 31)}, "period_start"),
        ({"period_start": dt.date(2030, 1, 1), "period_end": dt.date(2030, 3, 31)}, "period_start"),
        ({"language": "fr"}, "language"),
    ],
)
def test_bad_requests_get_a_clear_error_and_create_nothing(coordinator_role, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        request(coordinator_role, **overrides)
    assert field in excinfo.value.message_dict
    assert not ProgressReport.objects.exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_get_distinct_versions(monkeypatch):
    """Eight threads, each with its own connection, request the same report at once."""
    capture(monkeypatch, [])
    role = ProjectRoleFactory()
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait()
            request(role)
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    versions = sorted(ProgressReport.objects.values_list("version", flat=True))
    assert versions == list(range(1, 9))


# --- Rendering, failures, idempotency -------------------------------------------------


@pytest.mark.django_db
def test_an_injected_failure_marks_the_report_failed_with_a_clear_message_and_no_file(coordinator_role, monkeypatch):
    def broken_renderer(html):
        raise RuntimeError("cairo exploded at 0xdeadbeef")

    monkeypatch.setattr(rendering, "render_pdf", broken_renderer)
    report = request(coordinator_role)
    report.refresh_from_db()

    assert report.status == Status.FAILED
    assert report.file.name == "" and report.sha256 == ""
    assert "could not be built" in report.error_message
    # The coordinator reads what to do, never the internals.
    assert "Traceback" not in report.error_message and "0xdeadbeef" not in report.error_message
    assert report.finished_at is not None
    assert report_files() == []


@pytest.mark.django_db
def test_a_storage_failure_leaves_no_partial_file(coordinator_role, monkeypatch):
    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    # The temporary file is written and fsynced; moving it into place fails.
    monkeypatch.setattr(storage.os, "replace", failing_replace)
    report = request(coordinator_role)
    monkeypatch.undo()
    report.refresh_from_db()
    assert report.status == Status.FAILED
    assert "could not be saved" in report.error_message
    assert report_files() == []


@pytest.mark.django_db
def test_a_failure_while_marking_done_removes_the_stored_file(coordinator_role, monkeypatch):
    """The file is in place but the row cannot be marked done: the file goes again."""
    original_save = ProgressReport.save

    def save(self, *args, **kwargs):
        if self.status == Status.DONE:
            raise RuntimeError("database refused the row")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(ProgressReport, "save", save)
    report = request(coordinator_role)
    report.refresh_from_db()
    assert report.status == Status.FAILED
    assert report_files() == []


@pytest.mark.django_db
def test_running_the_task_twice_produces_one_version(coordinator_role):
    report = request(coordinator_role)  # eager: rendered once on commit
    render_progress_report.apply(args=[report.pk])
    render_progress_report.apply(args=[report.pk])
    rendering.report_render(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == Status.DONE and report.attempts == 1
    assert ProgressReport.objects.filter(project=coordinator_role.project).count() == 1
    assert report_files() == [media_path(report.file.name)]


@pytest.mark.django_db
def test_a_failed_report_stays_failed(coordinator_role):
    report = ProgressReportFactory(project=coordinator_role.project, failed=True)
    assert rendering.report_render(report_id=report.pk) is None
    report.refresh_from_db()
    assert report.status == Status.FAILED and report.attempts == 0 and not report.file


@pytest.mark.django_db
def test_unknown_report_id_is_a_no_op():
    assert rendering.report_render(report_id=987654) is None
    assert render_progress_report.apply(args=[987654]).get() is None


@pytest.fixture
def eager_retries():
    """Eager mode only retries when errors are not propagated (a real worker always retries)."""
    conf = render_progress_report.app.conf
    before = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = before


@pytest.mark.django_db
def test_transient_errors_are_retried_then_succeed(coordinator_role, monkeypatch, eager_retries):
    report = ProgressReportFactory(project=coordinator_role.project, **PERIOD)
    real_content = rendering.report_content
    calls = {"n": 0}

    def flaky_content(**kwargs):
        calls["n"] += 1
        if calls["n"] < 3:
            raise OperationalError("server closed the connection unexpectedly")
        return real_content(**kwargs)

    monkeypatch.setattr(rendering, "report_content", flaky_content)
    render_progress_report.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == Status.DONE
    assert report.attempts == 3
    assert len(report_files()) == 1


@pytest.mark.django_db
def test_transient_errors_after_the_last_retry_fail_the_report(coordinator_role, monkeypatch, eager_retries):
    report = ProgressReportFactory(project=coordinator_role.project, **PERIOD)

    def always_down(**kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(rendering, "report_content", always_down)
    result = render_progress_report.apply(args=[report.pk])
    report.refresh_from_db()
    assert result.get() == "failed"
    assert report.status == Status.FAILED
    assert report.attempts == RENDER_MAX_RETRIES + 1
    assert "after several attempts" in report.error_message
    assert report_files() == []


def test_task_has_time_limits_and_retry_policy():
    task = render_progress_report
    assert task.soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert task.time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert task.soft_time_limit < task.time_limit
    assert OperationalError in task.autoretry_for and task.retry_backoff and task.max_retries == RENDER_MAX_RETRIES
    assert settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD > 0


@pytest.mark.django_db
def test_a_soft_time_limit_fails_the_report_with_a_message(coordinator_role, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    def slow(html):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(rendering, "render_pdf", slow)
    report = request(coordinator_role)
    report.refresh_from_db()
    assert report.status == Status.FAILED
    assert "took longer than" in report.error_message
    assert report_files() == []
