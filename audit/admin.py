"""The access log in the admin: the platform admin's (superusers), read-only.

Coordinators read their projects' entries on the portal's own page (portal/access_log);
here the superuser sees every project's. Rows are written by the views that show the data
and deleted by the retention job, never by hand, so the admin adds, changes and deletes
nothing. The superuser check is made here rather than with Django's model permissions, so
a group given to a coordinator by mistake opens nothing (as projects.admin_scope does for
the domain's admins, which this app sits below).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import PersonalDataAccess


def _is_superuser(request: HttpRequest) -> bool:
    user = request.user
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ("at", "viewer", "kind", "project_id", "meeting_id", "subject", "people")
    list_select_related = ("viewer", "subject")
    list_filter = ("kind",)
    search_fields = ("viewer__email", "viewer__last_name", "subject__email", "subject__last_name")
    date_hierarchy = "at"
    readonly_fields = ("at", "viewer", "kind", "project_id", "meeting_id", "community_id", "subject", "people")
    fields = readonly_fields

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_superuser(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
