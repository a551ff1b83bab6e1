"""Admin of personal API tokens (registered from portal/admin.py): the platform admin's, read-only.

The admin sees who holds which token, its scopes and dates, never the secret (it is not
stored) nor its hash. Tokens are made by their owners in the profile; the admin only
revokes one, e.g. a key found leaked, through the same service as the owner's button.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.models import ApiToken
from portal.permissions import can_revoke_api_token
from projects.admin_scope import PlatformAdminOnlyMixin

from .api_tokens import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(PlatformAdminOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "owner", "key_prefix", "scopes", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at", "expires_at")
    list_select_related = ("owner",)
    search_fields = ("name", "key_prefix", "owner__email")
    fields = ("owner", "name", "key_prefix", "scopes", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False  # the owner makes a token in the profile, and alone sees its secret

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False  # revoked, not deleted: the row says which key it was and when it stopped

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            if can_revoke_api_token(request.user, token):
                api_token_revoke(token=token, actor=request.user)
                count += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count},
            messages.SUCCESS,
        )
