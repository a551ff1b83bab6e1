"""E-mails to registered people, in their own language, with a text and an HTML part."""

from __future__ import annotations


def registration_notice_send(*, registration_id: int, kind: str) -> None:
    """Send the notice of ``kind`` for the registration (placeholder until the templates land)."""
