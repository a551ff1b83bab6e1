"""Tasks of the portal layer.

Celery finds the tasks of each installed app in its ``tasks`` module; the web packages
under portal/ are not apps, so their tasks are imported here to be found (and
PortalConfig.ready imports this module, so the web process knows them by name too).
"""

import socket

from celery import shared_task
from django.db import connection

from portal.invitations.tasks import send_invitation

__all__ = ["health_check", "send_invitation"]


@shared_task(name="portal.health_check", acks_late=False)
def health_check() -> dict[str, str]:
    """Answer from a worker, proving broker, worker and database work together.

    Read-only and cheap, so it is safe to run any number of times.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"worker": socket.gethostname(), "database": connection.vendor}
