"""Writes to projects and their parts. Views parse and check; these functions change rows.

Each function re-checks the permission it needs, so a caller other than a view (a
management command, a task, a future API) cannot skip it by accident.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from .models import Deliverable
from .permissions import can_change_deliverable

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# What the people who lead a deliverable may change; code, title, dates, lead and
# dissemination level are the grant's facts and stay with the coordinator's admin.
DELIVERABLE_PROGRESS_FIELDS = ("status", "submitted_on", "url", "description", "file")


def deliverable_update(
    *,
    deliverable: Deliverable,
    user: AbstractBaseUser,
    status: str,
    submitted_on: dt.date | None,
    url: str,
    description: str,
    file: UploadedFile | None = None,
    remove_file: bool = False,
) -> Deliverable:
    """Record a deliverable's progress: status, submission date, link, file and description.

    ``file`` replaces the current file; ``remove_file`` drops it (a new file wins over
    removal). Raises PermissionDenied for a user who may not change the deliverable and
    ValidationError when the values break a rule of the model, e.g. a submitted
    deliverable without a submission date.
    """
    if not can_change_deliverable(user, deliverable):
        raise PermissionDenied
    deliverable.status = status
    deliverable.submitted_on = submitted_on
    deliverable.url = url
    deliverable.description = description
    if file is not None:
        deliverable.file = file
    elif remove_file:
        deliverable.file = ""
    # full_clean runs the model's checks and constraints, so a bad combination comes back
    # as a ValidationError for the caller rather than an IntegrityError from the database.
    deliverable.full_clean()
    with transaction.atomic():
        deliverable.save(update_fields=[*DELIVERABLE_PROGRESS_FIELDS, "updated_at"])
    return deliverable
