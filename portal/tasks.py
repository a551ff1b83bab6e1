"""Tasks of the portal layer."""

import socket

from celery import shared_task
from django.db import connection


@shared_task(name="portal.health_check", acks_late=False)
def health_check() -> dict[str, str]:
    """Answer from a worker, proving broker, worker and database work together.

    Read-only and cheap, so it is safe to run any number of times.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"worker": socket.gethostname(), "database": connection.vendor}


from portal.invitations.tasks import send_invitation  # noqa: E402,F401
