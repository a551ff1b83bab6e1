"""Calendar pages: communities, the meeting list and month grid, and one meeting.

Views parse the request, ask the permission functions and call a selector. Pages about
one object answer 404 to people who may not see it, so a URL does not reveal whether a
members-only community or meeting exists.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.generic import ListView, TemplateView

from audit.models import AccessKind
from audit.services import personal_data_access_record
from events.models import Meeting, Registration
from events.permissions import (
    can_check_in,
    can_view_community,
    can_view_community_statistics,
    can_view_meeting,
    can_view_members,
    can_view_online_link,
    can_view_online_link_with_seat,
)
from portal.access import object_or_404
from portal.lazy_pages import LazyPaginationMixin
from portal.page_cache import CachedForAnonymousMixin
from portal.registrations.panels import community_panel, meeting_panel

from . import selectors
from .filters import MeetingFilter

# The month grid accepts any month a calendar may sensibly show; beyond, date arithmetic breaks.
FIRST_YEAR, LAST_YEAR = 1900, 2999


class CommunityView(TemplateView):
    template_name = "calendar/community.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        community = object_or_404(
            self.request, lambda: selectors.community_for_page(self.kwargs["slug"]), visible=can_view_community
        )
        show_members = can_view_members(user, community)
        members = list(selectors.community_members(community)) if show_members else []
        if show_members:
            personal_data_access_record(
                viewer=user,
                kind=AccessKind.COMMUNITY_MEMBERS,
                project_id=community.project_id,
                community_id=community.pk,
                people=len(members),
            )
        # Read only when the meetings' fragment is rendered (templates/calendar/community.html).
        meetings = SimpleLazyObject(lambda: selectors.community_meetings(user, community))
        upcoming, past = SimpleLazyObject(lambda: meetings[0]), SimpleLazyObject(lambda: meetings[1])
        return super().get_context_data(
            **kwargs,
            community=community,
            project=community.project,
            show_members=show_members,
            can_view_statistics=can_view_community_statistics(user, community),
            members=members,
            upcoming=upcoming,
            past=past,
            # Join or leave (templates/registrations/_community_panel.html).
            **community_panel(user, community),
        )


class MeetingFilterMixin:
    request: Any

    def get_filterset(self) -> MeetingFilter:
        return MeetingFilter(
            self.request.GET or None,
            queryset=selectors.calendar_meetings(self.request.user),
            request=self.request,
        )


class MeetingListView(CachedForAnonymousMixin, LazyPaginationMixin, MeetingFilterMixin, ListView):
    # The rows and their count are read inside the list's fragment only (portal/lazy_pages.py).
    template_name = "calendar/list.html"
    context_object_name = "meetings"
    paginate_by = 30

    def get_queryset(self):
        self.filterset = self.get_filterset()
        queryset = self.filterset.qs
        # Without a date range the calendar shows what is still to come.
        return queryset if self.filterset.has_date_range() else selectors.upcoming(queryset)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        return super().get_context_data(
            **kwargs, filter=self.filterset, showing_upcoming=not self.filterset.has_date_range(), today=today
        )


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class MonthView(CachedForAnonymousMixin, MeetingFilterMixin, TemplateView):
    template_name = "calendar/month.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        year, month = self.kwargs["year"], self.kwargs["month"]
        if not (1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR):
            raise Http404
        first = dt.date(year, month, 1)
        after_last = _add_months(first, 1)
        filterset = self.get_filterset()
        days = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
        # The meetings are read when the grid's fragment is rendered, not on a fragment hit.
        grid = SimpleLazyObject(lambda: _month_grid(filterset.qs, days, first, after_last))
        previous, following = _add_months(first, -1), after_last
        return super().get_context_data(
            **kwargs,
            filter=filterset,
            month_start=first,
            grid=grid,
            weeks=SimpleLazyObject(lambda: grid["weeks"]),
            weekdays=days[0],
            previous=previous if previous.year >= FIRST_YEAR else None,
            following=following if following.year <= LAST_YEAR else None,
            today=timezone.localdate(),
        )


def _month_grid(
    meetings: QuerySet[Meeting], days: list[list[dt.date]], first: dt.date, after_last: dt.date
) -> dict[str, Any]:
    by_day: dict[dt.date, list[Meeting]] = {}
    for meeting in selectors.in_local_range(meetings, first, after_last):
        # The day as people in Berlin read it: 23:30 UTC on the 5th is the 6th here.
        by_day.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
    return {
        "weeks": [
            [{"date": day, "in_month": day.month == first.month, "meetings": by_day.get(day, [])} for day in week]
            for week in days
        ],
        "meeting_count": sum(len(day) for day in by_day.values()),
    }


class MeetingView(TemplateView):
    template_name = "calendar/meeting.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        meeting = object_or_404(
            self.request, lambda: selectors.meeting_for_page(self.kwargs["pk"], user), visible=can_view_meeting
        )
        # Register or cancel, and the participant list (templates/registrations/_meeting_panel.html):
        # personal, rendered around the page's fragments.
        panel = meeting_panel(user, meeting)
        mine = panel.get("my_registration")
        return super().get_context_data(
            **kwargs,
            meeting=meeting,
            project=meeting.project,
            # Personal (a confirmed seat shows it): the fragment holding it varies by it.
            show_online_link=can_view_online_link_with_seat(user, meeting)
            if mine is not None and mine.status == Registration.Status.CONFIRMED
            else can_view_online_link(user, meeting),
            # The attendance page (check-in, sheet, exports): the project's coordinators.
            can_check_in=can_check_in(user, meeting),
            # Shown twice only when the place keeps another clock than the portal.
            show_own_timezone=_known_zone(meeting.timezone)
            and meeting.timezone != timezone.get_current_timezone_name(),
            **panel,
        )


def _known_zone(name: str) -> bool:
    # Rows saved without full_clean() may hold a bad name; the page then shows Berlin time only.
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
