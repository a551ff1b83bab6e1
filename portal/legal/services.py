"""The one write path for accepting the privacy notice."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from portal.models import PrivacyAcceptance, User


def privacy_notice_accept(
    *, user: User, version: str, occasion: str, accepted_at: dt.datetime | None = None
) -> PrivacyAcceptance:
    """Record that ``user`` accepted ``version`` of the privacy notice.

    The account keeps the latest acceptance (what sign-in compares with the current
    version, and what the profile shows); the history keeps every one. Both in one
    transaction, so they never disagree. ``user`` must already be saved.
    """
    if not version:
        raise ValueError("An acceptance needs the version of the privacy notice that was accepted.")
    if occasion not in PrivacyAcceptance.Occasion.values:
        raise ValueError(f"Unknown occasion {occasion!r}.")
    if user.pk is None:
        raise ValueError("Save the account before recording its acceptance.")
    accepted_at = accepted_at or timezone.now()
    with transaction.atomic():
        user.privacy_notice_version = version
        user.privacy_accepted_at = accepted_at
        user.save(update_fields=["privacy_notice_version", "privacy_accepted_at"])
        return PrivacyAcceptance.objects.create(user=user, version=version, accepted_at=accepted_at, occasion=occasion)
