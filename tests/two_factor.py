"""Two-factor sign-in in tests: enrol somebody, and compute the code their app would show.

One place that knows allauth.mfa's internals (the TOTP secret in the Authenticator row,
the HOTP arithmetic), for the unit tests and for browser tests that sign staff in through
the login form. allauth accepts each code once per 30-second period, and only the current
period's: a test that signs in twice in a row with the same account uses a recovery code
the second time, or waits (``next_period``).
"""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import decrypt

from portal.accounts.services import user_activate_totp
from portal.demo.totp import totp_code as code_for_secret


def enrol(user, secret: str | None = None) -> str:
    """Give ``user`` an authenticator app (and recovery codes); returns its secret."""
    secret = secret or generate_totp_secret()
    user_activate_totp(user=user, secret=secret)
    return secret


def totp_code(user_or_secret) -> str:
    """The code the person's app shows now (or the code of a secret).

    Close to the end of a period the code is taken from the next one, so that it is still
    the current code when the server checks it (allauth allows no drift).
    """
    if 30 - time.time() % 30 < 2:
        next_period()
    if isinstance(user_or_secret, str):
        return code_for_secret(user_or_secret)
    authenticator = Authenticator.objects.get(user_id=user_or_secret.pk, type=Authenticator.Type.TOTP)
    return code_for_secret(decrypt(authenticator.data["secret"]))


def recovery_codes(user) -> list[str]:
    """The person's unused recovery codes."""
    authenticator = Authenticator.objects.get(user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(authenticator).get_unused_codes()


def next_period() -> None:
    """Wait for the next 30-second period, so a code just used is followed by a fresh one."""
    time.sleep(30 - time.time() % 30 + 0.1)
