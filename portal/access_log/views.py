"""Who looked at or downloaded the personal data of a project's people, and when.

Written by the views that show names or needs of others (the attendance pages and files,
registration pages, check-in cards, members and requests lists: audit.services), read here
by the project's coordinators (portal.permissions.can_view_personal_data_access); the
platform admin reads every project's, here and in the admin. Refusals follow
portal/access.py: 404 for people who may not see the project or meeting, 403 for those who
may. The log itself names only the coordinators who read it, so reading it is not logged.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.views.generic import TemplateView

from audit.models import SINGLE_PERSON_KINDS, PersonalDataAccess
from audit.selectors import logged_meeting_ids, project_accesses
from events.models import Community, Meeting
from events.permissions import can_view_meeting
from portal.access import object_or_404, project_or_404
from portal.permissions import can_view_personal_data_access
from projects.models import Project

PAGE_SIZE = 50


def _meeting_filter(request: HttpRequest) -> int | None:
    """The meeting chosen in the filter; anything that is not an id means all meetings."""
    try:
        value = int(request.GET.get("meeting", ""))
    except ValueError:
        return None
    return value if 0 < value < 2**63 else None


def _entries_context(request: HttpRequest, project: Project, meeting_id: int | None) -> dict[str, Any]:
    page = Paginator(project_accesses(project.pk, meeting_id=meeting_id), PAGE_SIZE).get_page(request.GET.get("page"))
    entries: list[PersonalDataAccess] = list(page.object_list)
    # The audit app knows ids only: the names come from this project's own rows (one query
    # each, for the page's rows), so an id can never show another project's meeting.
    meeting_ids = {entry.meeting_id for entry in entries if entry.meeting_id is not None}
    community_ids = {entry.community_id for entry in entries if entry.community_id is not None}
    meetings = Meeting.objects.filter(project=project).in_bulk(meeting_ids) if meeting_ids else {}
    communities = Community.objects.filter(project=project).in_bulk(community_ids) if community_ids else {}
    rows = [
        {
            "entry": entry,
            "meeting": meetings.get(entry.meeting_id),
            "community": communities.get(entry.community_id),
            "single_person": entry.kind in SINGLE_PERSON_KINDS,
        }
        for entry in entries
    ]
    return {"project": project, "page": page, "rows": rows, "retention_days": settings.PORTAL_RETENTION_LOGS_DAYS}


class ProjectAccessLogView(LoginRequiredMixin, TemplateView):
    """The project's log, newest first, 50 a page, filtered by meeting on request."""

    template_name = "access_log/log.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        project = project_or_404(self.request, kwargs["slug"], allowed=can_view_personal_data_access)
        meeting_id = _meeting_filter(self.request)
        return super().get_context_data(
            **kwargs,
            **_entries_context(self.request, project, meeting_id),
            chosen_meeting=meeting_id,
            # The filter offers the meetings that have entries, latest first.
            meeting_choices=list(
                Meeting.objects.filter(project=project, pk__in=logged_meeting_ids(project.pk)).order_by(
                    "-starts_at", "-pk"
                )
            ),
        )


class MeetingAccessLogView(LoginRequiredMixin, TemplateView):
    """One meeting's part of the log: who looked at its list, files and registrations."""

    template_name = "access_log/log.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meeting = object_or_404(
            self.request,
            lambda: Meeting.objects.select_related("project", "community").get(pk=kwargs["pk"]),
            visible=can_view_meeting,
            allowed=lambda user, meeting: can_view_personal_data_access(user, meeting.project),
        )
        return super().get_context_data(
            **kwargs, **_entries_context(self.request, meeting.project, meeting.pk), meeting=meeting
        )
