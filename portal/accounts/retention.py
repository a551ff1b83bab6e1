"""Retention of sign-in records (GDPR Art. 5(1)(e)): django-axes' attempts and access logs.

They serve security (lockout, spotting attacks, the person's own sign-in history) and are
kept PORTAL_RETENTION_LOGS_DAYS days, then deleted by the daily task in portal/tasks.py.
A lockout lasts minutes (AXES_COOLOFF_TIME), far shorter than the period, so no running
lockout is lifted early.
"""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone


def sign_in_records_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the axes records older than PORTAL_RETENTION_LOGS_DAYS days; returns how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.PORTAL_RETENTION_LOGS_DAYS)
    deleted = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        count, _per_model = model.objects.filter(attempt_time__lt=cutoff).delete()
        deleted += count
    return deleted
