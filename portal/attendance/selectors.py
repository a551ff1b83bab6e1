"""Reads for the attendance pages: a meeting's registrations by name, for its coordinators."""

from __future__ import annotations

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from events.models import Meeting, Registration

# A search longer than any name or address only makes the database work harder.
MAX_QUERY_LENGTH = 100


def meeting_for_attendance(pk: int) -> Meeting:
    """The meeting with what its attendance page shows; Meeting.DoesNotExist if there is none."""
    return Meeting.objects.select_related("project", "project__programme", "community").get(pk=pk)


def attendance_registrations(meeting: Meeting, query: str = "") -> QuerySet[Registration]:
    """The meeting's registrations with their people, by surname; ``query`` narrows them to
    those whose name, e-mail address or organisation contains it (any case)."""
    registrations = Registration.objects.filter(meeting=meeting).select_related("user", "user__organisation")
    query = query.strip()[:MAX_QUERY_LENGTH]
    if query:
        registrations = registrations.annotate(
            full_name=Concat("user__first_name", Value(" "), "user__last_name")
        ).filter(
            Q(full_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(user__organisation__name__icontains=query)
            | Q(user__organisation__short_name__icontains=query)
            | Q(user__organisation_name__icontains=query)
        )
    return registrations.order_by("user__last_name", "user__first_name", "user__email", "id")


def move_targets(meeting: Meeting) -> QuerySet[Meeting]:
    """Where a registration of ``meeting`` can be moved: the project's other meetings that
    are neither over nor cancelled, soonest first."""
    return (
        Meeting.objects.filter(
            project_id=meeting.project_id, status=Meeting.Status.SCHEDULED, ends_at__gte=timezone.now()
        )
        .exclude(pk=meeting.pk)
        .order_by("starts_at", "id")
    )


def registration_for_attendance(pk: int) -> Registration:
    return Registration.objects.select_related(
        "user", "user__organisation", "meeting", "meeting__project", "meeting__community", "checked_in_by"
    ).get(pk=pk)
