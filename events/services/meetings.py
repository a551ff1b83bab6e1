"""Writes to meetings: scheduling and changing them.

Each function re-checks the permission it needs (events/permissions.py) and validates
with the model's own rules first (projects/validation.py): bad input comes back as a
ValidationError naming the field, never as an IntegrityError or a half-written row.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.changes import create_record, snapshot, update_record
from outbox.services import message_enqueue
from projects.models import Project
from projects.validation import save_validated, values_of

from ..models import Community, Meeting, Registration
from ..permissions import can_create_meeting, can_manage_meeting
from .reminders import REMINDER_LEAD

# The Celery task that tells everyone registered that the meeting changed (events/tasks.py).
CHANGE_NOTICE_TASK = "events.send_meeting_notices"

# The form field each database rule is about, so its message appears next to that field.
MEETING_CONSTRAINT_FIELDS = {
    "meeting_end_after_start": "ends_at",
    "meeting_capacity_positive": "capacity",
    "meeting_registration_window_ordered": "registration_closes_at",
    "meeting_unique_title_start": "title",
    "meeting_unique_title_de_start": "title_de",
    "meeting_title_given": "title",
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
    title_de: str = ""
    description: str = ""
    description_de: str = ""
    agenda: str = ""
    agenda_de: str = ""
    venue: str = ""
    address: str = ""
    city: str = ""
    country: str = ""
    online_link: str = ""
    capacity: int | None = None
    registration_opens_at: dt.datetime | None = None
    registration_closes_at: dt.datetime | None = None
    status: str = Meeting.Status.SCHEDULED
    waitlist_enabled: bool = True


def meeting_create(*, project: Project, actor: Any, details: MeetingDetails) -> Meeting:
    """Schedule a meeting of the project. Coordinators only.

    Raises PermissionDenied, or ValidationError (ends before it starts, capacity below 1,
    a community of another project, the same title at the same time, …).
    """
    if not can_create_meeting(actor, project):
        raise PermissionDenied
    meeting = Meeting(project=project, **values_of(details))
    with transaction.atomic():
        save_validated(meeting, constraint_fields=MEETING_CONSTRAINT_FIELDS)
        create_record(actor=actor, instance=meeting, project_id=project.pk, scope={"meeting_id": meeting.pk})
    return meeting


def meeting_update(*, meeting: Meeting, actor: Any, details: MeetingDetails) -> Meeting:
    """Change a meeting: its coordinators, or the facilitators of its community.

    A facilitator may not move the meeting out of the communities they run, so the
    permission is asked again of the changed meeting. Returns the saved meeting; the
    object passed in is left as it was.

    A change of time, place, format, online link or status raises ``sequence`` and, once
    committed, e-mails everyone registered (with the updated .ics). More seats go to the
    waiting list at once.
    """
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied
    changed = copy.copy(meeting)
    for name, value in values_of(details).items():
        setattr(changed, name, value)
    if not can_manage_meeting(actor, changed):
        raise ValidationError({"community": _("You can only choose a community you facilitate.")})
    return meeting_save_change(
        meeting=changed,
        save=lambda: save_validated(changed, constraint_fields=MEETING_CONSTRAINT_FIELDS),
        actor=actor,
    )


def meeting_save_change(
    *, meeting: Meeting, save: Callable[[], Any] | None = None, actor: Any | None = None
) -> Meeting:
    """Store a changed meeting with what follows from the change; ``save`` writes the row.

    meeting_update and the admin (which validates with its own form) both come here, so
    SEQUENCE, the change notices and the waiting list behave the same whichever way a
    meeting is edited. With an ``actor`` the change is written to the change log here
    (compared with the locked, stored row); without one the caller logs it (the admin's
    ChangeLoggedAdminMixin does, around ``save``).
    """
    with transaction.atomic():
        # Locked, so two changes at once cannot both raise SEQUENCE from the same value,
        # and the comparison below is against what is stored, not a stale form's copy.
        current = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
        changes = meeting_changes(current, meeting)
        meeting.sequence = current.sequence + 1 if changes else current.sequence
        before = snapshot(current) if actor is not None else None
        if save is None:
            meeting.save()
        else:
            save()
        if before is not None:
            update_record(
                actor=actor,
                instance=meeting,
                before=before,
                project_id=meeting.project_id,
                scope={"meeting_id": meeting.pk},
            )
        if changes:
            _after_notified_change(meeting, changes)
        if _capacity_raised(current, meeting) and meeting.status == Meeting.Status.SCHEDULED:
            _fill_waitlist(meeting)
    return meeting


# What people's calendars and plans depend on, grouped as the change notice names them.
# A change of any of these raises the meeting's SEQUENCE (RFC 5545) and tells everyone
# registered; a new title or agenda does neither.
NOTIFIED_CHANGES: dict[str, tuple[str, ...]] = {
    "time": ("starts_at", "ends_at", "timezone"),
    "place": ("venue", "address", "city", "country"),
    "format": ("format",),
    "online_link": ("online_link",),
    "status": ("status",),
}


def meeting_changes(before: Meeting, after: Meeting) -> list[str]:
    """The NOTIFIED_CHANGES groups in which ``after`` differs from ``before``."""
    return [
        group
        for group, names in NOTIFIED_CHANGES.items()
        if any(getattr(before, name) != getattr(after, name) for name in names)
    ]


def _after_notified_change(after: Meeting, changes: list[str]) -> None:
    if "time" in changes and after.starts_at - timezone.now() > REMINDER_LEAD:
        # Moved out of the reminder window: remind again before the new date. A meeting moved
        # by an hour within the window gets the change notice, not a second reminder.
        Registration.objects.filter(meeting=after, reminder_sent_at__isnull=False).update(reminder_sent_at=None)
    message_enqueue(task=CHANGE_NOTICE_TASK, args=[after.pk, after.sequence, changes])


def _capacity_raised(before: Meeting, after: Meeting) -> bool:
    if after.capacity is None:
        return before.capacity is not None
    return before.capacity is not None and after.capacity > before.capacity


def _fill_waitlist(meeting: Meeting) -> None:
    """New seats go to the people waiting longest (events/services/registrations.py)."""
    from . import registrations  # imported here: it imports this package's siblings

    fill = getattr(registrations, "waitlist_fill", None)
    if fill is not None:
        fill(meeting=meeting)
