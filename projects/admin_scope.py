"""Admin screens scoped to the projects a coordinator manages.

The platform admin (superuser) sees everything. A staff coordinator sees only the rows
of the projects they coordinate, gets foreign-key choices limited to those projects,
and gets 404, not a redirect, for another project's object typed into the URL.
Every decision comes from projects.permissions, never from Django's model permissions.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from .permissions import can_manage_any_project, can_manage_project, is_platform_admin, managed_project_ids


def project_id_of(obj: Model, path: str) -> int | None:
    """Follow ``path`` ("project", "meeting__project", "" for a Project) to the project's id."""
    if not path:
        return obj.pk
    *hops, last = path.split("__")
    target = obj
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)


def scoped_choices(request: HttpRequest, model: type[Model], admin_site: admin.AdminSite) -> QuerySet | None:
    """Choices for a foreign key to ``model``: what that model's own admin lets this user see."""
    related_admin = admin_site._registry.get(model)
    if isinstance(related_admin, ProjectScopedMixin):
        return related_admin.get_queryset(request)
    return None


class ProjectScopedMixin:
    """Shared by ModelAdmins and inlines. ``project_path`` leads from the model to its Project."""

    project_path: str = "project"

    def scope_queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if is_platform_admin(request.user):
            return queryset
        lookup = f"{self.project_path}__in" if self.project_path else "pk__in"
        return queryset.filter(**{lookup: managed_project_ids(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not is_platform_admin(request.user):
            choices = scoped_choices(request, db_field.related_model, self.admin_site)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProjectScopedAdmin(ProjectScopedMixin, admin.ModelAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.scope_queryset(request, super().get_queryset(request))

    def _allowed(self, request: HttpRequest, obj: Model | None) -> bool:
        if obj is None:
            return can_manage_any_project(request.user)
        return can_manage_project(request.user, project_id_of(obj, self.project_path))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_manage_any_project(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_manage_any_project(request.user)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index for an object outside get_queryset(); a 404 tells
        # the truth without saying whether the row exists in another project.
        raise Http404


class ProjectScopedInline(ProjectScopedMixin):
    """For inlines: the parent object decides, through its project."""

    parent_project_path: str = "project"

    def _allowed(self, request: HttpRequest, obj: Model | None) -> bool:
        if obj is None:
            return can_manage_any_project(request.user)
        return can_manage_project(request.user, project_id_of(obj, self.parent_project_path))

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, obj)
