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

from django.http import Http404
from django.utils import timezone
from django.views.generic import ListView, TemplateView

from audit.models import AccessKind
from audit.services import personal_data_access_record
from events.models import Meeting
from events.permissions import (
    can_check_in,
    can_view_community,
    can_view_community_statistics,
    can_view_meeting,
    can_view_members,
    can_view_online_link,
)
from portal.access import object_or_404
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
        upcoming, past = selectors.community_meetings(user, community)
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


class MeetingListView(CachedForAnonymousMixin, MeetingFilterMixin, ListView):
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
        by_day: dict[dt.date, list[Meeting]] = {}
        for meeting in selectors.in_local_range(filterset.qs, first, after_last):
            # The day as people in Berlin read it: 23:30 UTC on the 5th is the 6th here.
            by_day.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
        weeks = [
            [{"date": day, "in_month": day.month == month, "meetings": by_day.get(day, [])} for day in week]
            for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
        ]
        previous, following = _add_months(first, -1), after_last
        return super().get_context_data(
            **kwargs,
            filter=filterset,
            month_start=first,
            weeks=weeks,
            weekdays=[cell["date"] for cell in weeks[0]],
            previous=previous if previous.year >= FIRST_YEAR else None,
            following=following if following.year <= LAST_YEAR else None,
            meeting_count=sum(len(day) for day in by_day.values()),
            today=timezone.localdate(),
        )


class MeetingView(TemplateView):
    template_name = "calendar/meeting.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        meeting = object_or_404(
            self.request, lambda: selectors.meeting_for_page(self.kwargs["pk"]), visible=can_view_meeting
        )
        return super().get_context_data(
            **kwargs,
            meeting=meeting,
            project=meeting.project,
            show_online_link=can_view_online_link(user, meeting),
            # The attendance page (check-in, sheet, exports): the project's coordinators.
            can_check_in=can_check_in(user, meeting),
            # Shown twice only when the place keeps another clock than the portal.
            show_own_timezone=_known_zone(meeting.timezone)
            and meeting.timezone != timezone.get_current_timezone_name(),
            # Register or cancel, and the participant list (templates/registrations/_meeting_panel.html).
            **meeting_panel(user, meeting),
        )


def _known_zone(name: str) -> bool:
    # Rows saved without full_clean() may hold a bad name; the page then shows Berlin time only.
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
