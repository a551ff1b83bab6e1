"""Writes to memberships: requests to join, decisions on them, leaving."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ..models import Membership
from ..permissions import can_decide_membership


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
        locked = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("community")
            .get(pk=membership.pk)
        )
        if not can_decide_membership(actor, locked):
            raise PermissionDenied
        if locked.status != Membership.Status.PENDING:
            return MembershipDecision(membership=locked, changed=False)
        now = timezone.now()
        if approve:
            locked.status, locked.joined_at = Membership.Status.ACTIVE, now
            update_fields = ["status", "joined_at"]
        else:
            # The model has no "rejected" status: a refused request is closed as "left"
            # without ever having joined (joined_at stays empty), which keeps the one row
            # per person and community that the unique constraint asks for.
            locked.status, locked.left_at = Membership.Status.LEFT, now
            update_fields = ["status", "left_at"]
        locked.save(update_fields=update_fields)
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
