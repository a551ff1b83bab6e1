"""Periodic jobs of the audit trail (celery beat: CELERY_BEAT_SCHEDULE in portal/settings/base.py)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="audit.purge_personal_data_access", ignore_result=True)
def purge_personal_data_access() -> int:
    """Daily: the access log is kept PORTAL_RETENTION_LOGS_DAYS, then deleted. Safe to run twice."""
    return services.personal_data_access_purge(now=timezone.now())
