"""The 48-hour reminder: find who is due, claim each reminder in the database, send it.

celery-beat starts the run every 15 minutes (settings.CELERY_BEAT_SCHEDULE), and a run
may overlap the previous one or be delivered twice. Each reminder is therefore claimed
with one conditional UPDATE (``… SET reminder_sent_at = now WHERE id = … AND
reminder_sent_at IS NULL``) before it is sent: PostgreSQL lets only one of two
concurrent UPDATEs of the row match, so a reminder is never sent twice. A send that fails
releases its claim, and the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import get_connection
from django.utils import timezone

from .. import emails
from ..models import Meeting, Registration

logger = logging.getLogger(__name__)

REMINDER_LEAD = dt.timedelta(hours=48)


def due_reminder_ids(*, now: dt.datetime) -> list[int]:
    """Confirmed registrations of scheduled meetings starting within 48 h (not yet started),
    whose reminder has not gone out."""
    return list(
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            reminder_sent_at__isnull=True,
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + REMINDER_LEAD,
        )
        .order_by("meeting__starts_at", "pk")
        .values_list("pk", flat=True)
    )


def reminder_claim(*, registration_id: int, now: dt.datetime) -> bool:
    """Mark the reminder as sent if nobody has; True for the one caller that did."""
    return (
        Registration.objects.filter(
            pk=registration_id, reminder_sent_at__isnull=True, status=Registration.Status.CONFIRMED
        ).update(reminder_sent_at=now)
        == 1
    )


def reminder_release(*, registration_id: int, claimed_at: dt.datetime) -> None:
    """Undo our own claim after a failed send (never another run's)."""
    Registration.objects.filter(pk=registration_id, reminder_sent_at=claimed_at).update(reminder_sent_at=None)


def reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """Send every reminder that is due; returns how many this run sent."""
    now = now or timezone.now()
    sent = 0
    with get_connection() as connection:
        for registration_id in due_reminder_ids(now=now):
            if not reminder_claim(registration_id=registration_id, now=now):
                continue  # another run has it
            try:
                registration = (
                    Registration.objects.select_related("user", "meeting", "meeting__project", "meeting__community")
                    .filter(pk=registration_id)
                    .first()
                )
                message = emails.reminder_message(registration) if registration is not None else None
                if message is None:
                    # Cancelled or deleted between the claim and now: nothing to remind of.
                    continue
                message.connection = connection
                message.send()
                sent += 1
            except Exception:
                # One bad address must not stop the others; the next run retries this one.
                logger.exception("reminder for registration %s failed", registration_id)
                reminder_release(registration_id=registration_id, claimed_at=now)
    return sent
