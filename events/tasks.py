"""Celery tasks of the events app. Thin: they take primary keys and call a service.

Services queue them by name once the transaction commits (outbox.services.message_enqueue), so
nothing is sent for a transaction that rolled back, and a worker never reads a row that
is not committed yet. The tasks import the services, never the other way round. Each is
harmless to run twice (events/emails.py and events/services/reminders.py say how).
"""

from __future__ import annotations

from celery import shared_task

from outbox.retry import RETRY_OPTIONS

from . import emails, membership_notices
from .services import retention
from .services.meetings import CHANGE_NOTICE_TASK
from .services.registrations import NOTICE_TASK, REGISTERED_TASK
from .services.reminders import reminders_send_due

# A mail server, database or broker away for a moment: try again later (outbox/retry.py).
# Safe, as sending is harmless to repeat (events/emails.py, and the outbox's claim).
RETRY = RETRY_OPTIONS


@shared_task(name=NOTICE_TASK, **RETRY)
def send_registration_notice(registration_id: int, kind: str) -> bool:
    """Tell the registered person what happened to their registration ("confirmed", …)."""
    return emails.registration_notice_send(registration_id=registration_id, kind=kind)


@shared_task(name=REGISTERED_TASK, **RETRY)
def send_registered_notice(meeting_id: int, user_id: int) -> bool:
    """Tell a person who has just registered for the meeting whether they have a seat or wait."""
    return emails.registered_notice_send(meeting_id=meeting_id, user_id=user_id)


@shared_task(name=CHANGE_NOTICE_TASK, **RETRY)
def send_meeting_notices(meeting_id: int, sequence: int, changed: list[str] | None = None) -> int:
    """Tell everyone registered that the meeting changed (or was cancelled) at revision ``sequence``."""
    return emails.meeting_notices_send(meeting_id=meeting_id, sequence=sequence, changed=changed)


@shared_task(name=membership_notices.NOTICE_TASK, **RETRY)
def send_membership_notice(membership_id: int, kind: str) -> int:
    """Tell the approvers of a request to join, or the person of the decision ("requested", …)."""
    return membership_notices.membership_notice_send(membership_id=membership_id, kind=kind)


@shared_task(name="events.send_due_reminders")
def send_due_reminders() -> int:
    """The 48-hour reminders (celery beat, every 15 minutes)."""
    return reminders_send_due()


@shared_task(name="events.purge_access_needs")
def purge_access_needs() -> int:
    """celery beat, daily: delete access needs and interpretation languages after their period."""
    return retention.access_needs_purge()


@shared_task(name="events.anonymise_after_audit_retention")
def anonymise_after_audit_retention() -> dict[str, int]:
    """celery beat, daily: anonymise registrations and memberships once the audit retention ended."""
    counts = retention.registrations_anonymise_after_audit()
    return {"registrations": counts.registrations, "memberships": counts.memberships}
