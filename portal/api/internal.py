"""A project's internal data, as its workspace page shows it, for a programme office's scripts.

The same reads as the page (portal.workspace.selectors) and the same rule about people: the
consortium (coordinators, partner staff) reads exact counts; a funder's officer reads counts
of 1 to 4 people as hidden (null), with the secondary suppression of each meeting's sectors
(reports/disclosure.py), exactly where the page shows "< 5". Figures only, never a name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from portal.workspace import selectors as workspace
from projects.models import Project
from projects.permissions import can_view_project_internal
from reports.disclosure import people, people_group


def _count(value: int | None, exact: bool) -> int | None:
    if value is None:
        return None
    return int(value) if exact else people(int(value)).shown


def _sectors(rows: list[Any], exact: bool) -> list[dict[str, Any]]:
    columns = ("confirmed", "waitlisted", "attended")
    if exact:
        shown = {column: {i: getattr(row, column) for i, row in enumerate(rows)} for column in columns}
    else:
        # Each column is one group whose total the meeting's row shows (the page's _sector_cells).
        shown = {
            column: {
                i: cell.shown
                for i, cell in people_group({i: getattr(row, column) for i, row in enumerate(rows)}).items()
            }
            for column in columns
        }
    return [
        {"sector": row.sector, "label": str(row.label), **{column: shown[column][i] for column in columns}}
        for i, row in enumerate(rows)
    ]


def project_internal_data(user: Any, project: Project, today: dt.date | None = None) -> dict[str, Any]:
    """Work packages, every deliverable, meetings and communities with their figures (the workspace's body).

    The caller checked can_view_project_figures (the workspace page's permission).
    """
    today = today or timezone.localdate()
    exact = can_view_project_internal(user, project)
    deliverables = list(workspace.project_deliverables(project))
    for deliverable in deliverables:
        deliverable.late = deliverable.is_late_on(today)
    meetings = [
        {
            "meeting": row.meeting,
            "confirmed": _count(row.confirmed, exact),
            "waitlisted": _count(row.waitlisted, exact),
            "attended": _count(row.attended, exact),
            "reported_attendance": _count(row.meeting.reported_attendance, exact),
            "by_sector": _sectors(row.by_sector, exact),
        }
        for row in workspace.meeting_figures(project)
    ]
    communities = [
        {
            "community": community,
            "active_members": _count(community.active_member_count, exact),
            "pending_members": _count(community.pending_member_count, exact),
            "meetings": community.meeting_count,
        }
        for community in workspace.community_figures(project)
    ]
    return {
        "project": project,
        "exact_counts": exact,
        "work_packages": list(workspace.work_packages(project)),
        "deliverables": deliverables,
        "meetings": meetings,
        "communities": communities,
    }
