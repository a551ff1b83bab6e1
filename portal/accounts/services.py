"""Writes to a person's own account: what sign-up records and what the profile page changes."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.models import Registration
from partners.models import Organisation
from portal.legal.services import privacy_notice_accept
from portal.models import PrivacyAcceptance, User
from portal.time_zones import user_time_zone_choices_set

# Only these columns belong to the person; saving just them means a profile edit can
# never overwrite what an admin changed meanwhile (is_staff, is_active, groups, e-mail).
PROFILE_FIELDS = [
    "first_name",
    "last_name",
    "organisation",
    "organisation_name",
    "preferred_language",
    "sector",
    "time_zone",
]


def _language_code(language: str | None) -> str | None:
    """The portal language for an active Django language ("de-at" → "de"), or None."""
    code = (language or "").split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else None


def user_record_signup(*, user: User, privacy_notice_version: str, language: str | None, commit: bool = True) -> User:
    """Stamp a new account with the privacy notice it accepted and the language it signed up in.

    allauth builds the user unsaved and saves it once; ``commit=False`` keeps it that way, so
    the acceptance is stored by the same INSERT as the account (never an account without it).
    Saved, the acceptance also goes into the history (PrivacyAcceptance), in the same transaction.
    """
    if not privacy_notice_version:
        raise ValueError("A sign-up needs the version of the privacy notice that was accepted.")
    user.privacy_notice_version = privacy_notice_version
    user.privacy_accepted_at = timezone.now()
    if code := _language_code(language):
        user.preferred_language = code
    if commit:
        with transaction.atomic():
            user.save()
            privacy_notice_accept(
                user=user,
                version=privacy_notice_version,
                occasion=PrivacyAcceptance.Occasion.SIGNUP,
                accepted_at=user.privacy_accepted_at,
            )
    return user


def user_update_profile(
    *,
    user: User,
    first_name: str,
    last_name: str,
    organisation: Organisation | None,
    organisation_name: str,
    preferred_language: str,
    sector: str,
    time_zone: str = "",
) -> User:
    """Change what a person may edit about themselves; nothing else about the account."""
    if _language_code(preferred_language) != preferred_language:
        raise ValueError(f"Unknown language {preferred_language!r}.")
    if sector and sector not in Registration.Sector.values:
        raise ValueError(f"Unknown stakeholder sector {sector!r}.")
    if time_zone and time_zone not in user_time_zone_choices_set():
        raise ValueError(f"Unknown time zone {time_zone!r}.")
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.organisation = organisation
    # The directory entry is the better answer; a leftover free-text name would contradict it.
    user.organisation_name = "" if organisation else organisation_name.strip()
    user.preferred_language = preferred_language
    user.sector = sector
    user.time_zone = time_zone
    user.save(update_fields=PROFILE_FIELDS)
    return user


def user_clear_failed_logins(*, user: User) -> int:
    """Forget the failed logins django-axes counted against the person's addresses, from every IP.

    Called when a new password is set: through the reset link the person proved they own
    the mailbox, so the lockout has done its job. Returns how many counters were removed.
    """
    addresses = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    # axes counts the address lower-cased (lockout.username_from_request); an empty
    # username would make axes' reset() delete every counter of every person.
    return sum(axes_reset(username=address.strip().lower()) for address in addresses if address.strip())


@transaction.atomic
def user_activate_totp(*, user: User, secret: str) -> Authenticator:
    """Give the person an authenticator app with this base32 secret, and recovery codes.

    For accounts whose secret is known in advance (the demo staff, portal/demo): people set
    theirs up on allauth's page, which makes the secret. An app the person had is replaced;
    recovery codes they had are kept.
    """
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    authenticator = TOTP.activate(user, secret).instance
    RecoveryCodes.activate(user)
    return authenticator
