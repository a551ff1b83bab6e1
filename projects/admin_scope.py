"""Admin screens scoped to the projects a coordinator manages.

The platform admin (superuser) sees everything. A staff coordinator sees only the rows
of the projects they coordinate, gets foreign-key choices limited to those projects,
and gets 404, not a redirect, for another project's object typed into the URL.
Every decision comes from the permission functions (projects.permissions and the other
apps' permissions.py), never from Django's model permissions, so a group or permission
given to a coordinator by mistake opens nothing here.

The roles are read once per request (projects.permissions caches them on the user
object), so checking a permission per row costs no query as long as the path to the
project is loaded with the row (``list_select_related``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from audit.changes import create_record, delete_record, snapshot, update_record

from .permissions import (
    can_manage_any_project,
    can_manage_project,
    is_platform_admin,
    managed_project_ids,
)


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
    """Choices for a foreign key to ``model``: what that model's own admin lets this user pick.

    An admin takes part by defining ``choices_queryset(request)``; every ProjectScopedAdmin
    does, and so does the user admin (people connected to the coordinator's projects).
    ``None`` leaves Django's default (every row), e.g. for the organisation directory.
    """
    related_admin = admin_site._registry.get(model)
    choices = getattr(related_admin, "choices_queryset", None)
    return choices(request) if choices is not None else None


class HiddenObjectsAre404Mixin:
    """An object outside ``get_queryset()`` answers 404 in the change, delete and history views.

    Django would redirect to the index with "… doesn't exist. Perhaps it was deleted?"
    (and the delete view would ask for the permission first, answering 403). A 404
    tells the truth without saying whether the row exists in another project.
    """

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404


class PlatformAdminOnlyMixin:
    """For admins only the platform admin uses (groups, contacts, third-party models).

    Decided here rather than by Django's model permissions, so that a coordinator who was
    given a group with permissions still sees nothing of these models.
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_platform_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_platform_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_platform_admin(request.user)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        # Inlines pass the parent object as well; some third-party admins refuse additions
        # altogether, and that stays so.
        return is_platform_admin(request.user) and super().has_add_permission(request, *args)


class ProjectScopedMixin:
    """Shared by ModelAdmins and inlines. ``project_path`` leads from the model to its Project."""

    project_path: str = "project"

    def scope_queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if is_platform_admin(request.user):
            return queryset
        lookup = f"{self.project_path}__in" if self.project_path else "pk__in"
        return queryset.filter(**{lookup: sorted(managed_project_ids(request.user))})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not is_platform_admin(request.user) and "queryset" not in kwargs:
            choices = scoped_choices(request, db_field.related_model, self.admin_site)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def audit_scope(obj: Model) -> dict[str, int | None]:
    """The ids besides the project a change entry is filed under: a meeting's history shows
    the meeting and its registrations."""
    if obj._meta.label == "events.Meeting":
        return {"meeting_id": obj.pk}
    return {"meeting_id": getattr(obj, "meeting_id", None)}


class ChangeLoggedAdminMixin:
    """Every save and delete the admin makes itself is written to the change log (audit/changes.py).

    Admins that save through a service instead (roles, memberships, a new report) override
    these methods without calling them, and the service writes the entry. Rows of an inline
    belong to the parent's project.
    """

    project_path: str = "project"

    def _audit_project_id(self, obj: Model) -> int | None:
        return project_id_of(obj, self.project_path)

    def save_model(self, request: HttpRequest, obj: Model, form, change: bool) -> None:
        # The form has changed ``obj`` already: the old values come from the database.
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        before = snapshot(stored) if stored is not None else None
        super().save_model(request, obj, form, change)
        project_id, scope = self._audit_project_id(obj), audit_scope(obj)
        if before is None:
            create_record(actor=request.user, instance=obj, project_id=project_id, scope=scope)
        else:
            update_record(actor=request.user, instance=obj, before=before, project_id=project_id, scope=scope)

    def _record_deletion(self, request: HttpRequest, obj: Model, before: dict, pk: object, project_id) -> None:
        delete_record(
            actor=request.user, instance=obj, before=before, project_id=project_id, scope=audit_scope(obj), object_pk=pk
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        before, pk, project_id = snapshot(obj), obj.pk, self._audit_project_id(obj)
        super().delete_model(request, obj)
        self._record_deletion(request, obj, before, pk, project_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        rows = [(obj, snapshot(obj), obj.pk, self._audit_project_id(obj)) for obj in queryset]
        super().delete_queryset(request, queryset)
        for obj, before, pk, project_id in rows:
            self._record_deletion(request, obj, before, pk, project_id)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        project_id = self._audit_project_id(form.instance)
        # Old values of the rows shown, read before the forms write (one query per inline).
        shown = {id(row.instance): row.instance.pk for row in formset.initial_forms if row.instance.pk is not None}
        stored = formset.model._default_manager.in_bulk(list(shown.values())) if shown else {}
        before = {pk: snapshot(obj) for pk, obj in stored.items()}
        super().save_formset(request, form, formset, change)
        for obj in formset.deleted_objects:
            pk = shown.get(id(obj))
            if pk in before:
                self._record_deletion(request, obj, before[pk], pk, project_id)
        for obj, _fields in formset.changed_objects:
            if obj.pk in before:
                update_record(
                    actor=request.user,
                    instance=obj,
                    before=before[obj.pk],
                    project_id=project_id,
                    scope=audit_scope(obj),
                )
        for obj in formset.new_objects:
            create_record(actor=request.user, instance=obj, project_id=project_id, scope=audit_scope(obj))


class ProjectScopedAdmin(HiddenObjectsAre404Mixin, ChangeLoggedAdminMixin, ProjectScopedMixin, admin.ModelAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.scope_queryset(request, super().get_queryset(request))

    def choices_queryset(self, request: HttpRequest) -> QuerySet:
        """The rows a foreign key to this model may point to: the plain, scoped table.

        Not get_queryset(), whose annotations (counts for the changelist) would only
        slow down validating one chosen id.
        """
        return self.scope_queryset(request, self.model._default_manager.all())

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


class ProjectScopedInline(ProjectScopedMixin):
    """For inlines: the parent object decides, through its project.

    ``parent_project_path`` leads from the parent object to its Project ("" when the
    parent is a Project); ``project_path`` from the inline's own model, which scopes its
    rows a second time.
    """

    parent_project_path: str = "project"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.scope_queryset(request, super().get_queryset(request))

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


def save_inline_through_services(
    request: HttpRequest,
    formset,
    *,
    remove: Callable[[Model], object],
    save: Callable[..., object],
) -> None:
    """Save an inline's rows through the domain services instead of the formset.

    ``commit=False`` fills new_objects, changed_objects and deleted_objects (the admin's
    change message reads them) and writes nothing; ``remove(obj)`` and
    ``save(request, obj, change=…)`` write, so roles and memberships keep one write path.
    """
    formset.save(commit=False)
    for obj in formset.deleted_objects:
        remove(obj)
    for obj, _fields in formset.changed_objects:
        save(request, obj, change=True)
    for obj in formset.new_objects:
        save(request, obj, change=False)
