"""The demo staff's authenticator codes, computed from the published demo secret.

Only accounts whose stored secret *is* the published one (portal/demo/data/people.py) are
listed: a demo account whose app somebody set up by hand keeps its code to itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from . import data as demo_data


@dataclass(frozen=True)
class DemoCode:
    email: str
    code: str
    seconds_left: int


def totp_code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app with ``secret`` shows at ``at`` (now by default)."""
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def demo_codes(at: float | None = None) -> list[DemoCode]:
    """The current code of each demo account that signs in with the demo secret, in the data's order."""
    now = time.time() if at is None else at
    emails = [row["email"] for row in demo_data.DEMO_ACCOUNTS]
    secrets = {
        authenticator.user.email: decrypt(authenticator.data["secret"])
        for authenticator in Authenticator.objects.filter(
            type=Authenticator.Type.TOTP, user__email__in=emails
        ).select_related("user")
    }
    code = totp_code(demo_data.DEMO_TOTP_SECRET, now)
    seconds_left = mfa_settings.TOTP_PERIOD - int(now) % mfa_settings.TOTP_PERIOD
    return [
        DemoCode(email=email, code=code, seconds_left=seconds_left)
        for email in emails
        if secrets.get(email) == demo_data.DEMO_TOTP_SECRET
    ]
