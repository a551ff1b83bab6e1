"""Writes to projects and their parts. Views parse and check; these functions change rows.

Each function re-checks the permission it needs, so a caller other than a view (a
management command, a task, a future API) cannot skip it by accident. Each validates
the row with the model's own rules first (projects/validation.py), so bad input comes
back as a ValidationError naming the field, never as an IntegrityError or a half-written
row.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.changes import create_record, delete_record, snapshot, update_record
from partners.models import Organisation

from .models import Deliverable, DeliverableStatusChange, Participation, Project, ProjectRole, Update, WorkPackage
from .permissions import (
    can_change_deliverable,
    can_change_update,
    can_create_deliverable,
    can_create_update,
    can_plan_deliverable,
    forget_roles,
)
from .validation import full_clean_on_fields, integrity_error_as_validation_error, save_validated, values_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# What the people who lead a deliverable may change; code, title, dates, lead and
# dissemination level are the grant's facts and stay with the coordinator.
DELIVERABLE_PROGRESS_FIELDS = ("status", "submitted_on", "url", "description", "file")
DELIVERABLE_PLAN_FIELDS = (
    "code",
    "title",
    "title_de",
    "kind",
    "dissemination",
    "due_date",
    "work_package",
    "lead_organisation",
)

# The form field each database rule is about, so its message appears next to that field.
DELIVERABLE_CONSTRAINT_FIELDS = {
    "deliverable_unique_code": "code",
    "deliverable_code_not_empty": "code",
    "deliverable_title_given": "title",
    "deliverable_kind_valid": "kind",
    "deliverable_status_valid": "status",
    "deliverable_dissemination_valid": "dissemination",
    "deliverable_submitted_date_matches_status": "submitted_on",
}
ROLE_CONSTRAINT_FIELDS = {
    "project_role_unique": "user",
    "project_role_valid": "role",
    "project_role_partner_staff_has_organisation": "organisation",
}
UPDATE_CONSTRAINT_FIELDS = {
    "update_unique_title_per_day": "title",
    "update_unique_title_de_per_day": "title_de",
    "update_kind_valid": "kind",
    "update_title_not_empty": "title",
}


# --- Deliverables ---------------------------------------------------------------------


@dataclass(frozen=True)
class DeliverablePlan:
    """What the grant says about a deliverable; the coordinators decide it."""

    code: str
    title: str
    kind: str
    dissemination: str
    due_date: dt.date
    work_package: WorkPackage | None = None
    lead_organisation: Organisation | None = None
    title_de: str = ""


def _check_lead_in_consortium(project: Project, lead: Organisation | None, current_lead_id: int | None) -> None:
    # The model lets any organisation lead; the workspace offers only the consortium, and
    # a lead who has since left the consortium may stay on an older deliverable.
    if lead is None or lead.pk == current_lead_id:
        return
    if not Participation.objects.filter(project=project, organisation=lead).exists():
        raise ValidationError(
            {"lead_organisation": _("The lead organisation must be part of the project's consortium.")}
        )


def deliverable_create(
    *, project: Project, user: AbstractBaseUser, plan: DeliverablePlan, description: str = ""
) -> Deliverable:
    """Add a planned deliverable to the project. Coordinators only.

    Raises PermissionDenied, or ValidationError (e.g. the code is taken in this project,
    the work package belongs to another project).
    """
    if not can_create_deliverable(user, project):
        raise PermissionDenied
    _check_lead_in_consortium(project, plan.lead_organisation, None)
    deliverable = Deliverable(project=project, description=description, **values_of(plan))
    with transaction.atomic():
        save_validated(deliverable, constraint_fields=DELIVERABLE_CONSTRAINT_FIELDS)
        deliverable_status_record(deliverable=deliverable, changed_by=user)
        create_record(actor=user, instance=deliverable, project_id=project.pk)
    return deliverable


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
    plan: DeliverablePlan | None = None,
) -> Deliverable:
    """Record a deliverable's progress and, for coordinators, change its plan.

    ``file`` replaces the current file; ``remove_file`` drops it (a new file wins over
    removal). ``plan`` (code, title, due date, lead, …) may be given only by someone
    who may plan the deliverable. Returns the saved deliverable; the object passed in is
    left as it was, so a form shown again after an error still describes the stored row.
    Raises PermissionDenied for a user who may not make the change and ValidationError
    when the values break a rule of the model, e.g. a submitted deliverable without a
    submission date or a code the project already uses.
    """
    if not can_change_deliverable(user, deliverable):
        raise PermissionDenied
    if plan is not None and not can_plan_deliverable(user, deliverable):
        raise PermissionDenied
    update_fields = [*DELIVERABLE_PROGRESS_FIELDS, "updated_at"]
    changed = copy.copy(deliverable)
    changed.status = status
    changed.submitted_on = submitted_on
    changed.url = url
    changed.description = description
    if file is not None:
        changed.file = file
    elif remove_file:
        changed.file = ""
    if plan is not None:
        _check_lead_in_consortium(deliverable.project, plan.lead_organisation, deliverable.lead_organisation_id)
        for name, value in values_of(plan).items():
            setattr(changed, name, value)
        update_fields += DELIVERABLE_PLAN_FIELDS
    before = snapshot(deliverable, fields=update_fields)
    with transaction.atomic():
        save_validated(changed, constraint_fields=DELIVERABLE_CONSTRAINT_FIELDS, update_fields=update_fields)
        deliverable_status_record(deliverable=changed, changed_by=user)
        update_record(actor=user, instance=changed, before=before, project_id=changed.project_id)
    return changed


def deliverable_status_record(
    *,
    deliverable: Deliverable,
    changed_by: AbstractBaseUser | None = None,
    changed_at: dt.datetime | None = None,
) -> DeliverableStatusChange | None:
    """Add the saved ``deliverable``'s status to its history, if it differs from the last one recorded.

    The one write path of DeliverableStatusChange: every place that saves a deliverable
    (the workspace's services above, the admin, the demo loader) calls it after the save.
    Returns the new row, or None when the status has not changed (before its first row a
    deliverable was planned).

    ``changed_at`` defaults to now. A deliverable handed in is delivered from its
    submission date, not from the day someone recorded it: a submission entered a few days
    late still belongs to the period it happened in. A change never goes before the last
    one recorded, so the history stays in order.
    """
    last_change = deliverable.status_changes.order_by("-changed_at", "-id").values("status", "changed_at").first()
    last = last_change["status"] if last_change else Deliverable.Status.PLANNED
    if last == deliverable.status:
        return None
    changed_at = changed_at or timezone.now()
    if deliverable.is_delivered and last not in Deliverable.DELIVERED and deliverable.submitted_on:
        submitted_at = dt.datetime.combine(
            deliverable.submitted_on, dt.time.min, tzinfo=timezone.get_default_timezone()
        )
        changed_at = min(changed_at, submitted_at)
    if last_change:
        changed_at = max(changed_at, last_change["changed_at"])
    return DeliverableStatusChange.objects.create(
        deliverable=deliverable, status=deliverable.status, changed_at=changed_at, changed_by=changed_by
    )


# --- Updates (news and press mentions) -------------------------------------------------


@dataclass(frozen=True)
class UpdateDetails:
    """A news item or press mention as the coordinator writes it, in one or both languages."""

    kind: str
    published_on: dt.date
    title: str = ""
    title_de: str = ""
    body: str = ""
    body_de: str = ""
    link: str = ""
    source: str = ""
    is_public: bool = True


def update_create(*, project: Project, user: AbstractBaseUser, details: UpdateDetails) -> Update:
    """Publish a news item or press mention of the project. Coordinators only.

    Raises PermissionDenied, or ValidationError (no title in either language, the same
    title on the same day).
    """
    if not can_create_update(user, project):
        raise PermissionDenied
    update = Update(project=project, **values_of(details))
    with transaction.atomic():
        save_validated(update, constraint_fields=UPDATE_CONSTRAINT_FIELDS)
        create_record(actor=user, instance=update, project_id=project.pk)
    return update


def update_update(*, update: Update, user: AbstractBaseUser, details: UpdateDetails) -> Update:
    """Change a news item or press mention. Coordinators only; the update stays in its project.

    Returns the saved update; the object passed in is left as it was.
    """
    if not can_change_update(user, update):
        raise PermissionDenied
    changed = copy.copy(update)
    for name, value in values_of(details).items():
        setattr(changed, name, value)
    before = snapshot(update)
    with transaction.atomic():
        save_validated(changed, constraint_fields=UPDATE_CONSTRAINT_FIELDS)
        update_record(actor=user, instance=changed, before=before, project_id=changed.project_id)
    return changed


# --- Project roles -------------------------------------------------------------------------
#
# The one write path for ProjectRole rows: nothing else in the code base creates, changes or
# deletes them (tests/portal/test_architecture.py checks it), so what is recorded about a
# grant or a revocation is recorded here. Unlike the functions above these check no
# permission: their callers decided it already — the admin with can_grant_role and
# can_revoke_role, an invitation when it was made (portal/invitations), the demo data
# and the dataset for nobody.


def project_role_grant(
    *,
    project: Project,
    user: Any,
    role: str,
    granted_by: Any | None,
    organisation: Organisation | None = None,
) -> ProjectRole:
    """Give ``user`` the ``role`` in ``project``; partner staff name their ``organisation``.

    Idempotent: a role the person holds already is returned as it is (its organisation and
    granter stay), also when a second grant of the same role runs at the same moment.
    Raises ValidationError when the values break a rule of the model (partner staff
    without an organisation, or of an organisation outside the consortium).
    """
    held = ProjectRole.objects.filter(project=project, user=user, role=role).first()
    if held is not None:
        return held
    grant = ProjectRole(project=project, user=user, role=role, organisation=organisation, granted_by=granted_by)
    full_clean_on_fields(grant, constraint_fields=ROLE_CONSTRAINT_FIELDS)
    try:
        with transaction.atomic():
            grant.save(force_insert=True)
            create_record(actor=granted_by, instance=grant, project_id=project.pk)
    except IntegrityError as error:
        # The same grant won a race between the check above and the insert.
        held = ProjectRole.objects.filter(project=project, user=user, role=role).first()
        if held is None:
            raise integrity_error_as_validation_error(
                error, ProjectRole, constraint_fields=ROLE_CONSTRAINT_FIELDS
            ) from error
        return held
    forget_roles(user)
    return grant


def project_role_change(
    *,
    project_role: ProjectRole,
    project: Project,
    user: Any,
    role: str,
    organisation: Organisation | None,
    changed_by: Any | None,
) -> ProjectRole:
    """Make an existing role row say something else (the admin's change form, the demo data).

    Changing a role is revoking one and granting another, so ``changed_by`` becomes its
    granter. Returns the saved row; the object passed in is left as it was. Raises
    ValidationError as project_role_grant does, and when the new values are a role the
    person already holds.
    """
    changed = copy.copy(project_role)
    changed.project, changed.user, changed.role = project, user, role
    changed.organisation, changed.granted_by = organisation, changed_by
    fields = ["project", "user", "role", "organisation", "granted_by"]
    # The caller's object may carry the new values already (the admin's form): the old ones
    # come from the database.
    stored = ProjectRole.objects.filter(pk=project_role.pk).first()
    before = snapshot(stored, fields=fields) if stored is not None else {}
    with transaction.atomic():
        save_validated(changed, constraint_fields=ROLE_CONSTRAINT_FIELDS, update_fields=fields)
        update_record(actor=changed_by, instance=changed, before=before, project_id=changed.project_id)
    forget_roles(user)
    return changed


def project_role_revoke(*, project_role: ProjectRole, revoked_by: Any | None) -> bool:
    """Take the role away. Idempotent: False when it was gone already.

    ``revoked_by`` is who took it away; the change log records it with the role's last values.
    """
    before = snapshot(project_role)
    with transaction.atomic():
        deleted, _per_model = ProjectRole.objects.filter(pk=project_role.pk).delete()
        if deleted:
            delete_record(actor=revoked_by, instance=project_role, before=before, project_id=project_role.project_id)
    if ProjectRole.user.is_cached(project_role):
        # Only a user object already at hand can hold cached roles; loading one would not.
        forget_roles(project_role.user)
    return bool(deleted)


@dataclass(frozen=True)
class RoleGrant:
    """One role for project_roles_bulk_create."""

    project: Project
    user: Any
    role: str
    organisation: Organisation | None = None
    granted_by: Any | None = None


def project_roles_bulk_create(*, grants: Sequence[RoleGrant], batch_size: int = 5000) -> list[ProjectRole]:
    """Insert many roles at once, unchecked: the path of the generated load-test dataset.

    portal/dataset/builder.py builds tens of thousands of rows and lets the database's
    constraints alone decide what is valid; no model validation, no caches to forget, and no
    change log: generated rows were changed by nobody. Nothing else should call this.
    """
    rows = [ProjectRole(**values_of(grant)) for grant in grants]
    return ProjectRole.objects.bulk_create(rows, batch_size=batch_size)
