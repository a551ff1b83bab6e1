"""Admin for the legal pages: texts, privacy notice versions and acceptances (registered from portal/admin.py).

All three are the platform admin's alone. Acceptances are written by the portal only
(portal.legal.services.privacy_notice_accept): the admin shows them and adds or changes none.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from portal.models import LegalText, PrivacyAcceptance, PrivacyNotice
from projects.admin_scope import PlatformAdminOnlyMixin


@admin.register(LegalText)
class LegalTextAdmin(PlatformAdminOnlyMixin, admin.ModelAdmin):
    list_display = ("kind", "published_at")
    list_filter = ("kind",)
    search_fields = ("text", "text_de")
    fields = ("kind", "published_at", "text", "text_de")


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(PlatformAdminOnlyMixin, admin.ModelAdmin):
    list_display = ("version", "published_at")
    list_filter = ("published_at",)
    search_fields = ("version", "text", "text_de")
    fields = ("version", "published_at", "text", "text_de")


@admin.register(PrivacyAcceptance)
class PrivacyAcceptanceAdmin(PlatformAdminOnlyMixin, admin.ModelAdmin):
    list_display = ("user", "version", "accepted_at", "occasion")
    list_filter = ("version", "occasion")
    list_select_related = ("user",)
    search_fields = ("user__email", "version")
    readonly_fields = ("user", "version", "accepted_at", "occasion")

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # Viewing stays possible (has_view_permission); the record itself is never edited.
        return False
