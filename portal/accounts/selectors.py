"""Reads for the account pages."""

from typing import Any

from allauth.mfa.models import Authenticator
from django.db.models import F, Q, QuerySet

from partners.models import Organisation
from portal.models import ApiToken
from projects.selectors import visible_organisations


def organisation_directory(user: Any) -> QuerySet[Organisation]:
    """Organisations a person can pick as theirs on the profile, by name.

    Those the person may see (projects.selectors.visible_organisations), so the list does
    not reveal organisations working only in other people's private projects; the one on
    the profile stays selectable, or saving the form would silently drop it.
    """
    visible = visible_organisations(user).values("pk")
    current = getattr(user, "organisation_id", None)
    condition = Q(pk__in=visible) | Q(pk=current) if current else Q(pk__in=visible)
    return Organisation.objects.filter(condition).order_by("name", "country")


def has_totp(user: Any) -> bool:
    """Whether the person has an activated authenticator app (allauth.mfa's TOTP)."""
    if not getattr(user, "pk", None):
        return False
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def two_factor_status(user: Any) -> tuple[bool, int]:
    """For the profile: whether the authenticator app is active, and how many recovery codes are unused."""
    totp_active, codes_left = False, 0
    for authenticator in Authenticator.objects.filter(user_id=user.pk):
        if authenticator.type == Authenticator.Type.TOTP:
            totp_active = True
        elif authenticator.type == Authenticator.Type.RECOVERY_CODES:
            codes_left = len(authenticator.wrap().get_unused_codes())
    return totp_active, codes_left


def own_api_tokens(user: Any) -> QuerySet[ApiToken]:
    """The person's API tokens, usable ones first, then by age (the revoked stay listed as a record)."""
    return ApiToken.objects.filter(owner_id=user.pk).order_by(F("revoked_at").desc(nulls_first=True), "-created_at")
