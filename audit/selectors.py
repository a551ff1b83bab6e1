"""Reads of the access log (portal/access_log and the admin) and of the change log (portal/changelog)."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db.models import Q, QuerySet

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


# --- The change log (audit/changes.py) -------------------------------------------------------


def project_changes(
    *, project_id: int, content_type_id: int | None = None, meeting_id: int | None = None
) -> QuerySet[LogEntry]:
    """The project's change entries, newest first, with who made them and what kind of row.

    ``content_type_id`` keeps one kind of row (meetings, registrations, …); ``meeting_id``
    one meeting and what was recorded against it (its registrations).
    """
    entries = LogEntry.objects.filter(additional_data__project_id=project_id)
    if content_type_id is not None:
        entries = entries.filter(content_type_id=content_type_id)
    if meeting_id is not None:
        # A registration moved away from the meeting is in its history too.
        entries = entries.filter(
            Q(additional_data__meeting_id=meeting_id) | Q(additional_data__from_meeting_id=meeting_id)
        )
    return entries.select_related("actor", "content_type").order_by("-timestamp", "-id")


def project_change_types(*, project_id: int) -> list[int]:
    """The content type ids the project's entries are about: the choices of the page's filter."""
    return list(
        LogEntry.objects.filter(additional_data__project_id=project_id)
        .order_by()
        .values_list("content_type_id", flat=True)
        .distinct()
    )
