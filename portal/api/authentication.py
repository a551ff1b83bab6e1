"""Personal tokens on the API: ``Authorization: Bearer cp_…`` (or ``Token cp_…``).

The token is found by the SHA-256 of the secret (a unique index), so the lookup's time says
nothing about how much of a guess was right; the hashes are compared once more in constant
time. A token that is revoked or expired, or whose owner's account is inactive, answers 401
with ``WWW-Authenticate: Bearer``, as does a header naming no token at all. A request
without such a header is left to the session (the browser), with its CSRF check.

``request.user`` is the token's owner and ``request.auth`` the token: the visibility
selectors and the permission functions decide as for the owner's browser, with the owner's
roles as they are now; the scope (portal/api/scopes.py) only narrows that.
"""

from __future__ import annotations

import hmac
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from portal.accounts.api_tokens import SECRET_PREFIX, api_token_hash, api_token_mark_used
from portal.models import ApiToken

KEYWORDS = (b"bearer", b"token")
# cp_ and 43 URL-safe characters; anything much longer is no token of ours, and is not hashed.
MAX_SECRET_LENGTH = 100


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None  # no token: the session decides (or nobody is signed in)
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header must be “Bearer” and one token."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        return self.authenticate_secret(secret)

    def authenticate_secret(self, secret: str) -> tuple[Any, ApiToken]:
        invalid = exceptions.AuthenticationFailed(_("This token is not valid."))
        if not secret.startswith(SECRET_PREFIX) or len(secret) > MAX_SECRET_LENGTH:
            raise invalid
        digest = api_token_hash(secret)
        token = ApiToken.objects.select_related("owner").filter(key_hash=digest).first()
        if token is None or not hmac.compare_digest(token.key_hash, digest):
            raise invalid
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        if token.is_expired():
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if not token.owner.is_active:
            raise exceptions.AuthenticationFailed(_("The account of this token is not active."))
        api_token_mark_used(token=token)
        return token.owner, token

    def authenticate_header(self, request: Any) -> str:
        # Makes DRF answer 401 (not 403) with this challenge when authentication fails.
        return f'{self.keyword} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema: an HTTP bearer scheme."""

    target_class = "portal.api.authentication.ApiTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token from the profile's “API tokens” page (cp_…), with the scopes it needs.",
        }
