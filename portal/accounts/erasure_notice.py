"""The e-mail confirming an erasure, to the address the account had.

The account is gone when the task runs, so the task gets the address and language as
arguments (they wait in the outbox's message row until the outbox's daily purge of
finished messages). Sent once per erasure: the claim key is a random token, so the
address is not kept in the sent marks.
"""

from __future__ import annotations

from types import SimpleNamespace

from events.branded_mail import branded_message, send_once

ERASURE_NOTICE_TASK = "portal.send_erasure_confirmation"
TEMPLATE = "account/email/erased"


def erasure_confirmation_send(*, email: str, language: str, token: str) -> int:
    """Tell the former account holder that their account and personal data are deleted."""
    # No account any more: a stand-in with what the branded frame reads (no pk: no profile link).
    recipient = SimpleNamespace(pk=None, email=email, preferred_language=language, is_active=True)
    return send_once(
        key=f"portal:erasure:{token}",
        recipients=[recipient],
        build=lambda person: branded_message(template=TEMPLATE, recipient=person, context={}),
    )
