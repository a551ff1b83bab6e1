"""Writes to memberships: requests to join, decisions on them, leaving, admissions.

The one write path for Membership rows: nothing outside events/ creates, changes or
deletes them (tests/portal/test_architecture.py checks it), so what is recorded about
a person joining or leaving a community is recorded here. The change log (audit/changes.py)
records what others decide: approvals and rejections, admissions, the admin's records and
removals; a person's own request to join or leaving is on the row itself.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.changes import create_record, delete_record, snapshot, update_record
from outbox.services import message_enqueue
from projects.validation import save_validated, values_of

from ..membership_notices import NOTICE_TASK, community_has_approver
from ..models import Community, Membership
from ..permissions import can_decide_membership, can_view_community, forget_memberships

# --- Membership requests -------------------------------------------------------------------


@dataclass(frozen=True)
class MembershipDecision:
    """The membership after a decision, and whether this call made it (False: decided before)."""

    membership: Membership
    changed: bool


def _decide(*, membership: Membership, actor: Any, approve: bool) -> MembershipDecision:
    with transaction.atomic():
        # The row lock makes two decisions on one request (a double click, two facilitators
        # at once) run one after the other; the second finds it decided and changes nothing.
        # of=("self",): lock the membership only, not the community read along with it.
        locked = Membership.objects.select_for_update(of=("self",)).select_related("community").get(pk=membership.pk)
        if not can_decide_membership(actor, locked):
            raise PermissionDenied
        if locked.status != Membership.Status.PENDING:
            return MembershipDecision(membership=locked, changed=False)
        now = timezone.now()
        before = snapshot(locked)
        if approve:
            locked.status, locked.joined_at = Membership.Status.ACTIVE, now
            update_fields = ["status", "joined_at"]
        else:
            # Declined, never joined (joined_at stays empty). The person may ask again
            # later (membership_join), which reopens this same row as a pending request.
            locked.status = Membership.Status.REJECTED
            update_fields = ["status"]
        # Who decided and when: the evidence of a facilitator's decision.
        locked.decided_at, locked.decided_by = now, actor
        locked.save(update_fields=[*update_fields, "decided_at", "decided_by"])
        update_record(actor=actor, instance=locked, before=before, project_id=locked.community.project_id)
        # The person hears of the decision, if and only if it is recorded.
        message_enqueue(task=NOTICE_TASK, args=[locked.pk, "approved" if approve else "declined"])
    return MembershipDecision(membership=locked, changed=True)


def membership_approve(*, membership: Membership, actor: Any) -> MembershipDecision:
    """Let a person who asked to join into the community.

    Only a pending request changes; approving it again, or approving one that was
    rejected in the meantime, changes nothing and says so (``changed=False``). Raises
    PermissionDenied unless the actor coordinates the project or facilitates the community,
    and Membership.DoesNotExist if the request is gone.
    """
    return _decide(membership=membership, actor=actor, approve=True)


def membership_reject(*, membership: Membership, actor: Any) -> MembershipDecision:
    """Turn down a request to join; the same rules as membership_approve."""
    return _decide(membership=membership, actor=actor, approve=False)


# --- Joining and leaving -------------------------------------------------------------------


def membership_join(*, community: Community, user: Any) -> Membership:
    """Join a community as its policy says.

    Open: an active member at once. Approval: a pending request for a facilitator to
    decide. Invitation: a ValidationError saying an invitation is needed (accepting one
    goes through portal/invitations). There is one row per person and community, so a
    former member, or a person whose request was declined, gets the same row back, as a
    new request: being declined once does not bar a person for good, and the facilitators
    decide again. Raises PermissionDenied for a community the person may not see, and
    ValidationError when they are already a member or already asked.
    """
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        raise PermissionDenied
    if not can_view_community(user, community):
        raise PermissionDenied
    if community.membership_policy == Community.Policy.INVITATION:
        raise ValidationError(
            _("This community admits new members by invitation only. Ask one of its facilitators for an invitation."),
            code="invitation",
        )
    opening = community.membership_policy == Community.Policy.OPEN
    if not opening and not community_has_approver(community):
        # Nobody could ever approve the request: refuse it rather than let it wait for ever.
        raise ValidationError(
            _(
                "This community cannot take requests to join at the moment: nobody may approve them yet. "
                "Please contact the project's coordinators."
            ),
            code="no_approver",
        )
    now = timezone.now()
    values = {
        "status": Membership.Status.ACTIVE if opening else Membership.Status.PENDING,
        "role": Membership.Role.MEMBER,
        "requested_at": now,
        "joined_at": now if opening else None,
        "left_at": None,
        "decided_at": None,
        "decided_by": None,
    }
    try:
        with transaction.atomic():
            # The row lock serialises two clicks of the same person; a first join of two
            # clicks at once meets the unique constraint instead (handled below).
            membership = Membership.objects.select_for_update().filter(community=community, user=user).first()
            if membership is None:
                membership = Membership.objects.create(community=community, user=user, **values)
            elif membership.status == Membership.Status.ACTIVE:
                raise ValidationError(_("You are already a member of this community."), code="member")
            elif membership.status == Membership.Status.PENDING:
                raise ValidationError(
                    _("You have already asked to join; a facilitator will decide soon."), code="pending"
                )
            else:
                for name, value in values.items():
                    setattr(membership, name, value)
                membership.save(update_fields=list(values))
            if not opening:
                # The approvers hear of the request, if and only if it is recorded.
                message_enqueue(task=NOTICE_TASK, args=[membership.pk, "requested"])
    except IntegrityError as error:
        raise ValidationError(_("You have already asked to join this community."), code="pending") from error
    forget_memberships(user)
    return membership


def membership_leave(*, membership: Membership, actor: Any) -> Membership:
    """Leave a community, or withdraw a request to join: the person themselves only.

    Registrations for the community's meetings stay; the people running a members-only
    meeting decide about them. Raises PermissionDenied for anybody else, ValidationError
    when there is nothing to leave.
    """
    if membership.user_id is None or membership.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.status not in (Membership.Status.ACTIVE, Membership.Status.PENDING):
            raise ValidationError(_("You are not a member of this community."), code="not_member")
        locked.status, locked.left_at = Membership.Status.LEFT, timezone.now()
        locked.save(update_fields=["status", "left_at"])
    forget_memberships(actor)
    return locked


# --- Admission, records and removal --------------------------------------------------------
#
# These check no permission: their callers decided it already — an invitation when it
# was made (portal/invitations), the admin with its project scoping, the demo data and
# the dataset for nobody.


def membership_admit(*, community: Community, user: Any, role: str, admitted_by: Any | None) -> Membership:
    """Make ``user`` an active member (or facilitator) of ``community``, e.g. on an accepted invitation.

    A pending request or a former member is let in now, with ``role``; an active member
    stays one, and is raised to facilitator when ``role`` says so but never lowered to
    member. Idempotent: admitting an active member again changes nothing. ``admitted_by``
    is who let them in (the inviter); the change log records it.
    """
    now = timezone.now()
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            community=community,
            user=user,
            defaults={"role": role, "status": Membership.Status.ACTIVE, "requested_at": now, "joined_at": now},
        )
        if created:
            create_record(actor=admitted_by, instance=membership, project_id=community.project_id)
        else:
            before = snapshot(membership)
            if membership.status != Membership.Status.ACTIVE:
                membership.status = Membership.Status.ACTIVE
                membership.joined_at = now
                membership.left_at = None
                membership.role = role
                membership.save(update_fields=["status", "joined_at", "left_at", "role"])
            elif role == Membership.Role.FACILITATOR and membership.role != role:
                membership.role = Membership.Role.FACILITATOR
                membership.save(update_fields=["role"])
            update_record(actor=admitted_by, instance=membership, before=before, project_id=community.project_id)
    forget_memberships(user)
    return membership


@dataclass(frozen=True)
class MembershipRecord:
    """A membership as somebody states it: an administrator in the admin, the demo or generated data."""

    community: Community
    user: Any
    role: str
    status: str
    requested_at: dt.datetime
    joined_at: dt.datetime | None = None
    left_at: dt.datetime | None = None


def membership_record(
    *, record: MembershipRecord, recorded_by: Any | None, membership: Membership | None = None
) -> Membership:
    """Write a membership as stated: a new row, or ``membership`` changed to say ``record``.

    For the admin and the demo data, which set status and dates by hand; people joining,
    leaving and being decided on go through the functions above. Returns the saved row
    (the object passed in is left as it was). Raises ValidationError when the record
    breaks a rule of the model, e.g. a second row for the same person and community, or
    an active membership without a joining date. ``recorded_by`` is who stated it; the
    change log records it.
    """
    before = None
    if membership is None:
        row = Membership(**values_of(record))
        update_fields = None
    else:
        row = copy.copy(membership)
        for name, value in values_of(record).items():
            setattr(row, name, value)
        update_fields = list(values_of(record))
        # The caller's object may carry the new values already (the admin's form).
        stored = Membership.objects.filter(pk=membership.pk).first()
        before = snapshot(stored) if stored is not None else {}
    with transaction.atomic():
        save_validated(row, constraint_fields={"membership_unique_user": "user"}, update_fields=update_fields)
        project_id = record.community.project_id
        if before is None:
            create_record(actor=recorded_by, instance=row, project_id=project_id)
        else:
            update_record(actor=recorded_by, instance=row, before=before, project_id=project_id)
    forget_memberships(record.user)
    return row


def membership_remove(*, membership: Membership, removed_by: Any | None) -> bool:
    """Delete the membership row, as if it had never been (the admin's delete).

    A person who leaves keeps the row (membership_leave): this is for a row recorded by
    mistake. Idempotent: False when it was gone already. ``removed_by`` is who removed
    it; the change log records it with the row's last values.
    """
    before = snapshot(membership)
    with transaction.atomic():
        deleted, _per_model = Membership.objects.filter(pk=membership.pk).delete()
        if deleted:
            delete_record(
                actor=removed_by, instance=membership, before=before, project_id=membership.community.project_id
            )
    if Membership.user.is_cached(membership):
        # Only a user object already at hand can hold cached memberships.
        forget_memberships(membership.user)
    return bool(deleted)


def memberships_bulk_create(*, records: Sequence[MembershipRecord], batch_size: int = 5000) -> list[Membership]:
    """Insert many memberships at once, unchecked: the path of the generated load-test dataset.

    portal/dataset/builder.py builds tens of thousands of rows and lets the database's
    constraints alone decide what is valid; generated rows go to no change log. Nothing
    else should call this.
    """
    rows = [Membership(**values_of(record)) for record in records]
    return Membership.objects.bulk_create(rows, batch_size=batch_size)


# --- Erasure (GDPR Art. 17) -------------------------------------------------------------------


def memberships_end_for_user(*, user: Any, now: dt.datetime | None = None) -> int:
    """End the person's memberships and take them off the rows (their account is being erased).

    A membership that ever began stays, without the person: the community's member counts
    over time read it; an active one ends now. Requests never granted (pending, declined)
    counted nowhere and go. Returns how many rows were kept anonymised.
    """
    now = now or timezone.now()
    with transaction.atomic():
        Membership.objects.filter(user=user, joined_at__isnull=True).delete()
        Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).update(
            status=Membership.Status.LEFT, left_at=now
        )
        kept = Membership.objects.filter(user=user).update(user=None, anonymised_at=now)
    forget_memberships(user)
    return kept
