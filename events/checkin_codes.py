"""The code behind a registration's QR code: which registration a scan is about.

The code is the registration's id signed with the portal's secret key, so codes cannot
be guessed or made up. It names the registration only; whether the person scanning
may check it in is decided by events/permissions.py, never by holding a code.
"""

from __future__ import annotations

from django.core import signing

from .models import Registration

SALT = "events.checkin"


def checkin_code(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=SALT, compress=False)


def registration_id_from_code(code: str) -> int | None:
    """The registration id the code was made for, or None for a code that was not made here."""
    try:
        value = signing.loads(code, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
