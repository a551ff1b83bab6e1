"""Reads of registrations: a person's own, one for its page, and the participant list.

The waiting-list position is computed in the same query (a correlated subquery), so a
list of registrations costs one query however long it is.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, When

from ..models import Meeting, Registration

WAITLISTED = Registration.Status.WAITLISTED


def with_waitlist_position(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate ``waitlist_position``: 1 for the next in line, None unless waitlisted.

    The line is ordered by (queued_at, id), as events/services/registrations.py fills it.
    """
    ahead_or_self = (
        Registration.objects.filter(meeting=OuterRef("meeting"), status=WAITLISTED)
        .filter(Q(queued_at__lt=OuterRef("queued_at")) | Q(queued_at=OuterRef("queued_at"), id__lte=OuterRef("id")))
        .order_by()
        .values("meeting")
        .annotate(n=Count("id"))
        .values("n")
    )
    return queryset.annotate(
        waitlist_position=Case(
            When(status=WAITLISTED, then=Subquery(ahead_or_self, output_field=IntegerField())),
            default=None,
            output_field=IntegerField(),
        )
    )


def own_registrations_with_meetings(user: Any) -> QuerySet[Registration]:
    """A person's registrations (cancelled ones too), newest meeting first, with positions.

    Only the columns "My meetings" shows and its permission checks read: three joined rows
    of every column cost more to build and read than the rest of that page.
    """
    if not getattr(user, "is_authenticated", False):
        return Registration.objects.none()
    queryset = (
        Registration.objects.filter(user=user)
        .select_related("meeting", "meeting__project")
        .only(
            "id",
            "meeting_id",
            "user_id",
            "status",
            "meeting__id",
            "meeting__project_id",
            "meeting__community_id",
            "meeting__title",
            "meeting__title_de",
            "meeting__status",
            "meeting__starts_at",
            "meeting__ends_at",
            "meeting__illustrative_note",
            "meeting__project__id",
            "meeting__project__slug",
            "meeting__project__acronym",
            "meeting__project__is_public",
        )
    )
    return with_waitlist_position(queryset).order_by("-meeting__starts_at", "-created_at", "-id")


def registration_for_page(pk: int) -> Registration:
    """One registration with its meeting, project, person and position; raises DoesNotExist."""
    queryset = Registration.objects.select_related(
        "meeting", "meeting__project", "meeting__community", "meeting__community__project", "user"
    )
    return with_waitlist_position(queryset).get(pk=pk)


def active_registration(user: Any, meeting: Meeting) -> Registration | None:
    """The person's confirmed or waitlisted registration for the meeting, with position."""
    if not getattr(user, "is_authenticated", False):
        return None
    queryset = Registration.objects.filter(meeting=meeting, user=user, status__in=Registration.ACTIVE)
    return with_waitlist_position(queryset).first()


def active_registration_id(user: Any, meeting: Meeting) -> int | None:
    """The id of the person's active registration for the meeting, if any (a cheap look-up)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.filter(meeting=meeting, user=user, status__in=Registration.ACTIVE)
        # At most one row (the partial unique constraint); ordering by the model's default
        # would join the meeting table for nothing on every registration request.
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def consented_participants(meeting: Meeting) -> QuerySet[Registration]:
    """Confirmed participants who agreed to appear on the list other participants see."""
    return (
        Registration.objects.filter(meeting=meeting, status=Registration.Status.CONFIRMED, consent_to_list=True)
        .select_related("user", "user__organisation")
        .order_by("user__last_name", "user__first_name", "id")
    )
