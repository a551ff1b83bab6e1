"""Writes of invitations: create (and e-mail), send, accept, revoke.

Permission checks are the views' job (portal/permissions.py); these
functions enforce what must hold whoever calls them: one use, expiry, the invitee's
address, one open invitation per address and target.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audit.changes import create_record, snapshot, update_record
from events.branded_mail import branded_message, branding_context, recipient_language, send_once
from events.models import Community, Membership
from events.permissions import can_appoint_facilitator
from events.services.memberships import membership_admit
from outbox.services import message_enqueue
from partners.models import Organisation
from portal.models import Invitation, User
from portal.models.invitations import invitation_days
from projects.models import Project, ProjectRole
from projects.services import project_role_grant

from . import selectors
from .tokens import make_token

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
# The task that e-mails an invitation (portal/invitations/tasks.py), named rather than
# imported: the task module imports this one, and services never import tasks.
SEND_INVITATION_TASK = "portal.invitations.send_invitation"
# The task that tells the inviter their invitation was accepted (same module).
ACCEPTED_NOTICE_TASK = "portal.invitations.send_accepted_notice"


def invitation_project_id(invitation: Invitation) -> int | None:
    """The project an invitation belongs to: its own, or its community's (for the change log)."""
    if invitation.project_id is not None:
        return invitation.project_id
    return invitation.community.project_id if invitation.community_id is not None else None


def _log_update(invitation: Invitation, *, actor: User | None, before: dict) -> None:
    update_record(actor=actor, instance=invitation, before=before, project_id=invitation_project_id(invitation))


class InvitationNotUsable(Exception):
    """The invitation was accepted, revoked or has expired; ``status`` says which."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


class InvitationForAnotherAddress(Exception):
    """The logged-in account's address is not the one invited."""


def normalise_email(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


def invitation_validate_new(
    *,
    email: str,
    project: Project | None = None,
    role: str = "",
    organisation: Organisation | None = None,
    community: Community | None = None,
    community_role: str = "",
) -> None:
    """Refuse an invitation that would change nothing: the person already holds what it offers."""
    user = selectors.user_for_email(email=email)
    if user is None:
        return
    if project is not None and ProjectRole.objects.filter(user=user, project=project, role=role).exists():
        raise ValidationError({"email": _("This person already has this role in the project.")})
    if community is not None:
        membership = Membership.objects.filter(user=user, community=community, status=Membership.Status.ACTIVE).first()
        if membership and (membership.role == Membership.Role.FACILITATOR or community_role == Membership.Role.MEMBER):
            raise ValidationError({"email": _("This person is already an active member of the community.")})


def invitation_create(
    *,
    invited_by: User,
    email: str,
    project: Project | None = None,
    role: str = "",
    organisation: Organisation | None = None,
    community: Community | None = None,
    community_role: str = "",
    language: str | None = None,
    base_url: str | None = None,
) -> Invitation:
    """Create an invitation and e-mail its link once the transaction commits.

    An open invitation for the same address and target is revoked first: inviting again
    sends a fresh link and the old one stops working.
    """
    if (
        community is not None
        and community_role == Membership.Role.FACILITATOR
        and not can_appoint_facilitator(invited_by, community)
    ):
        # Whoever calls: an invitation carries its inviter's authority, and only the
        # project's coordinators make facilitators.
        raise ValidationError(
            _("Only the project's coordinators can make somebody a facilitator."), code="not_appointer"
        )
    email = normalise_email(email)
    invitation_validate_new(
        email=email,
        project=project,
        role=role,
        organisation=organisation,
        community=community,
        community_role=community_role,
    )
    now = timezone.now()
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    invitation = Invitation(
        email=email,
        project=project,
        role=role if project is not None else "",
        organisation=organisation if role == ProjectRole.Role.PARTNER_STAFF else None,
        community=community,
        community_role=community_role if community is not None else "",
        language=language,
        invited_by=invited_by,
        created_at=now,
        expires_at=now + dt.timedelta(days=invitation_days()),
    )
    try:
        with transaction.atomic():
            earlier = Invitation.objects.open().filter(email=email)
            if project is not None:
                earlier = earlier.filter(project=project, role=role)
            else:
                earlier = earlier.filter(community=community)
            earlier.update(revoked_at=now, revoked_by=invited_by)
            invitation.full_clean()
            invitation.save()
            create_record(actor=invited_by, instance=invitation, project_id=invitation_project_id(invitation))
            # In the same transaction: the e-mail goes if and only if the invitation exists.
            message_enqueue(task=SEND_INVITATION_TASK, args=[invitation.pk, base_url or None])
    except IntegrityError as exc:
        # Two people invited the same address to the same target at the same moment.
        raise ValidationError(_("This address was invited a moment ago; please reload the page.")) from exc

    return invitation


def invitation_link(*, invitation: Invitation, base_url: str | None = None) -> str:
    base = base_url or getattr(settings, "PORTAL_BASE_URL", DEFAULT_BASE_URL)
    return urljoin(base, reverse("invitations:accept", kwargs={"token": make_token(invitation)}))


def invitation_email_language(*, invitation: Invitation) -> str:
    """The invitee's own language if they have an account, else the inviter's."""
    user = selectors.user_for_email(email=invitation.email)
    return user.preferred_language if user is not None else invitation.language


def invitation_send(*, invitation_id: int, base_url: str | None = None) -> bool:
    """E-mail the link (text and HTML) once; False when there is nothing (more) to send.

    The row stays locked while the mail goes out, so a task delivered twice at the
    same time sends one e-mail; ``sent_at`` makes a later re-delivery a no-op.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
        if invitation is None or invitation.sent_at is not None or not invitation.is_usable:
            return False
        language = invitation_email_language(invitation=invitation)
        with translation.override(language):
            context = {
                # The frame of every portal e-mail; the profile link only for an existing account.
                **branding_context(selectors.user_for_email(email=invitation.email)),
                "invitation": invitation,
                "target": invitation.target,
                "project": invitation.project or invitation.community.project,
                "role": invitation.offered_role_label,
                "inviter": invitation.invited_by,
                "link": invitation_link(invitation=invitation, base_url=base_url),
                "expires_at": invitation.expires_at,
            }
            subject = " ".join(render_to_string("invitations/email/invitation_subject.txt", context).split())
            message = EmailMultiAlternatives(
                subject=subject,
                body=render_to_string("invitations/email/invitation.txt", context),
                to=[invitation.email],
                reply_to=[invitation.invited_by.email] if invitation.invited_by else None,
                headers={"Content-Language": language},
            )
            html = render_to_string("invitations/email/invitation.html", context)
            message.attach_alternative(html, "text/html")
        message.send()
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True


def invitation_accept(*, invitation_id: int, user: User) -> Invitation:
    """Give ``user`` what the invitation offers and use the invitation up.

    The row is locked first, so of two acceptances at the same time one succeeds and
    the other finds it accepted.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
        if not invitation.is_usable:
            raise InvitationNotUsable(invitation.status)
        if normalise_email(user.email) != invitation.email:
            raise InvitationForAnotherAddress
        now = timezone.now()
        before = snapshot(invitation, fields=["accepted_at", "accepted_by"])
        if invitation.project_id:
            # Granted by the inviter, whose authority the invitation carries: the change log
            # names them as the role's granter, and the invitee as who accepted it below.
            project_role_grant(
                project=invitation.project,
                user=user,
                role=invitation.role,
                organisation=invitation.organisation,
                granted_by=invitation.invited_by,
            )
        else:
            # An invitation never demotes a facilitator to member (membership_admit).
            membership_admit(
                community=invitation.community,
                user=user,
                role=invitation.community_role,
                admitted_by=invitation.invited_by,
            )
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        _log_update(invitation, actor=user, before=before)
        if invitation.invited_by_id:
            # The inviter hears of it, if and only if the acceptance is recorded.
            message_enqueue(task=ACCEPTED_NOTICE_TASK, args=[invitation.pk])
    return invitation


def invitation_accepted_notice_send(*, invitation_id: int) -> int:
    """Tell the inviter that their invitation was accepted; returns how many e-mails went out (0 or 1).

    Sent once per invitation (events/branded_mail.send_once), to an inviter whose account
    is still active.
    """
    invitation = (
        Invitation.objects.select_related("invited_by", "accepted_by", "project", "community__project")
        .filter(pk=invitation_id, accepted_at__isnull=False)
        .first()
    )
    if invitation is None or invitation.invited_by is None:
        return 0
    accepted_by = invitation.accepted_by
    context = {
        "invitation": invitation,
        "target": invitation.target,
        "project": invitation.project or invitation.community.project,
        "person": (accepted_by.get_full_name() or accepted_by.email) if accepted_by else invitation.email,
    }

    def build(recipient: User) -> EmailMultiAlternatives:
        with translation.override(recipient_language(recipient)):
            # The role's label in the inviter's language.
            context["role"] = str(invitation.offered_role_label)
        return branded_message(template="invitations/email/accepted", recipient=recipient, context=context)

    return send_once(key=f"portal:invitation-accepted:{invitation.pk}", recipients=[invitation.invited_by], build=build)


def invitation_revoke(*, invitation_id: int, revoked_by: User) -> Invitation:
    """Stop the link from working. An accepted invitation stays accepted."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
        if invitation.accepted_at or invitation.revoked_at:
            raise InvitationNotUsable(invitation.status)
        before = snapshot(invitation, fields=["revoked_at", "revoked_by"])
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = revoked_by
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        _log_update(invitation, actor=revoked_by, before=before)
    return invitation


def invitations_delete_for_addresses(*, addresses: set[str]) -> int:
    """Delete the invitations sent to these addresses (their person erased the account).

    Invitations the person sent to others stay (``invited_by`` becomes empty). Returns how many went.
    """
    lowered = {normalise_email(address) for address in addresses if address.strip()}
    deleted, _per_model = Invitation.objects.filter(email__in=lowered).delete()
    return deleted
