"""The one way domain services hand work to Celery: by task name, once the transaction commits.

Services never import the task modules (the tasks import the services, to call them), so
they name the task instead. The message goes out only after the surrounding transaction
has committed: nothing is sent for a change that rolled back, and a worker never looks
for a row that is not committed yet. Keeping this in one small function leaves one place
to change how tasks are handed over (e.g. for a transactional outbox).

Lives in ``projects`` because both events and reports enqueue tasks.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from celery import current_app
from django.db import transaction


def enqueue_on_commit(task_name: str, *args: Any) -> None:
    """Queue the Celery task registered as ``task_name`` with ``args`` after the current transaction commits.

    Outside a transaction (autocommit) it is queued at once, as Django runs on-commit
    callbacks immediately then.
    """
    transaction.on_commit(partial(send, task_name, args))


def send(task_name: str, args: tuple[Any, ...]) -> None:
    """Hand the task to Celery now; tests replace this to see what was queued."""
    app = current_app
    if task_name not in app.tasks:
        # A web process has not imported the task modules (a worker has, at start): load
        # every installed app's tasks module, as the worker does.
        app.autodiscover_tasks(force=True)
    # Through the task itself rather than send_task: its own options apply, and with
    # CELERY_TASK_ALWAYS_EAGER it runs here, as delay() would.
    app.tasks[task_name].apply_async(args)
