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


def _entries_context(
    request: HttpRequest,
    project: Project,
    *,
    meeting_id: int | None,
    meetings: dict[int, Meeting],
    communities: dict[int, Community],
) -> dict[str, Any]:
    """The page of entries, with the names of their meetings and communities.

    The audit app knows ids only: ``meetings`` and ``communities`` are this project's own
    rows, loaded by the caller, so an id can never show another project's meeting, and the
    page costs the same queries for 1 entry as for 50.
    """
    page = Paginator(project_accesses(project.pk, meeting_id=meeting_id), PAGE_SIZE).get_page(request.GET.get("page"))
    entries: list[PersonalDataAccess] = list(page.object_list)
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
        # The meetings that have entries, latest first: the filter's choices and the names in the table.
        logged = list(
            Meeting.objects.filter(project=project, pk__in=logged_meeting_ids(project.pk)).order_by("-starts_at", "-pk")
        )
        # A project has a handful of communities: all of them, for the members lists' entries.
        communities = {
            community.pk: community for community in Community.objects.filter(project=project).select_related("project")
        }
        return super().get_context_data(
            **kwargs,
            **_entries_context(
                self.request,
                project,
                meeting_id=meeting_id,
                meetings={meeting.pk: meeting for meeting in logged},
                communities=communities,
            ),
            chosen_meeting=meeting_id,
            meeting_choices=logged,
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
        # Every entry of a meeting's log is about this meeting (no community lists).
        context = _entries_context(
            self.request, meeting.project, meeting_id=meeting.pk, meetings={meeting.pk: meeting}, communities={}
        )
        return super().get_context_data(**kwargs, **context, meeting=meeting)
