"""The signed token in an invitation link.

The token is ``signing.dumps({"id": pk, "n": nonce})`` under its own salt: changing one
character breaks the signature, and a token made for another purpose (another salt)
does not verify here. The nonce is random and stored on the row, so knowing an id is
not enough to build a link, and a new nonce would disown every earlier link.
Expiry is the row's ``expires_at``, not the token's timestamp, so an invitation can be
extended or revoked without sending a new link.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from django.core import signing

from portal.models import Invitation

SALT = "portal.invitations.accept"


class InvalidToken(Exception):
    """Not a token we signed: forged, tampered with, truncated or garbage."""


@dataclass(frozen=True)
class TokenClaims:
    invitation_id: int
    nonce: str


def make_token(invitation: Invitation) -> str:
    return signing.dumps({"id": invitation.pk, "n": invitation.nonce}, salt=SALT)


def read_token(token: str) -> TokenClaims:
    """The claims of a token we signed; raises InvalidToken for anything else."""
    try:
        payload = signing.loads(token, salt=SALT)
    # BadSignature covers forged and tampered tokens; the others can only come from a
    # payload signed with our key but malformed, and must still not become a 500.
    except (signing.BadSignature, ValueError, TypeError, UnicodeError, zlib.error) as exc:
        raise InvalidToken from exc
    if not isinstance(payload, dict):
        raise InvalidToken
    invitation_id, nonce = payload.get("id"), payload.get("n")
    if isinstance(invitation_id, bool) or not isinstance(invitation_id, int) or not isinstance(nonce, str):
        raise InvalidToken
    return TokenClaims(invitation_id=invitation_id, nonce=nonce)
