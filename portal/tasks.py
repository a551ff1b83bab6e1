"""Tasks of the portal layer.

Celery finds the tasks of each installed app in its ``tasks`` module; the web packages
under portal/ are not apps, so their tasks are imported here to be found (and
PortalConfig.ready imports this module, so the web process knows them by name too).
"""

import socket

from celery import shared_task
from django.db import connection

from outbox.retry import RETRY_OPTIONS
from portal.accounts.erasure_notice import ERASURE_NOTICE_TASK, erasure_confirmation_send
from portal.accounts.retention import sign_in_records_purge
from portal.changelog.retention import change_log_purge
from portal.deadline_notices import DEADLINE_NOTICE_TASK, deadline_notice_send, deadline_notices_queue
from portal.invitations.tasks import send_accepted_notice, send_invitation
from portal.opendata.build import open_data_build

__all__ = ["health_check", "send_accepted_notice", "send_invitation"]


@shared_task(name="portal.health_check", acks_late=False)
def health_check() -> dict[str, str]:
    """Answer from a worker, proving broker, worker and database work together.

    Read-only and cheap, so it is safe to run any number of times.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"worker": socket.gethostname(), "database": connection.vendor}


@shared_task(name="portal.purge_change_log")
def purge_change_log() -> int:
    """celery beat, daily: delete change entries whose audit retention has ended. Idempotent."""
    result = change_log_purge()
    return result.of_projects + result.without_project


@shared_task(name="portal.queue_deadline_notices")
def queue_deadline_notices() -> int:
    """celery beat, daily: queue the "due in a week" and "overdue" notices of deliverables."""
    return deadline_notices_queue()


@shared_task(name=DEADLINE_NOTICE_TASK, **RETRY_OPTIONS)
def send_deadline_notice(deliverable_id: int, kind: str, due_date: str) -> int:
    """Idempotent: each recipient hears of a deliverable's kind and due date once."""
    return deadline_notice_send(deliverable_id=deliverable_id, kind=kind, due_date=due_date)


@shared_task(name="portal.purge_sign_in_records")
def purge_sign_in_records() -> int:
    """celery beat, daily: delete sign-in attempts and access logs after PORTAL_RETENTION_LOGS_DAYS."""
    return sign_in_records_purge()


@shared_task(name=ERASURE_NOTICE_TASK, **RETRY_OPTIONS)
def send_erasure_confirmation(email: str, language: str, token: str) -> int:
    """Idempotent: one confirmation per erasure (the token), whatever the retries."""
    return erasure_confirmation_send(email=email, language=language, token=token)


@shared_task(name="portal.build_open_data")
def build_open_data() -> dict[str, int]:
    """celery beat, hourly: write the open-data files anew. Idempotent; each file is replaced whole."""
    return open_data_build().rows
