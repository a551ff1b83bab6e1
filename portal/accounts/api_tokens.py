"""Writes of personal API tokens: made and revoked in the profile, marked as used by the API.

The secret is ``cp_`` and 43 URL-safe characters (256 random bits): the prefix lets secret
scanners (and people) recognise a leaked portal key. Only its SHA-256 is stored; the secret
is returned once, by ``api_token_create``, for the page that shows it. Creation and
revocation go into the change log (audit/changes.py) without the hash, like other account
changes of no project.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from audit.changes import ChangeAction, change_record, snapshot, update_record
from portal.api.scopes import SCOPE_LABELS
from portal.models import ApiToken, User
from portal.permissions import api_token_scopes_allowed

SECRET_PREFIX = "cp_"
# How stale last_used_at may be: one write per token per this interval, not one per request.
USE_PRECISION = dt.timedelta(minutes=5)
# The hash is never logged: it is not the key, but it names it.
_NOT_LOGGED = ("key_hash",)


def api_token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def active_tokens(*, user: User, now: dt.datetime | None = None) -> QuerySet[ApiToken]:
    """The person's tokens that still work: not revoked, not expired."""
    now = now or timezone.now()
    return ApiToken.objects.filter(owner=user, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def _clean_scopes(user: User, scopes: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(scopes))  # each once, in the order given
    if not wanted:
        raise ValidationError({"scopes": gettext("Choose at least one scope.")}, code="no_scope")
    unknown = [scope for scope in wanted if scope not in SCOPE_LABELS]
    if unknown:
        raise ValidationError({"scopes": gettext("Unknown scope: %(scope)s.") % {"scope": unknown[0]}}, code="unknown")
    allowed = set(api_token_scopes_allowed(user))
    refused = [scope for scope in wanted if scope not in allowed]
    if refused:
        raise ValidationError(
            {
                "scopes": gettext("Your roles do not allow a token for: %(scopes)s.")
                % {"scopes": ", ".join(str(SCOPE_LABELS[scope]) for scope in refused)}
            },
            code="scope_not_allowed",
        )
    return [scope for scope in SCOPE_LABELS if scope in wanted]  # stored in the contract's order


def api_token_create(
    *, user: User, name: str, scopes: Iterable[str], expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns it and its secret, which nobody can see again.

    ``expires_at`` defaults to PORTAL_API_TOKEN_MAX_DAYS from now and may not be later. Refuses
    (ValidationError, nothing written) scopes the person's roles do not allow, an empty name,
    and a token beyond PORTAL_API_TOKENS_PER_PERSON usable ones.
    """
    now = timezone.now()
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": gettext("Give the token a name.")}, code="required")
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError({"name": gettext("The name is too long.")}, code="max_length")
    chosen = _clean_scopes(user, scopes)
    longest = dt.timedelta(days=settings.PORTAL_API_TOKEN_MAX_DAYS)
    if expires_at is None:
        expires_at = now + longest
    if expires_at <= now:
        raise ValidationError({"expires_at": gettext("The expiry must be in the future.")}, code="past")
    if expires_at > now + longest + dt.timedelta(minutes=1):
        raise ValidationError(
            {
                "expires_at": ngettext(
                    "A token lives at most %(days)d day.", "A token lives at most %(days)d days.", longest.days
                )
                % {"days": longest.days}
            },
            code="too_long",
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        # The person's row, locked: two tabs cannot both make the last token allowed.
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        cap = settings.PORTAL_API_TOKENS_PER_PERSON
        if active_tokens(user=user, now=now).count() >= cap:
            raise ValidationError(
                ngettext(
                    "You have %(count)d token already, the most allowed. Revoke one first.",
                    "You have %(count)d tokens already, the most allowed. Revoke one first.",
                    cap,
                )
                % {"count": cap},
                code="too_many",
            )
        token = ApiToken.objects.create(
            owner=user,
            name=name,
            key_prefix=secret[:8],
            key_hash=api_token_hash(secret),
            scopes=",".join(chosen),
            created_at=now,
            expires_at=expires_at,
        )
        change_record(
            actor=user,
            instance=token,
            action=ChangeAction.CREATE,
            before=None,
            after=snapshot(token, exclude=_NOT_LOGGED),
            project_id=None,
        )
    return token, secret


def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Stop the token working, from now on; revoking a revoked token changes nothing.

    The caller checked portal.permissions.can_revoke_api_token.
    """
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            before = snapshot(locked, fields=["revoked_at"])
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            update_record(actor=actor, instance=locked, before=before, project_id=None)
    token.revoked_at = locked.revoked_at
    return locked


def api_token_mark_used(*, token: ApiToken, now: dt.datetime | None = None) -> None:
    """Remember when the token was last used, at most once per USE_PRECISION (no write per request).

    One conditional UPDATE; not in the change log (it changes nothing the person decided).
    """
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < USE_PRECISION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - USE_PRECISION)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
