"""Invitation e-mail, sent by a worker after the invitation is committed."""

from __future__ import annotations

from celery import shared_task

from outbox.retry import RETRY_OPTIONS

from .services import ACCEPTED_NOTICE_TASK, invitation_accepted_notice_send, invitation_send


@shared_task(name="portal.invitations.send_invitation", **RETRY_OPTIONS)
def send_invitation(invitation_id: int, base_url: str | None = None) -> bool:
    """Idempotent: the service sends each invitation's e-mail at most once."""
    return invitation_send(invitation_id=invitation_id, base_url=base_url)


@shared_task(name=ACCEPTED_NOTICE_TASK, **RETRY_OPTIONS)
def send_accepted_notice(invitation_id: int) -> int:
    """Idempotent: the inviter hears of each accepted invitation at most once."""
    return invitation_accepted_notice_send(invitation_id=invitation_id)
