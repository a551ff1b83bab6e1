"""The code behind a registration's QR code: which registration a scan is about.

The code is the registration's id signed with the portal's secret key, so codes cannot
be guessed or made up. It names the registration only; whether the person scanning
may check it in is decided by events/permissions.py, never by holding a code.

A registration always gets the same code (no timestamp in it): the QR code in the
confirmation e-mail and the one on the registration page are the same picture. Codes of
the first version carried a timestamp (``signing.dumps``); they are still read.
"""

from __future__ import annotations

import zlib

from django.core import signing

from .models import Registration

SALT = "events.checkin"


def checkin_code(registration: Registration) -> str:
    return signing.Signer(salt=SALT).sign_object(registration.pk)


def registration_id_from_code(code: str) -> int | None:
    """The registration id the code was made for, or None for a code that was not made here."""
    for read in (signing.Signer(salt=SALT).unsign_object, _read_timestamped):
        try:
            value = read(code)
        # A timestamped code passes the plain signature check too, then fails to decode.
        except (signing.BadSignature, ValueError, zlib.error):
            continue
        return value if isinstance(value, int) else None
    return None


def _read_timestamped(code: str) -> object:
    return signing.loads(code, salt=SALT)
