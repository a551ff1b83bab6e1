"""Personal API tokens: a person's key for scripts, stored hashed, limited to chosen scopes.

The secret is shown once, when the token is made (portal/accounts/api_tokens.py); the
portal keeps only its SHA-256 and its first characters, so a leaked database gives no
usable key, and the person can still tell their tokens apart. A token never carries more
than its owner: every request through it is checked by the same permission functions as
the browser, against the owner's roles at that moment.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.api.scopes import SCOPE_LABELS

__all__ = ["ApiToken"]

# The scopes as stored: names from portal/api/scopes.py, comma-separated, each once.
_SCOPE_NAME = "(" + "|".join(sorted(SCOPE_LABELS)) + ")"
SCOPES_PATTERN = rf"\A{_SCOPE_NAME}(,{_SCOPE_NAME})*\Z"


class ApiToken(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the script using it."))
    key_prefix = models.CharField(_("key begins with"), max_length=8)
    # SHA-256 (hex) of the whole secret: enough to recognise it, useless to use it.
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    scopes = models.CharField(_("scopes"), max_length=100, help_text=_("Comma-separated scope names."))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Written at most every API_TOKEN_USE_PRECISION, not on every request.
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(scopes__regex=SCOPES_PATTERN), name="api_token_scopes_valid"),
            models.CheckConstraint(condition=Q(key_hash__regex=r"\A[0-9a-f]{64}\Z"), name="api_token_hash_is_sha256"),
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_name"),
        ]
        indexes = [models.Index(fields=["owner", "revoked_at"], name="api_token_owner_revoked")]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def scope_list(self) -> list[str]:
        return [scope for scope in self.scopes.split(",") if scope]

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_active(self, now: dt.datetime | None = None) -> bool:
        return self.revoked_at is None and not self.is_expired(now)

    def allows(self, scope: str) -> bool:
        """The contract of portal/api/scopes.py: usable now, and made for ``scope``."""
        return self.is_active() and scope in self.scope_list
