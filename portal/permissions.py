"""Who may manage people, their accounts, invitations and API tokens.

Invitation rules are composed from the projects' and events' rules: nothing is decided
here that projects/permissions.py or events/permissions.py do not already decide for
the invitation's target; this module says which of their functions applies.
"""

from __future__ import annotations

from typing import Any

from events.models import Membership
from events.permissions import can_appoint_facilitator, can_invite_to_community
from portal.api import scopes
from projects.models import Project
from projects.permissions import (
    Role,
    can_grant_role,
    can_manage_any_project,
    can_manage_project,
    can_manage_roles,
    is_platform_admin,
    project_ids_with_role,
)

from .models import ApiToken, Invitation


def can_use_admin(user: Any) -> bool:
    """The back office at /admin: staff accounts (coordinators and the platform admin)."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_staff", False))


def can_manage_users(user: Any) -> bool:
    """Accounts and their privileges (staff, superuser, groups): the platform admin only."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def can_change_user(user: Any, target: Any) -> bool:
    return can_manage_users(user)


def can_manage_invitation(user: Any, invitation: Invitation) -> bool:
    """See and revoke it as someone responsible for the target."""
    if invitation.project_id:
        return can_manage_roles(user, invitation.project_id)
    return can_invite_to_community(user, invitation.community)


def can_revoke_invitation(user: Any, invitation: Invitation) -> bool:
    """The inviter may take back their own invitation even after losing the role to send it."""
    inviter = invitation.invited_by_id is not None and invitation.invited_by_id == getattr(user, "pk", None)
    return bool(getattr(user, "is_active", False)) and (inviter or can_manage_invitation(user, invitation))


def inviter_may_still_grant(invitation: Invitation, invitee: Any) -> bool:
    """The invitation carries its inviter's authority, so it holds only while that
    authority does: an inviter who left the project, or was removed as facilitator,
    can no longer let people in, and nobody grants a role to themselves."""
    inviter = invitation.invited_by
    if inviter is None:
        return False
    if invitation.project_id:
        return can_grant_role(inviter, invitation.project_id, invitee)
    if invitation.community_role == Membership.Role.FACILITATOR:
        return can_appoint_facilitator(inviter, invitation.community)
    return can_invite_to_community(inviter, invitation.community)


def can_view_personal_data_access(user: Any, project: Project) -> bool:
    """Who viewed the personal data of the project's people (audit.models.PersonalDataAccess):
    the project's coordinators, who answer for it; the platform admin for every project."""
    return can_manage_project(user, project.pk)


# --- Personal API tokens (portal/accounts/api_tokens.py) ------------------------------------


def api_token_scopes_allowed(user: Any) -> list[str]:
    """The scopes a new token of ``user`` may carry: what their roles let them do now.

    Reading is everybody's; registering too, as public meetings take anybody signed in (which
    meetings exactly is still can_register_for_meeting's answer, per request). Managing for
    coordinators, reports for funder officers (and the platform admin, who may do both).
    A token keeps its scopes when a role ends, but gains nothing by it: every request is
    checked against the owner's roles of that moment.
    """
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return []
    allowed = [scopes.READ, scopes.REGISTER]
    if can_manage_any_project(user):
        allowed.append(scopes.MANAGE)
    if is_platform_admin(user) or project_ids_with_role(user, Role.FUNDER_OFFICER):
        allowed.append(scopes.REPORTS)
    return allowed


def can_revoke_api_token(user: Any, token: ApiToken) -> bool:
    """The owner (signed in through the browser), or the platform admin for a leaked key."""
    own = token.owner_id == getattr(user, "pk", None) and bool(getattr(user, "is_active", False))
    return own or can_manage_users(user)
