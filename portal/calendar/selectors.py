"""Reads of communities and meetings for the public calendar pages.

Every list starts from events.selectors.visibility (visible_meetings), so what a person sees here
is what the permission functions allow, row for row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.models import Community, Meeting, Membership, Registration
from events.selectors.visibility import visible_meetings
from projects.models import Update


def community_for_page(slug: str) -> Community:
    """The community with its project and active-member count; raises DoesNotExist."""
    # A subquery rather than a join with GROUP BY over every column of the community and its project.
    active = (
        Membership.objects.filter(community=OuterRef("pk"), status=Membership.Status.ACTIVE)
        .order_by()
        .values("community")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Community.objects.select_related("project")
        .annotate(member_count=Coalesce(Subquery(active, output_field=IntegerField()), 0))
        .get(slug=slug)
    )


def community_members(community: Community) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(community=community, status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("-role", "user__last_name", "user__first_name", "pk")
    )


def community_meetings(user: Any, community: Community) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming, past) visible meetings of the community, in one query."""
    now = timezone.now()
    meetings = list(visible_meetings(user).filter(community=community).order_by("starts_at", "pk"))
    upcoming = [m for m in meetings if m.ends_at >= now]
    past = [m for m in reversed(meetings) if m.ends_at < now]
    return upcoming, past


def calendar_meetings(user: Any) -> QuerySet[Meeting]:
    return visible_meetings(user).order_by("starts_at", "pk")


def upcoming(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    # Still running counts as upcoming: people look for today's meeting at lunchtime.
    return queryset.filter(ends_at__gte=timezone.now())


def in_local_range(queryset: QuerySet[Meeting], first: dt.date, after_last: dt.date) -> QuerySet[Meeting]:
    """Meetings starting on a day from ``first`` to before ``after_last``, days in the portal's time zone."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min), tz)
    end = timezone.make_aware(dt.datetime.combine(after_last, dt.time.min), tz)
    return queryset.filter(starts_at__gte=start, starts_at__lt=end)


def meeting_for_page(pk: int, user: Any = None) -> Meeting:
    """The meeting with its confirmed registrations counted and the seats left (None: no limit).

    The count is a subquery rather than a join with GROUP BY: grouping by every column of
    the meeting, its project and community made the statement slow to build and to run.
    For a signed-in ``user``, ``own_registration_id`` is the id of their confirmed or
    waitlisted registration (None: none), so the page asks no more for most visitors.
    """
    confirmed = (
        Registration.objects.filter(meeting=OuterRef("pk"), status=Registration.Status.CONFIRMED)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = Meeting.objects.select_related("project", "community", "community__project").annotate(
        confirmed_count=Coalesce(Subquery(confirmed, output_field=IntegerField()), 0)
    )
    if getattr(user, "is_authenticated", False):
        own = Registration.objects.filter(meeting=OuterRef("pk"), user=user, status__in=Registration.ACTIVE)
        queryset = queryset.annotate(own_registration_id=Subquery(own.order_by("pk").values("pk")[:1]))
    meeting = queryset.get(pk=pk)
    meeting.seats_left = None if meeting.capacity is None else max(meeting.capacity - meeting.confirmed_count, 0)
    return meeting


def public_updates(limit: int = 20) -> QuerySet[Update]:
    """The latest public updates of public projects, for the feeds."""
    return (
        Update.objects.filter(is_public=True, project__is_public=True)
        .select_related("project")
        .order_by("-published_on", "-id")[:limit]
    )


def with_seats_left(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """``confirmed_count`` and ``seats_left`` (None: no limit) on each meeting, as meeting_for_page counts them."""
    confirmed = Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED))
    return queryset.annotate(
        confirmed_count=confirmed,
        seats_left=Case(
            When(capacity__isnull=True, then=Value(None)),
            default=Greatest(F("capacity") - confirmed, Value(0)),
            output_field=IntegerField(),
        ),
    )
