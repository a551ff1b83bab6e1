"""Writing, relaying and settling outbox messages.

The life of a message::

    pending ─on commit, or relay─▶ dispatched ─worker starts─▶ running ──▶ done
       ▲                   │                            │
       └──── backoff ◀─────┴──── failed or lost ◀───────┘   (dead after OUTBOX_MAX_ATTEMPTS)

- :func:`message_enqueue` writes the row in the caller's transaction and tries to hand it
  to the broker once that transaction commits. That try never makes the request wait: a
  thread of the process asks the broker (OUTBOX_HAND_OVER_IN_BACKGROUND), once, and a
  refusal leaves the row for the relay.
- :func:`messages_relay` (celery beat, every few seconds) hands over what is due, and what
  was handed over or started longer than the lease ago and never finished: a message lost
  with a restarted Redis, or a worker killed mid-task, is delivered again.
- The consumer (any task, through :class:`outbox.tasks.OutboxTask`) claims the row with a
  conditional UPDATE before it runs (:func:`message_start`), so a second delivery of a
  message already running or done does nothing, and settles it afterwards.
"""

from __future__ import annotations

import logging
import os
import queue
import re
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Message, SentMark

logger = logging.getLogger(__name__)

TASK_ID = re.compile(r"^outbox-(?P<pk>\d+)-[0-9a-f]+$")


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_attempts() -> int:
    return _setting("OUTBOX_MAX_ATTEMPTS", 8)


def lease() -> timedelta:
    """How long a message may be handed over or running before it counts as lost."""
    return timedelta(seconds=_setting("OUTBOX_LEASE_SECONDS", 900))


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … after each failed try, at most an hour."""
    base = _setting("OUTBOX_BACKOFF_SECONDS", 30)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def handoff_grace() -> timedelta:
    """How long the relay leaves a new message to its on-commit hand-over before it steps in."""
    return timedelta(seconds=_setting("OUTBOX_HANDOFF_GRACE_SECONDS", 30))


def task_id_for(message: Message) -> str:
    """A new Celery task id for each hand-over, naming the message it delivers."""
    return f"outbox-{message.pk}-{uuid.uuid4().hex[:12]}"


def message_id_from_task_id(task_id: str | None) -> int | None:
    match = TASK_ID.match(task_id or "")
    return int(match["pk"]) if match else None


# --- Writing ------------------------------------------------------------------------------------


def message_enqueue(
    *, task: str, args: Sequence[Any] = (), kwargs: dict[str, Any] | None = None, delay: timedelta | None = None
) -> Message:
    """Write the side effect ``task(*args, **kwargs)`` in the current transaction.

    It is delivered only if the transaction commits; then at once if the broker answers,
    otherwise by the relay. ``args`` and ``kwargs`` are JSON: primary keys, not objects.

    The request pays for one INSERT in its own transaction and, after the commit, one
    message to the broker; no further query. The row stays "pending" with the relay told
    to leave it for handoff_grace(): the consumer claims it straight from "pending".
    """
    message = message_build(task=task, args=args, kwargs=kwargs, delay=delay)
    message.save(force_insert=True)
    if not delay:
        message_written(message)
    return message


def message_build(
    *, task: str, args: Sequence[Any] = (), kwargs: dict[str, Any] | None = None, delay: timedelta | None = None
) -> Message:
    """The row :func:`message_enqueue` writes, not saved yet: for a service that writes it in
    a statement of its own, then calls :func:`message_written`."""
    now = timezone.now()
    available = now + (delay or handoff_grace())
    return Message(task=task, args=list(args), kwargs=dict(kwargs or {}), created_at=now, available_at=available)


def message_written(message: Message) -> None:
    """Hand the message, now written in the current transaction, to the broker once it commits
    (at once when there is no transaction)."""
    transaction.on_commit(partial(_hand_over_after_commit, message))


# After the broker refused, this process leaves new messages to the relay for a few
# seconds instead of asking again for each: during an outage no request waits on it.
BROKER_BACKOFF_SECONDS = 5.0
_broker_down_until = 0.0


def _hand_over_after_commit(message: Message) -> None:
    from celery import current_app

    if current_app.conf.task_always_eager or not getattr(settings, "OUTBOX_HAND_OVER_IN_BACKGROUND", False):
        _hand_over(message)  # the embedded default runs the task here, now
    else:
        _HAND_OVER.submit(message)


def _hand_over(message: Message) -> None:
    if time.monotonic() < _broker_down_until or not publish(message):
        # The broker is away: the relay takes it at its next run, not after the grace.
        Message.objects.filter(pk=message.pk, status=Message.Status.PENDING).update(available_at=timezone.now())


class _HandOverThread:
    """One thread per process that hands committed messages to the broker.

    Asking the broker (Celery's apply_async: a message built, a pooled connection, Redis)
    cost a registration 2.4 ms of its response time, and in a burst of 200 people it added
    about a fifth to the slowest answers. In this thread the request's answer does not
    wait for it, and the thread works while the requests wait for the meeting's lock.
    What the thread has not handed over when the process ends is still a pending row: the
    relay delivers it after handoff_grace(), as for a broker that did not answer.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[Message] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def submit(self, message: Message) -> None:
        if not self._running():
            self._start()
        self._queue.put(message)

    def _running(self) -> bool:
        # A forked child (a gunicorn worker) inherits the object but not the thread.
        return self._thread is not None and self._pid == os.getpid() and self._thread.is_alive()

    def _start(self) -> None:
        with self._lock:
            if self._running():
                return
            if self._pid != os.getpid():
                self._queue = queue.SimpleQueue()  # the parent's messages are the parent's
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="outbox-hand-over", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        from django.db import connection

        while True:
            message = self._queue.get()
            try:
                _hand_over(message)
            except Exception:
                logger.exception("outbox: hand-over of message %s failed; the relay delivers it", message.pk)
            finally:
                # Only a refused broker made this thread use the database: give the connection back.
                if connection.connection is not None and self._queue.empty():
                    connection.close()


_HAND_OVER = _HandOverThread()


# --- Relaying -----------------------------------------------------------------------------------


def _due(now: datetime) -> Q:
    lost = now - lease()
    return (
        Q(status=Message.Status.PENDING, available_at__lte=now)
        | Q(status=Message.Status.DISPATCHED, dispatched_at__lt=lost)
        | Q(status=Message.Status.RUNNING, started_at__lt=lost)
    )


def _claim_for_dispatch(candidates, now: datetime, limit: int = 1) -> list[Message]:
    """Lock what is due (skipping rows another relay holds) and mark it handed over.

    Rows out of tries (runs started, none finished) become dead instead. The locks last
    only for this short transaction: the broker is asked after it commits, so a slow
    broker never holds rows locked.
    """
    with transaction.atomic():
        rows = list(candidates.filter(_due(now)).select_for_update(skip_locked=True).order_by("pk")[:limit])
        if not rows:
            return []
        dead = [m.pk for m in rows if m.attempts >= max_attempts()]
        if dead:
            Message.objects.filter(pk__in=dead).update(
                status=Message.Status.DEAD, last_error="Out of tries. " + _last_errors(dead)
            )
            logger.error("outbox: messages %s failed %s times and are dead", dead, max_attempts())
        live = [m for m in rows if m.pk not in dead]
        for message in live:
            message.status = Message.Status.DISPATCHED
            message.dispatched_at = now
        Message.objects.bulk_update(live, ["status", "dispatched_at"])
    return live


def _last_errors(pks: Iterable[int]) -> str:
    return "; ".join(Message.objects.filter(pk__in=list(pks)).values_list("last_error", flat=True)[:1])


def messages_relay(*, now: datetime | None = None, batch: int = 200) -> int:
    """Hand every due message to the broker; returns how many were handed over."""
    now = now or timezone.now()
    handed = 0
    while True:
        claimed = _claim_for_dispatch(Message.objects.all(), now, limit=batch)
        for message in claimed:
            if publish(message):
                handed += 1
            else:
                Message.objects.filter(pk=message.pk, status=Message.Status.DISPATCHED).update(
                    status=Message.Status.PENDING
                )
        if len(claimed) < batch:
            return handed


def publish(message: Message) -> bool:
    """Ask the broker once; False when it refused (the caller leaves the row to the relay).

    The one place a message leaves the portal: tests replace it to see what was handed over
    (tests/outbox_capture.py).
    """
    from celery import current_app

    task = _task(current_app, message.task)
    if current_app.conf.task_always_eager:
        # The embedded default and the tests: the task runs here and settles its own row;
        # its errors are its own, not the broker's.
        task.apply_async(args=message.args, kwargs=message.kwargs, task_id=task_id_for(message))
        return True
    try:
        task.apply_async(
            args=message.args,
            kwargs=message.kwargs,
            task_id=task_id_for(message),
            retry=False,
            ignore_result=True,
        )
    except _BROKER_ERRORS as error:
        global _broker_down_until
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.warning("outbox: broker unavailable, message %s waits for the relay: %s", message.pk, error)
        return False
    return True


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError as KombuOperationalError

    return (KombuOperationalError, ConnectionError, OSError, TimeoutError)


_BROKER_ERRORS = _broker_errors()


_IMPORT_LOCK = threading.Lock()


def _task(app, name: str):
    """The registered task, importing the apps' task modules first where nothing has yet.

    Domain services name their tasks instead of importing them (tasks import services,
    never the reverse), so a web process may not have loaded a task module yet.
    """
    if name not in app.tasks:
        # One thread at a time: Celery's autodiscovery returns nothing at all to a second
        # thread calling it while the first is still importing (celery.loaders.base's
        # _RACE_PROTECTION), and that thread found no task: a 500 after its commit, seen
        # when the first requests of a new gunicorn worker arrive together.
        with _IMPORT_LOCK:
            if name not in app.tasks:
                app.loader.import_default_modules()
    return app.tasks[name]


# --- Settling (called by the consumer, outbox.tasks.OutboxTask) -----------------------------------


def message_start(*, pk: int, now: datetime | None = None) -> bool:
    """Claim the message for this run, counting it as a try; False when it is done, dead,
    or running elsewhere."""
    now = now or timezone.now()
    startable = Q(status__in=[Message.Status.PENDING, Message.Status.DISPATCHED]) | Q(
        status=Message.Status.RUNNING, started_at__lt=now - lease()
    )
    claimed = Message.objects.filter(startable, pk=pk).update(
        status=Message.Status.RUNNING, started_at=now, attempts=F("attempts") + 1
    )
    return bool(claimed)


def message_finish(*, pk: int, now: datetime | None = None) -> None:
    Message.objects.filter(pk=pk).update(status=Message.Status.DONE, done_at=now or timezone.now(), last_error="")


def message_release(*, pk: int) -> None:
    """The consumer will run again by itself (a Celery retry): let that run claim it."""
    Message.objects.filter(pk=pk, status=Message.Status.RUNNING).update(status=Message.Status.DISPATCHED)


def message_fail(*, pk: int, error: str, now: datetime | None = None) -> None:
    """The consumer gave up: try again after a backoff, or never if out of tries."""
    now = now or timezone.now()
    message = Message.objects.filter(pk=pk).only("attempts").first()
    if message is None:
        return
    dead = message.attempts >= max_attempts()
    Message.objects.filter(pk=pk).update(
        status=Message.Status.DEAD if dead else Message.Status.PENDING,
        available_at=now + backoff(message.attempts),
        last_error=error[:2000],
    )
    if dead:
        logger.error("outbox: message %s (%s) failed %s times and is dead: %s", pk, message, message.attempts, error)


def messages_retry(*, pks: Iterable[int]) -> int:
    """From the admin: dead (or stuck) messages get a fresh set of tries, now."""
    return (
        Message.objects.filter(pk__in=list(pks))
        .exclude(status=Message.Status.DONE)
        .update(status=Message.Status.PENDING, attempts=0, available_at=timezone.now())
    )


def messages_purge_done(*, older_than: timedelta) -> int:
    """Delivered messages are kept a while for the record, then deleted."""
    cutoff = timezone.now() - older_than
    deleted, _counts = Message.objects.filter(status=Message.Status.DONE, done_at__lt=cutoff).delete()
    return deleted


# --- Once-only effects -----------------------------------------------------------------------


def sent_mark_claim(*, key: str) -> bool:
    """Record that the effect ``key`` happens now; False when somebody recorded it before.

    Committed at once (its own savepoint, or its own transaction in autocommit): of two
    concurrent claims of one key, the second waits for the first and then finds it taken.
    """
    try:
        with transaction.atomic():
            SentMark.objects.create(key=key[:255], at=timezone.now())
    except IntegrityError:
        return False
    return True


def sent_mark_release(*, key: str) -> None:
    """Give a claim back after the effect failed, so a retry may try again."""
    SentMark.objects.filter(key=key[:255]).delete()


def sent_mark_exists(*, key: str) -> bool:
    return SentMark.objects.filter(key=key[:255]).exists()
