"""Reads for calendar files and feeds: the feed's owner by token, and the meetings listed.

Feeds list what is still to come and the last year's meetings: enough for a calendar to
keep recent history, without a feed growing for ever.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ..models import CalendarFeedToken, Community, Meeting, Registration
from .visibility import visible_meetings

FEED_HISTORY = dt.timedelta(days=365)


def feed_token_for_user(user: Any) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user).first()


def feed_token_owner(token: str) -> Any | None:
    """The active person whose feed ``token`` is, or None (unknown, revoked, or deactivated)."""
    found = CalendarFeedToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    return found.user if found is not None else None


def _recent(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return queryset.filter(ends_at__gte=timezone.now() - FEED_HISTORY).order_by("starts_at", "pk")


def personal_feed_meetings(user: Any) -> QuerySet[Meeting]:
    """The meetings the person holds a confirmed seat for, cancelled meetings included
    (they stay in the feed with STATUS:CANCELLED, so calendars mark them)."""
    # At most one active registration per person and meeting (a database rule): no duplicates.
    return _recent(
        Meeting.objects.filter(
            registrations__user=user, registrations__status=Registration.Status.CONFIRMED
        ).select_related("project", "community", "community__project")
    )


def community_feed_meetings(user: Any, community: Community) -> QuerySet[Meeting]:
    """The community's meetings that ``user`` may see (anonymous: the public ones)."""
    return _recent(visible_meetings(user).filter(community=community).select_related("community__project"))


def meeting_for_calendar_file(pk: int) -> Meeting | None:
    """The meeting with what the permission checks read (project, community and its project)."""
    return Meeting.objects.select_related("project", "community", "community__project").filter(pk=pk).first()


def community_for_feed(slug: str) -> Community | None:
    return Community.objects.select_related("project").filter(slug=slug).first()
