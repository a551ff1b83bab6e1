"""Celery tasks of the events app. Thin: they take primary keys and call events/emails.py.

Services enqueue them with ``delay_on_commit``, so nothing is sent for a transaction
that rolled back, and a worker never reads a row that is not committed yet.
"""

from __future__ import annotations

from celery import shared_task

from . import emails

# What a registration notice is about; events/emails.py has one template pair per kind.
NOTICE_KINDS = ("confirmed", "waitlisted", "promoted", "cancelled")


@shared_task(name="events.send_registration_notice")
def send_registration_notice(registration_id: int, kind: str) -> None:
    """Tell the registered person what happened to their registration ("confirmed", …)."""
    emails.registration_notice_send(registration_id=registration_id, kind=kind)
