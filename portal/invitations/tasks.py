"""Invitation e-mail, sent by a worker after the invitation is committed."""

from __future__ import annotations

from celery import shared_task

from outbox.retry import RETRY_OPTIONS

from .services import invitation_send


@shared_task(name="portal.invitations.send_invitation", **RETRY_OPTIONS)
def send_invitation(invitation_id: int, base_url: str | None = None) -> bool:
    """Idempotent: the service sends each invitation's e-mail at most once."""
    return invitation_send(invitation_id=invitation_id, base_url=base_url)
