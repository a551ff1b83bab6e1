"""Writes to a person's own account: what sign-up records and what the profile page changes."""

import secrets
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Registration
from events.services.memberships import memberships_end_for_user
from events.services.registrations import registrations_anonymise_for_user
from outbox.services import message_enqueue
from partners.models import Organisation
from portal import page_cache
from portal.invitations.services import invitations_delete_for_addresses
from portal.legal.services import privacy_notice_accept
from portal.models import PrivacyAcceptance, User
from portal.time_zones import user_time_zone_choices_set
from projects.selectors import projects_solely_coordinated_by

from .erasure_notice import ERASURE_NOTICE_TASK

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


# --- Erasure (GDPR Art. 17) -------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureResult:
    """What the erasure did: for the confirmation page, the admin's message and the tests."""

    email: str
    language: str
    registrations_anonymised: int
    memberships_anonymised: int
    invitations_deleted: int


def erasure_blockers(*, user: User) -> list[str]:
    """Why the account cannot be erased yet: one message per project the person alone coordinates."""
    return [
        str(
            _("You are the only coordinator of “%(project)s”. Hand the project over to another coordinator first.")
            % {"project": project.acronym}
        )
        for project in projects_solely_coordinated_by(user)
    ]


def user_rows_anonymise(*, user: User) -> tuple[int, int]:
    """Take the person off the registrations and memberships that outlive their account.

    The part of the erasure the admin's plain "Delete" runs too. Returns (registrations,
    memberships) kept anonymised.
    """
    with transaction.atomic():
        now = timezone.now()
        return (
            registrations_anonymise_for_user(user=user, now=now),
            memberships_end_for_user(user=user, now=now),
        )


def user_erase(*, user: User, erased_by: User | None) -> ErasureResult:
    """Erase a person's account and personal data, in one transaction.

    Called from the profile (``erased_by`` is the person) and from the admin for a request
    received by letter (``erased_by`` is the admin). Refuses with ValidationError, before
    anything is changed, while the person is the only coordinator of a project not yet closed.

    - registrations stay without the person (seats for meetings not yet begun are cancelled),
      so meeting counts, the figures by sector and the reports as of a period keep their numbers;
    - memberships end and stay without the person; requests never granted go;
    - invitations sent to the person's addresses and their sign-in records (django-axes) go;
    - the account goes, and with it its project roles, e-mail addresses, second factors,
      calendar feed and accepted invitations; "by" fields elsewhere (check-in, decisions,
      reporting steps, report downloads) become empty through their SET_NULL;
    - a confirmation e-mail goes to the account's address (through the outbox, on commit).
    """
    blockers = erasure_blockers(user=user)
    if blockers:
        raise ValidationError(blockers, code="sole_coordinator")
    now = timezone.now()
    addresses = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    lowered = {address.strip().lower() for address in addresses if address.strip()}
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        # Checked again under the lock: a co-coordinator may have been removed meanwhile.
        if projects_solely_coordinated_by(locked):
            raise ValidationError(erasure_blockers(user=locked), code="sole_coordinator")
        registrations = registrations_anonymise_for_user(user=locked, now=now)
        memberships = memberships_end_for_user(user=locked, now=now)
        invitations = invitations_delete_for_addresses(addresses=lowered)
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__in=lowered).delete()
        result = ErasureResult(
            email=locked.email,
            language=locked.preferred_language,
            registrations_anonymised=registrations,
            memberships_anonymised=memberships,
            invitations_deleted=invitations,
        )
        locked.delete()
        # The registrations lost their person through update(), which no signal sees: the
        # cached attendance lists (portal/fragments.py) must drop the name at once, not in a minute.
        transaction.on_commit(page_cache.invalidate_activity)
        # The confirmation goes to the address the account had, once the erasure committed.
        message_enqueue(task=ERASURE_NOTICE_TASK, args=[result.email, result.language, secrets.token_hex(16)])
    return result
