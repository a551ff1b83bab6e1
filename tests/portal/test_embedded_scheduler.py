"""The embedded default runs its periodic tasks: ``manage.py run_scheduler`` (started by ``make run``).

The scheduler runs for real here, as a process with the embedded settings (eager Celery,
no Redis) on this test's database: nobody calls a task, and still the 48-hour reminder goes
out and a message waiting in the outbox is delivered.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from events.models import Registration
from outbox.models import Message
from portal.management.commands.run_scheduler import LOCK_NAME, lock_acquire
from tests.factories import MeetingFactory, RegistrationFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 20.0


def wait_for(condition: Callable[[], object], what: str, timeout: float = TIMEOUT) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Scheduler:
    """One ``run_scheduler`` process with the embedded settings, its output in a file."""

    def __init__(self, data_dir: Path, name: str) -> None:
        self.log = data_dir / f"{name}.log"
        database = connection.settings_dict
        keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "SYSTEMROOT"}}
        env = {
            **keep,
            # The embedded default (no REDIS_URL: eager Celery), on this test's database.
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "PORTAL_DATA_DIR": str(data_dir),
            "DATABASE_URL": os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + database["NAME"],
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            # Short intervals, so the test sees a run within seconds.
            "EVENTS_REMINDERS_SECONDS": "1",
            "OUTBOX_RELAY_SECONDS": "1",
            "REPORTS_QUARTERLY_ENABLED": "false",
        }
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "run_scheduler", "--max-interval", "0.5"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def schedulers(data_dir: Path) -> Iterator[Callable[[str], Scheduler]]:
    started: list[Scheduler] = []

    def start(name: str) -> Scheduler:
        scheduler = Scheduler(data_dir, name)
        started.append(scheduler)
        return scheduler

    yield start
    for scheduler in started:
        scheduler.stop()


def sent_mail(data_dir: Path) -> str:
    folder = data_dir / "sent-mail"
    return "".join(path.read_text() for path in sorted(folder.glob("*"))) if folder.exists() else ""


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_sends_the_48_hour_reminder_and_relays_the_outbox(data_dir, schedulers):
    if connection.vendor != "postgresql":
        pytest.skip("the scheduler process needs a database it can share with the test (PostgreSQL)")
    start = timezone.now() + dt.timedelta(hours=47)
    meeting = MeetingFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2), title="Study visit: Ravenna")
    person = UserFactory(preferred_language="en", email="reminded@example.org")
    registration = RegistrationFactory(meeting=meeting, user=person)
    # A side effect whose first try failed: it waits in the outbox for the relay.
    waiting = Message.objects.create(task="outbox.purge_done", available_at=timezone.now() - dt.timedelta(seconds=1))

    # Two schedulers on one data directory (two `make run`s): one runs, the other stands by.
    first, second = schedulers("first"), schedulers("second")
    wait_for(
        lambda: "running" in first.output() + second.output() and "standing by" in first.output() + second.output(),
        "one scheduler running and one standing by",
    )
    running, standby = (first, second) if "running" in first.output() else (second, first)

    wait_for(
        lambda: Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=False).exists(),
        "the reminder to be claimed",
    )
    wait_for(lambda: "reminded@example.org" in sent_mail(data_dir), "the reminder e-mail")
    assert "Reminder: Study visit: Ravenna" in sent_mail(data_dir)
    wait_for(lambda: Message.objects.filter(pk=waiting.pk, status=Message.Status.DONE).exists(), "the relay to deliver")

    # The one running stops: the one standing by takes over.
    running.stop()
    assert "scheduler: stopped" in running.output()
    wait_for(lambda: "running" in standby.output(), "the standby scheduler to take over")
    assert sent_mail(data_dir).count("reminded@example.org") == 1, "the reminder went out once"
    assert "Traceback" not in running.output() + standby.output(), running.output() + standby.output()


def test_the_lock_admits_one_scheduler(tmp_path):
    held = lock_acquire(tmp_path / LOCK_NAME)
    assert held is not None
    try:
        assert lock_acquire(tmp_path / LOCK_NAME) is None
    finally:
        held.close()
    again = lock_acquire(tmp_path / LOCK_NAME)
    assert again is not None
    again.close()


def test_the_scheduler_refuses_to_run_where_a_worker_and_beat_belong(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with pytest.raises(CommandError, match="celery -A portal beat"):
        call_command("run_scheduler")


def test_the_scheduler_stops_with_the_process_that_started_it(tmp_path):
    """`make run` starts it in the background of the shell that runs the server."""
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "SYSTEMROOT"}}
    env = {**keep, "DJANGO_SETTINGS_MODULE": "portal.settings", "PORTAL_DATA_DIR": str(tmp_path)}
    log, stop = tmp_path / "scheduler.log", tmp_path / "stop"
    # The shell stands for the one make runs: it ends when the server does (here: when told).
    script = (
        f'"{sys.executable}" manage.py run_scheduler --stop-with-parent > "{log}" 2>&1 & '
        f'while [ ! -e "{stop}" ]; do sleep 0.1; done'
    )
    shell = subprocess.Popen(["sh", "-c", script], cwd=ROOT, env=env)
    try:
        wait_for(lambda: log.exists() and "running" in log.read_text(), "the scheduler to start")
        stop.touch()
        shell.wait(timeout=10)
        wait_for(lambda: "scheduler: stopped" in log.read_text(), "the scheduler to stop with its parent", 10)
    finally:
        stop.touch()
        if shell.poll() is None:
            shell.kill()
    assert "Traceback" not in log.read_text(), log.read_text()
