"""Reads of communities and meetings for the public calendar pages.

Every list starts from events.selectors.visibility (visible_meetings), so what a person sees here
is what the permission functions allow, row for row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from events.models import Community, Meeting, Membership, Registration
from events.selectors.visibility import visible_meetings
from portal import fragments
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
    """The meeting with its seat figures (with_seat_figures: confirmed, seats left, waiting list).

    The same row for every visitor, so it is kept like a fragment (registrations bump the
    activity version, the meeting itself the content version): the page then reads only
    the visitor's own registration (portal/registrations/panels.py). ``user`` is accepted
    for the callers' sake; what the visitor may see is decided by the caller.
    """
    return fragments.cached(
        "meeting-row",
        (pk,),
        lambda: with_seat_figures(Meeting.objects.select_related("project", "community", "community__project")).get(
            pk=pk
        ),
    )


def meeting_for_form(pk: int) -> Meeting:
    """The meeting with its project and community, without figures: what the registration
    form checks before the service locks the row and checks again.

    Kept per CONTENT version only (the meeting's own changes): registrations do not touch
    it, so in a burst of them every POST finds it kept instead of reading it, whichever
    worker served the form (shared: portal/fragments.py).
    """
    return fragments.cached(
        "meeting-form-row",
        (pk,),
        lambda: Meeting.objects.select_related("project", "community").get(pk=pk),
        counted=False,
        shared=True,
    )


def public_updates(limit: int = 20) -> QuerySet[Update]:
    """The latest public updates of public projects, for the feeds."""
    return (
        Update.objects.filter(is_public=True, project__is_public=True)
        .select_related("project")
        .order_by("-published_on", "-id")[:limit]
    )


def _registrations_with(status: str) -> Coalesce:
    # A subquery per figure: no join with GROUP BY over every column of the meeting, its
    # project and community (slow to build and to run).
    counted = (
        Registration.objects.filter(meeting=OuterRef("pk"), status=status)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_seat_figures(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """The seat figures of meetings, the one way every page, feed, file and API counts them:
    confirmed registrations, seats left, waiting list.

    Seats left as on the page: capacity minus confirmed registrations, never below 0, None
    when there is no limit. Figures only, never who registered.
    """
    queryset = queryset.annotate(
        confirmed_count=_registrations_with(Registration.Status.CONFIRMED),
        waitlist_count=_registrations_with(Registration.Status.WAITLISTED),
    )
    # Case first: PostgreSQL's GREATEST skips NULLs, so no limit would read as 0 seats.
    return queryset.annotate(
        seats_left=Case(
            When(capacity__isnull=True, then=Value(None)),
            default=Greatest(F("capacity") - F("confirmed_count"), Value(0)),
            output_field=IntegerField(),
        )
    )
