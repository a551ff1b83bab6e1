"""The failures a task should simply try again, and how: one definition for every task.

A database restarting or a dropped connection (Django's OperationalError and
InterfaceError), the broker away (kombu's OperationalError), a mail server that refuses
for a moment (smtplib's errors are OSErrors): a later attempt will not meet them. Tasks
retry them inside Celery with exponential backoff and jitter, capped; when the retries
are spent the outbox takes over (outbox/tasks.py), with its own, longer backoff.
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

# The database or the broker away: any task may retry these.
DATABASE_AND_BROKER_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    BrokerError,
    ConnectionError,
    TimeoutError,
)
# Sending e-mail also meets a mail server that refuses for a while (OSError). Tasks that
# write files must not retry every OSError: a full disk does not go away by waiting.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (*DATABASE_AND_BROKER_ERRORS, OSError)

# For e-mail tasks: about 5 s, 10 s, 20 s, … apart (with jitter), at most 10 minutes, 6 retries.
RETRY_OPTIONS = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}
