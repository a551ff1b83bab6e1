"""Writes to meetings: scheduling and changing them.

Each function re-checks the permission it needs (events/permissions.py) and validates
with the model's own rules first (projects/validation.py): bad input comes back as a
ValidationError naming the field, never as an IntegrityError or a half-written row.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from projects.validation import save_validated, values_of

from ..models import Community, Meeting
from ..permissions import can_create_meeting, can_manage_meeting

# The form field each database rule is about, so its message appears next to that field.
MEETING_CONSTRAINT_FIELDS = {
    "meeting_end_after_start": "ends_at",
    "meeting_capacity_positive": "capacity",
    "meeting_registration_window_ordered": "registration_closes_at",
    "meeting_unique_title_start": "title",
    "meeting_kind_valid": "kind",
    "meeting_format_valid": "format",
    "meeting_audience_valid": "audience",
    "meeting_status_valid": "status",
}


# --- Meetings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingDetails:
    """A meeting as its organisers describe it; times are aware datetimes."""

    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str
    format: str
    audience: str
    language: str
    community: Community | None = None
    description: str = ""
    description_de: str = ""
    agenda: str = ""
    venue: str = ""
    address: str = ""
    city: str = ""
    country: str = ""
    online_link: str = ""
    capacity: int | None = None
    registration_opens_at: dt.datetime | None = None
    registration_closes_at: dt.datetime | None = None
    status: str = Meeting.Status.SCHEDULED


def meeting_create(*, project: Project, actor: Any, details: MeetingDetails) -> Meeting:
    """Schedule a meeting of the project. Coordinators only.

    Raises PermissionDenied, or ValidationError (ends before it starts, capacity below 1,
    a community of another project, the same title at the same time, …).
    """
    if not can_create_meeting(actor, project):
        raise PermissionDenied
    meeting = Meeting(project=project, **values_of(details))
    save_validated(meeting, constraint_fields=MEETING_CONSTRAINT_FIELDS)
    return meeting


def meeting_update(*, meeting: Meeting, actor: Any, details: MeetingDetails) -> Meeting:
    """Change a meeting: its coordinators, or the facilitators of its community.

    A facilitator may not move the meeting out of the communities they run, so the
    permission is asked again of the changed meeting. Returns the saved meeting; the
    object passed in is left as it was.
    """
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied
    changed = copy.copy(meeting)
    for name, value in values_of(details).items():
        setattr(changed, name, value)
    if not can_manage_meeting(actor, changed):
        raise ValidationError({"community": _("You can only choose a community you facilitate.")})
    save_validated(changed, constraint_fields=MEETING_CONSTRAINT_FIELDS)
    return changed
