"""Writes of personal calendar feed tokens: create, renew (rotate) and revoke.

The token is the only credential of a feed address: calendar programs fetch the feed
without a session. Renewing replaces the token, so the old address stops working at
once; revoking deletes it, and the address answers 404 from then on.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import CalendarFeedToken

# 32 random bytes, URL-safe base64: 43 characters from [A-Za-z0-9_-], as the model's
# check constraint requires, and far beyond guessing.
TOKEN_BYTES = 32


def new_feed_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def calendar_feed_token_create(*, user: Any) -> CalendarFeedToken:
    """The person's feed token, made now if they have none; an existing one is kept.

    Idempotent, so a form sent twice (double click, two tabs) does not change the address
    the first answer showed.
    """
    existing = CalendarFeedToken.objects.filter(user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return CalendarFeedToken.objects.create(user=user, token=new_feed_token(), created_at=timezone.now())
    except IntegrityError:
        # The same person created one in another request a moment ago: that one stands.
        return CalendarFeedToken.objects.get(user=user)


def calendar_feed_token_rotate(*, user: Any) -> CalendarFeedToken:
    """A new token for the person's feed; the old address stops working at once."""
    with transaction.atomic():
        token, created = CalendarFeedToken.objects.select_for_update().get_or_create(
            user=user, defaults={"token": new_feed_token(), "created_at": timezone.now()}
        )
        if not created:
            token.token = new_feed_token()
            token.created_at = timezone.now()
            token.save(update_fields=["token", "created_at"])
    return token


def calendar_feed_token_revoke(*, user: Any) -> bool:
    """Delete the person's feed token; True if there was one."""
    deleted, _ = CalendarFeedToken.objects.filter(user=user).delete()
    return bool(deleted)
