"""Reads of invitations, with the rows their pages show fetched up front."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.crypto import constant_time_compare

from events.models import Community
from partners.models import Organisation
from portal.models import Invitation, User
from projects.models import Project

from .tokens import read_token


def invitation_for_token(*, token: str) -> Invitation | None:
    """The invitation a link names, or None when the link was signed by us but names no
    current invitation (deleted row, or a nonce that no longer matches).

    Raises tokens.InvalidToken for a token we did not sign.
    """
    claims = read_token(token)
    invitation = (
        Invitation.objects.select_related("project", "community__project", "organisation", "invited_by")
        .filter(pk=claims.invitation_id)
        .first()
    )
    if invitation is None or not constant_time_compare(invitation.nonce, claims.nonce):
        return None
    return invitation


def invitation_with_target(*, pk: int) -> Invitation | None:
    return Invitation.objects.select_related("project", "community__project").filter(pk=pk).first()


def _listed(queryset: QuerySet[Invitation]) -> QuerySet[Invitation]:
    return queryset.select_related("organisation", "invited_by", "accepted_by", "revoked_by").order_by(
        "-created_at", "-id"
    )


def project_invitations(*, project: Project) -> QuerySet[Invitation]:
    return _listed(Invitation.objects.filter(project=project))


def community_invitations(*, community: Community) -> QuerySet[Invitation]:
    return _listed(Invitation.objects.filter(community=community))


def project_organisations(*, project: Project) -> QuerySet[Organisation]:
    """The organisations partner staff may be invited for: the project's consortium."""
    return Organisation.objects.filter(participations__project=project).distinct().order_by("name")


def user_for_email(*, email: str) -> User | None:
    """The account with this address, whatever its case (addresses are unique case-insensitively)."""
    return get_user_model().objects.filter(email__iexact=email.strip()).first()
