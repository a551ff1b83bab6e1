"""Reads of the access log, for the pages that show it (portal/access_log) and the admin."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import PersonalDataAccess


def project_accesses(project_id: int, *, meeting_id: int | None = None) -> QuerySet[PersonalDataAccess]:
    """The project's entries with their viewer and subject, newest first; ``meeting_id`` narrows them to one meeting."""
    entries = PersonalDataAccess.objects.filter(project_id=project_id)
    if meeting_id is not None:
        entries = entries.filter(meeting_id=meeting_id)
    return entries.select_related("viewer", "subject").order_by("-at", "-id")


def logged_meeting_ids(project_id: int) -> QuerySet[PersonalDataAccess]:
    """The ids of the project's meetings that have entries (a subquery for the page's filter)."""
    return (
        PersonalDataAccess.objects.filter(project_id=project_id, meeting_id__isnull=False)
        .values("meeting_id")
        .distinct()
    )
