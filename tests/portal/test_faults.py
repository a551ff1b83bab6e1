"""Faults on the real servers: Redis stopped, PostgreSQL restarted, a worker killed mid-render.

These tests stop and start the suite's own throwaway servers, so they are marked
``faults`` and run on their own after the rest of the suite (Makefile), never beside
other tests. Workers are real Celery processes, started with the portal's settings and
pointed at the test database; nothing is mocked.
"""

from __future__ import annotations

import datetime as dt
import email
import hashlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.core import mail
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from events.services.registrations import NOTICE_TASK, REGISTERED_TASK
from outbox import services as outbox
from outbox.models import Message
from reports.models import ProgressReport
from tests.factories import (
    DeliverableFactory,
    MeetingFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.servers import SERVICES

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.services, pytest.mark.faults, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def not_eager():
    """Tasks go through the broker, as in production, for this test only."""
    from portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = before


def _worker_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"],
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PORTAL_DATA_DIR": str(tmp_path),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "PORTAL_ENV": "",
        **extra,
    }


def _start_worker(tmp_path: Path, name: str, *, beat: bool = False, **extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "solo", "--loglevel", "INFO"]
    command += ["--hostname", f"{name}@%h", "--without-gossip", "--without-mingle"]
    if beat:
        command += ["--beat", "--schedule", str(tmp_path / f"{name}-beat")]
    log = (tmp_path / f"{name}.log").open("w")
    return subprocess.Popen(command, cwd=ROOT, env=_worker_env(tmp_path, **extra), stdout=log, stderr=log)


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()


def _wait_for(condition, *, seconds: float, what: str, logs: list[Path] = ()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = condition()
        except Exception:  # the database restarting under our feet: ask again
            close_old_connections()
            connection.close()
            result = None
        if result:
            return result
        time.sleep(0.2)
    detail = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs if log.exists())
    pytest.fail(f"{what} did not happen within {seconds:.0f} s\n{detail}")


def _sent_mail(folder: Path) -> Counter:
    """Recipients of the e-mails the file backend wrote (one file per connection, messages in a row)."""
    recipients: Counter = Counter()
    for path in folder.glob("*.log") if folder.exists() else []:
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                recipients[email.message_from_string(chunk.strip())["To"]] += 1
    return recipients


# --- Redis stopped --------------------------------------------------------------------------------


def test_with_redis_stopped_registering_succeeds_at_once_and_the_mail_follows_when_it_is_back(
    not_eager, settings, tmp_path
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 60
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    meeting = MeetingFactory(starts_at=timezone.now() + dt.timedelta(days=7), capacity=5)
    person = UserFactory(email="anna@example.org")
    member = Client()
    member.force_login(person)
    # As a person would: the meeting page first (this also loads the URLs and views, which a
    # gunicorn worker does while booting, not in a request).
    assert member.get(reverse("calendar:meeting", args=[meeting.pk])).status_code == 200
    SERVICES.redis.pause()
    try:
        started = time.monotonic()
        response = member.post(
            reverse("registrations:register", args=[meeting.pk]),
            {"sector": "arts", "access_needs": "", "interpretation_language": ""},
            follow=True,
        )
        took = time.monotonic() - started
        assert response.status_code == 200 and took < 1.0, took
        registration = Registration.objects.get(meeting=meeting, user=person)
        assert registration.status == Registration.Status.CONFIRMED
        assert registration.meeting.title in response.content.decode()
        message = Message.objects.get(task=REGISTERED_TASK)
        assert message.status == Message.Status.PENDING and message.args == [meeting.pk, person.pk]
        assert mail.outbox == []

        # Meanwhile the anonymous pages and signing in work.
        anonymous = Client()
        assert anonymous.get("/").status_code == 200
        assert anonymous.get(reverse("catalogue:list")).status_code == 200
        assert anonymous.get(reverse("account_login")).status_code == 200
        signed_in = anonymous.post(reverse("account_login"), {"login": person.email, "password": "pw"})
        assert signed_in.status_code == 302
        ready = anonymous.get(reverse("readyz"))
        assert ready.status_code == 503 and ready.json()["checks"]["redis"]["ok"] is False
        assert anonymous.get(reverse("healthz")).status_code == 200
    finally:
        SERVICES.redis.resume()

    from celery.contrib.testing.worker import start_worker

    with start_worker(not_eager, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30):
        # The relay, driven by hand here (celery beat runs it every 10 s in production).
        def delivered():
            outbox.messages_relay()
            return [m for m in mail.outbox if m.to == [person.email]]

        sent = _wait_for(delivered, seconds=60, what="the confirmation e-mail")
    assert len(sent) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.DONE


# --- PostgreSQL restarted -------------------------------------------------------------------------


def test_postgresql_restarted_during_a_burst_of_e_mails_sends_each_exactly_once(not_eager, tmp_path):
    people = 40
    meeting = MeetingFactory(starts_at=timezone.now() + dt.timedelta(days=7), capacity=people)
    registrations = [RegistrationFactory(meeting=meeting) for _ in range(people)]
    worker = _start_worker(tmp_path, "mailer", beat=True, OUTBOX_RELAY_SECONDS="2")
    logs = [tmp_path / "mailer.log"]
    try:
        _wait_for(lambda: not_eager.control.ping(timeout=0.5), seconds=60, what="the worker starting", logs=logs)
        for registration in registrations:
            outbox.message_enqueue(task=NOTICE_TASK, args=[registration.pk, "confirmed"])
        # Some e-mails are out, most are not: now the database goes away under the worker.
        _wait_for(
            lambda: sum(_sent_mail(tmp_path / "sent-mail").values()) >= 3, seconds=60, what="3 e-mails", logs=logs
        )
        connection.close()
        SERVICES.postgres.restart()

        def all_done():
            return Message.objects.filter(task=NOTICE_TASK, status=Message.Status.DONE).count() == people

        _wait_for(all_done, seconds=120, what="every message done", logs=logs)
    finally:
        _stop(worker)
    sent = _sent_mail(tmp_path / "sent-mail")
    expected = {registration.user.email for registration in registrations}
    assert set(sent) == expected
    assert all(count == 1 for count in sent.values()), sent


# --- A worker killed mid-render -------------------------------------------------------------------

FAST_RECOVERY = {
    "REPORTS_HEARTBEAT_SECONDS": "1",
    "REPORTS_HEARTBEAT_STALE_SECONDS": "4",
    "REPORTS_RECOVERY_SECONDS": "2",
    "OUTBOX_RELAY_SECONDS": "2",
}


def test_a_report_whose_worker_is_killed_mid_render_is_done_by_another_without_anyone_stepping_in(not_eager, tmp_path):
    from reports.services.requesting import report_request

    role = ProjectRoleFactory(role="coordinator")
    project = role.project
    # Enough content that rendering takes a while: a worker can be caught in the middle.
    for number in range(120):
        DeliverableFactory(project=project, title=f"Deliverable {number} " + "with a long title " * 4)
    first = _start_worker(tmp_path, "first", **FAST_RECOVERY)
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    second = None
    try:
        _wait_for(lambda: not_eager.control.ping(timeout=0.5), seconds=60, what="the first worker", logs=logs)
        report = report_request(
            project=project,
            actor=role.user,
            period_start=project.start_date,
            period_end=project.start_date + dt.timedelta(days=90),
            language="en",
        )
        _wait_for(
            lambda: ProgressReport.objects.get(pk=report.pk).status == ProgressReport.Status.RUNNING,
            seconds=60,
            what="the render starting",
            logs=logs,
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        assert ProgressReport.objects.get(pk=report.pk).status == ProgressReport.Status.RUNNING

        second = _start_worker(tmp_path, "second", beat=True, **FAST_RECOVERY)
        done = _wait_for(
            lambda: ProgressReport.objects.filter(pk=report.pk, status=ProgressReport.Status.DONE).first(),
            seconds=120,
            what="the report done by the second worker",
            logs=logs,
        )
    finally:
        _stop(first)
        if second is not None:
            _stop(second)
    assert done.attempts == 2
    files = [path for path in (tmp_path / "media").rglob("*") if path.is_file()]
    assert [path.relative_to(tmp_path / "media").as_posix() for path in files] == [done.file.name]
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == done.sha256
