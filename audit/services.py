"""Writes of the audit trail's access log (audit.models.PersonalDataAccess).

The views that show or hand out other people's personal data call
``personal_data_access_record`` after their permission check, once the page or file is
ready to go out: a refusal (403/404) leaves no row, and a download is one row, however
large the file. The record is one INSERT, in the request's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from .models import PersonalDataAccess


def personal_data_access_record(
    *,
    viewer: Any,
    kind: str,
    project_id: int,
    meeting_id: int | None = None,
    community_id: int | None = None,
    subject_id: int | None = None,
    people: int = 0,
) -> PersonalDataAccess | None:
    """Log that ``viewer`` saw personal data of others; None (nothing written) when there is nobody to name
    as the viewer, or when the page is about the viewer themself (their own registration, their own card)."""
    viewer_id = getattr(viewer, "pk", None) if getattr(viewer, "is_authenticated", False) else None
    if viewer_id is None:
        # Every such page needs a login first: an anonymous "viewer" saw nothing.
        return None
    if subject_id is not None and subject_id == viewer_id:
        return None
    return PersonalDataAccess.objects.create(
        viewer_id=viewer_id,
        kind=kind,
        project_id=project_id,
        meeting_id=meeting_id,
        community_id=community_id,
        subject_id=subject_id,
        people=max(int(people), 0),
    )


def personal_data_access_purge(*, now: dt.datetime) -> int:
    """Delete the entries older than PORTAL_RETENTION_LOGS_DAYS before ``now``; how many went.

    One DELETE (the model has no dependants and no delete signals).
    """
    cutoff = now - dt.timedelta(days=settings.PORTAL_RETENTION_LOGS_DAYS)
    deleted, _counts = PersonalDataAccess.objects.filter(at__lt=cutoff).delete()
    return deleted
