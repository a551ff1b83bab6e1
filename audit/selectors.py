"""Reading the change log (audit/changes.py): a project's entries, newest first."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db.models import Q, QuerySet


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
