"""The relay, and the base class through which every task settles its outbox message."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from typing import Any

from celery import Task, shared_task
from celery.exceptions import Retry
from django.db import DatabaseError, close_old_connections, connection

from . import services

logger = logging.getLogger(__name__)
# Messages this thread is running: in eager mode (the embedded default, the tests) a
# Celery retry runs the task again inside the first run, which already holds the claim.
_running = threading.local()


class OutboxTask(Task):
    """The Celery app's task class (portal/celery.py): a task run for an outbox message
    (its id is ``outbox-<pk>-<try>``) claims the message first and settles it afterwards.

    A second delivery of a message that is running or done does nothing, so every task
    handed over through the outbox is harmless to deliver twice. Tasks started any other
    way (beat, ``check_services``) run as they are.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        pk = services.message_id_from_task_id(getattr(self.request, "id", None))
        held = getattr(_running, "pks", set())
        if pk is None or pk in held:
            return super().__call__(*args, **kwargs)
        try:
            started = services.message_start(pk=pk)
        except DatabaseError as error:
            # The database is restarting: try the whole delivery again shortly.
            close_old_connections()
            raise self.retry(exc=error, countdown=min(2 ** (self.request.retries + 1), 60), max_retries=10) from error
        if not started:
            logger.info("outbox: message %s is already running or done; %s not run again", pk, self.name)
            return None
        _running.pks = held | {pk}
        try:
            result = super().__call__(*args, **kwargs)
        except Retry:
            _settle(services.message_release, pk=pk)
            raise
        except Exception as error:
            _settle(services.message_fail, pk=pk, error=f"{type(error).__name__}: {error}")
            raise
        finally:
            _running.pks = held
        _settle(services.message_finish, pk=pk)
        return result


def _settle(write, **kwargs: Any) -> None:
    """Record the outcome even through a short database restart (the work itself is done:
    running it again would send an e-mail twice). Gives up after about 30 s; the lease then
    hands the message over again and the consumer's own claim keeps it from repeating."""
    for wait in (0, 0.5, 1, 2, 4, 8, 15):
        time.sleep(wait)
        try:
            write(**kwargs)
            return
        except DatabaseError as error:
            logger.warning("outbox: could not record %s for %s yet: %s", write.__name__, kwargs, error)
            connection.close()
    logger.error("outbox: gave up recording %s for %s", write.__name__, kwargs)


@shared_task(name="outbox.relay", acks_late=False, ignore_result=True)
def relay() -> int:
    """celery beat, every few seconds: hand what is due to the broker."""
    return services.messages_relay()


@shared_task(name="outbox.purge_done", ignore_result=True)
def purge_done(days: int = 30) -> int:
    """celery beat, daily: delivered messages are kept a month for the record."""
    return services.messages_purge_done(older_than=timedelta(days=days))
