"""Writes to attendance: marking a confirmed registration as attended, and undoing it.

A check-in is evidence for the funder (who was there), so it records who marked it and
when. Coordinators check people in from the attendance page or by scanning a QR code,
often two at once at the same door; the row lock makes a double scan or a double click
harmless: the second call finds the work done and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.changes import snapshot, update_record

from ..models import Meeting, Registration
from ..permissions import can_check_in


@dataclass(frozen=True)
class CheckIn:
    """The registration after the call, and whether this call changed it."""

    registration: Registration
    changed: bool


def registration_check_in(*, registration: Registration, actor: Any, attended: bool = True) -> CheckIn:
    """Mark ``registration`` as attended (``attended=False``: take the mark back).

    Idempotent: checking in someone who is checked in, or undoing a check-in that is not
    there, changes nothing and says so (``changed=False``); the first check-in's time and
    author are kept. Raises PermissionDenied unless the actor coordinates the meeting's
    project, ValidationError for a registration that is not confirmed or a meeting that
    was cancelled, and Registration.DoesNotExist if the registration is gone.
    """
    with transaction.atomic():
        # of=("self",): lock the registration only, not the meeting and project read with it.
        locked = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("meeting", "meeting__project", "user")
            .get(pk=registration.pk)
        )
        if not can_check_in(actor, locked.meeting):
            raise PermissionDenied
        fields = ["checked_in_at", "checked_in_by"]
        before = snapshot(locked, fields=fields)
        scope = {"meeting_id": locked.meeting_id}
        if not attended:
            if locked.checked_in_at is None:
                return CheckIn(registration=locked, changed=False)
            locked.checked_in_at, locked.checked_in_by = None, None
            locked.save(update_fields=fields)
            update_record(
                actor=actor, instance=locked, before=before, project_id=locked.meeting.project_id, scope=scope
            )
            return CheckIn(registration=locked, changed=True)
        if locked.checked_in_at is not None:
            return CheckIn(registration=locked, changed=False)
        if locked.status != Registration.Status.CONFIRMED:
            # The database refuses it too (registration_only_confirmed_check_in); saying so
            # here gives the coordinator a sentence instead of an IntegrityError.
            raise ValidationError(
                _("Only a confirmed registration can be checked in. This one is: %(status)s.")
                % {"status": locked.get_status_display()},
                code="not_confirmed",
            )
        if locked.meeting.status == Meeting.Status.CANCELLED:
            raise ValidationError(_("The meeting was cancelled; nobody can be checked in."), code="cancelled")
        locked.checked_in_at, locked.checked_in_by = timezone.now(), actor
        locked.save(update_fields=fields)
        update_record(actor=actor, instance=locked, before=before, project_id=locked.meeting.project_id, scope=scope)
    return CheckIn(registration=locked, changed=True)
