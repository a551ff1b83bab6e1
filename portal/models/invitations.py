"""Invitations to a project role or a community, sent to an e-mail address.

The accept link carries a signed token (portal/invitations/tokens.py) naming the row and
its nonce; the row decides whether the link still works (expiry, one use, revocation).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Community, Membership
from partners.models import Organisation
from projects.models import Participation, Project, ProjectRole

__all__ = ["Invitation"]


def invitation_days() -> int:
    return int(getattr(settings, "PORTAL_INVITATION_DAYS", 14))


def default_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=invitation_days())


def new_nonce() -> str:
    # 32 random bytes: the signed token is only as strong as what it names, and the id
    # alone (a small, guessable number) must never be enough to use an invitation.
    return secrets.token_urlsafe(32)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class InvitationQuerySet(models.QuerySet):
    def open(self) -> InvitationQuerySet:
        """Neither accepted nor revoked, whether or not the link has expired yet."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def pending(self, now: dt.datetime | None = None) -> InvitationQuerySet:
        return self.open().filter(expires_at__gt=now or timezone.now())

    def expired(self, now: dt.datetime | None = None) -> InvitationQuerySet:
        return self.open().filter(expires_at__lte=now or timezone.now())

    def accepted(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=False)

    def revoked(self) -> InvitationQuerySet:
        return self.filter(revoked_at__isnull=False)

    def with_status(self, status: str, now: dt.datetime | None = None) -> InvitationQuerySet:
        if status in (InvitationStatus.PENDING, InvitationStatus.EXPIRED):
            return getattr(self, status)(now)
        return getattr(self, status)()


_OPEN = Q(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """One e-mail address invited to one project role or to one community."""

    Status = InvitationStatus

    email = models.EmailField(_("e-mail address"))
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("project"),
    )
    role = models.CharField(_("project role"), max_length=20, choices=ProjectRole.Role.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("For partner staff: the partner organisation they work for."),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("community"),
    )
    community_role = models.CharField(_("community role"), max_length=12, choices=Membership.Role.choices, blank=True)
    # The language the inviter worked in; the e-mail uses it unless the invitee already
    # has an account with a preferred language.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="de")
    nonce = models.CharField(_("token nonce"), max_length=64, default=new_nonce, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), default=default_expiry)
    sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    # Deleting the account deletes the record of its acceptance: the constraint below
    # keeps "accepted" and "accepted by whom" together, so SET_NULL is not an option.
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Exactly one target: a project role, or a community role.
            models.CheckConstraint(
                condition=(Q(project__isnull=False, community__isnull=True, community_role="") & ~Q(role=""))
                | (Q(project__isnull=True, community__isnull=False, role="") & ~Q(community_role="")),
                name="invitation_exactly_one_target",
                violation_error_message=_(
                    "An invitation is either to a role in a project or to a community, never both or neither."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role="") | Q(role__in=ProjectRole.Role.values), name="invitation_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(community_role="") | Q(community_role__in=Membership.Role.values),
                name="invitation_community_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(role="partner_staff", organisation__isnull=False)
                | (~Q(role="partner_staff") & Q(organisation__isnull=True)),
                name="invitation_partner_staff_has_organisation",
                violation_error_message=_("Partner staff need their organisation, and only partner staff have one."),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="invitation_expires_after_created"
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True, accepted_by__isnull=True)
                | Q(accepted_at__isnull=False, accepted_by__isnull=False),
                name="invitation_accepted_by_with_accepted_at",
            ),
            models.CheckConstraint(
                condition=Q(revoked_by__isnull=True) | Q(revoked_at__isnull=False),
                name="invitation_revoked_by_with_revoked_at",
            ),
            # Stored lower-case, so comparing with an account's address is one equality.
            models.CheckConstraint(
                condition=Q(email=Lower("email")) & ~Q(email=""), name="invitation_email_lower_case"
            ),
            models.CheckConstraint(condition=~Q(nonce=""), name="invitation_nonce_not_empty"),
            # One open invitation per address and target; inviting again replaces it.
            models.UniqueConstraint(
                fields=["email", "project", "role"],
                condition=_OPEN & Q(project__isnull=False),
                name="invitation_one_open_per_project_role",
                violation_error_message=_("This address already has an open invitation to this role."),
            ),
            models.UniqueConstraint(
                fields=["email", "community"],
                condition=_OPEN & Q(community__isnull=False),
                name="invitation_one_open_per_community",
                violation_error_message=_("This address already has an open invitation to this community."),
            ),
        ]
        indexes = [models.Index(fields=["email"], name="invitation_email_idx")]

    def __str__(self) -> str:
        return f"{self.email} → {self.target} ({self.offered_role_label})"

    def clean(self) -> None:
        super().clean()
        if self.email:
            self.email = self.email.strip().lower()
        if (
            self.role == ProjectRole.Role.PARTNER_STAFF
            and self.organisation_id
            and self.project_id
            and not Participation.objects.filter(
                project_id=self.project_id, organisation_id=self.organisation_id
            ).exists()
        ):
            raise ValidationError({"organisation": _("This organisation is not part of the project's consortium.")})

    @property
    def target(self) -> Project | Community | None:
        return self.project if self.project_id else self.community

    @property
    def target_project_id(self) -> int | None:
        """The project whose coordinators answer for this invitation."""
        if self.project_id:
            return self.project_id
        return self.community.project_id if self.community_id else None

    @property
    def offered_role_label(self) -> str:
        return self.get_role_display() if self.project_id else self.get_community_role_display()

    @property
    def status(self) -> str:
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return str(InvitationStatus(self.status).label)

    @property
    def is_usable(self) -> bool:
        return self.status == InvitationStatus.PENDING
