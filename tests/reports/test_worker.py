"""A report goes through a real Celery worker consuming from the real Redis broker.

The request is made as a coordinator would (the service, committed for real), the task
travels through Redis, a worker thread picks it up and renders it against the same test
database, and the stored file's SHA-256 is checked against the one recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time

import pytest
from celery.contrib.testing.worker import start_worker

from portal.celery import app
from reports.models import ProgressReport
from reports.services import requesting
from reports.storage import media_path
from tests.factories import DeliverableFactory, MeetingFactory, ProjectRoleFactory, RegistrationFactory


@pytest.fixture
def real_worker(settings, tmp_path):
    """A worker on the test Redis, with eager execution switched off for this test only."""
    settings.MEDIA_ROOT = tmp_path / "media"
    assert app.conf.broker_url.startswith("redis://"), app.conf.broker_url
    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        # Solo pool in a thread of this process: it uses the test database through its own connection.
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.conf.task_always_eager = before


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_report_rendered_by_a_real_worker_through_redis(real_worker):
    role = ProjectRoleFactory()
    DeliverableFactory(project=role.project, approved=True)
    RegistrationFactory(meeting=MeetingFactory(project=role.project), checked_in=True)

    report = requesting.report_request(
        project=role.project,
        actor=role.user,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        language="en",
    )
    # The request returned at once: nothing was rendered in this thread.
    assert report.status == ProgressReport.Status.QUEUED

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in (ProgressReport.Status.DONE, ProgressReport.Status.FAILED):
            break
        time.sleep(0.2)
    assert report.status == ProgressReport.Status.DONE, (report.status, report.error_message)

    data = media_path(report.file.name).read_bytes()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == report.sha256
    assert report.file_size == len(data) and report.attempts == 1
