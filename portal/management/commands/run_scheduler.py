"""The embedded default's scheduler: celery beat's schedule, run in this process.

The embedded default has no broker and no worker: Celery runs each task eagerly in the
process that queues it. Celery beat needs neither: it hands a due task to the task's
``apply_async``, which, with eager Celery, runs it at once in the beat process. So this
command runs celery beat's own service (its PersistentScheduler, the same
``CELERY_BEAT_SCHEDULE`` as production) in this process, and every periodic task (the
outbox relay, the 48-hour reminders, the quarterly reports, the stale-report sweep) runs
here, one after the other. ``make run`` starts it beside the development server.

- One at a time: the command holds an exclusive lock on ``<data dir>/scheduler.lock``
  (the operating system drops it when the process ends, however it ends). A second
  scheduler on the same data directory waits and takes over when the first stops.
- Restarts: the last run of each entry is kept in ``<data dir>/celerybeat-schedule``, so a
  restarted scheduler goes on where it stopped, and a quarterly run missed while it was
  down is made up at once (the tasks are idempotent).
- ``--stop-with-parent``: ``make run`` starts it in the background; it stops when the
  shell that started it (and the server with it) is gone.

Production runs ``celery beat`` and workers instead (docker-compose.yml); there this
command refuses to start, as it would run every task in its own process.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import threading
import time
from pathlib import Path
from typing import IO, Any

from celery import beat, signals
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

logger = logging.getLogger("portal.scheduler")

LOCK_NAME = "scheduler.lock"
SCHEDULE_NAME = "celerybeat-schedule"
# How often a scheduler standing by tries the lock again, and a stopped parent is noticed.
STANDBY_POLL_SECONDS = 2.0
PARENT_POLL_SECONDS = 1.0


def lock_acquire(path: Path) -> IO[str] | None:
    """The open, locked lock file; None when another process holds the lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    # Who holds it, for a person looking at the file; the lock itself is the flock.
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


class Command(BaseCommand):
    help = (
        "Run the periodic tasks of CELERY_BEAT_SCHEDULE in this process (the embedded default, eager Celery); "
        "one scheduler per data directory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--max-interval",
            type=float,
            default=5.0,
            help="At most this many seconds between looks at the schedule (default 5).",
        )
        parser.add_argument(
            "--stop-with-parent",
            action="store_true",
            help="Stop when the process that started this one ends (make run starts it in the background).",
        )

    _service: beat.Service | None = None

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            raise CommandError(
                "Celery is not eager here: run `celery -A portal beat` and `celery -A portal worker` instead."
            )
        data_dir = Path(settings.DATA_DIR)
        stop = threading.Event()
        self._stop_on_signals(stop)
        if options["stop_with_parent"]:
            self._watch_parent(stop)

        lock = lock_acquire(data_dir / LOCK_NAME)
        if lock is None:
            logger.info("scheduler: another scheduler holds %s; standing by", data_dir / LOCK_NAME)
        while lock is None:
            if stop.wait(STANDBY_POLL_SECONDS):
                return
            lock = lock_acquire(data_dir / LOCK_NAME)
        try:
            if not stop.is_set():
                self._run(data_dir, max_interval=options["max_interval"], verbosity=options["verbosity"])
        finally:
            lock.close()
            logger.info("scheduler: stopped")

    def _run(self, data_dir: Path, *, max_interval: float, verbosity: int) -> None:
        from portal.celery import app

        # The task modules register the tasks beat looks up by name (a worker imports
        # them at start; here nothing else would).
        app.loader.import_default_modules()
        _connect_task_signals()
        if verbosity < 2:
            # Beat and Celery's tracer log every run (the relay's every 10 s) at INFO; the
            # task signals below log what did something. Failures still log as errors.
            for name in ("celery.beat", "celery.app.trace"):
                logging.getLogger(name).setLevel(logging.WARNING)
        self._service = beat.Service(
            app,
            max_interval=max_interval,
            schedule_filename=str(data_dir / SCHEDULE_NAME),
            remote_control=False,
        )
        entries = ", ".join(sorted(app.conf.beat_schedule))
        logger.info("scheduler: running %s in this process (schedule in %s)", entries, data_dir / SCHEDULE_NAME)
        self._service.start()

    def _stop_on_signals(self, stop: threading.Event) -> None:
        def handler(signum: int, frame: Any) -> None:
            first = not stop.is_set()
            stop.set()
            if first and _started and self._service is not None:
                # A task is running: let it finish and settle its outbox message, rather than
                # leave it "running" until the lease hands it over again. A second signal
                # stops at once.
                logger.info("scheduler: stopping once the running task ends")
                self._service.stop()
                return
            # Interrupts beat's sleep; beat saves its schedule on the way out.
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, handler)
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, handler)

    def _watch_parent(self, stop: threading.Event) -> None:
        parent = os.getppid()

        def watch() -> None:
            while not stop.wait(PARENT_POLL_SECONDS):
                if os.getppid() != parent:
                    logger.info("scheduler: the process that started it has ended; stopping")
                    os.kill(os.getpid(), signal.SIGTERM)
                    return

        threading.Thread(target=watch, name="scheduler-parent-watch", daemon=True).start()


_started: dict[str, float] = {}


def _connect_task_signals() -> None:
    """Fresh database connections around each task, as a worker has, and a log line for
    each task that did something (a count above zero) or took long."""

    # A task counts as running from the first thing before it to the last thing after it,
    # so a stop signal never interrupts it (see the signal handler above).
    def before(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
        _started[task_id or ""] = time.monotonic()
        close_old_connections()

    def after(task_id: str | None = None, task: Any = None, retval: Any = None, state: str = "", **kwargs: Any) -> None:
        try:
            seconds = time.monotonic() - _started.get(task_id or "", time.monotonic())
            level = logging.INFO if (isinstance(retval, int) and retval) or seconds > 5 else logging.DEBUG
            logger.log(level, "scheduler: %s %s in %.1f s: %r", getattr(task, "name", task), state, seconds, retval)
            close_old_connections()
        finally:
            _started.pop(task_id or "", None)

    signals.task_prerun.connect(before, weak=False)
    signals.task_postrun.connect(after, weak=False)
