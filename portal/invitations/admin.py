"""Admin for invitations (registered from portal/admin.py).

Invitations are made on the invitation pages, which send the e-mail; the admin is for
looking them up and revoking them. Coordinators see the invitations of the projects
they coordinate, whether to a project role or to one of the project's communities.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.models import Invitation
from projects.admin_scope import ProjectScopedAdmin
from projects.permissions import (
    can_manage_any_project,
    can_manage_project,
    is_platform_admin,
    managed_project_ids,
)

from . import services

# What a platform admin fills in on the add page; everything else follows from them.
ADD_FIELDS = ("email", "project", "role", "organisation", "community", "community_role", "language")
RECORD_FIELDS = (
    "status_label",
    "invited_by",
    "created_at",
    "expires_at",
    "sent_at",
    "accepted_at",
    "accepted_by",
    "revoked_at",
    "revoked_by",
    "token_hint",
)


class InvitationAdminForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin's fieldsets and readonly fields choose

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is None and cleaned.get("email"):
            # The service's own check, so the add page shows it instead of failing on save.
            services.invitation_validate_new(
                email=services.normalise_email(cleaned["email"]),
                project=cleaned.get("project"),
                role=cleaned.get("role", ""),
                organisation=cleaned.get("organisation"),
                community=cleaned.get("community"),
                community_role=cleaned.get("community_role", ""),
            )
        return cleaned


class InvitationStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return list(Invitation.Status.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in Invitation.Status.values:
            return queryset.with_status(self.value())
        return queryset


@admin.register(Invitation)
class InvitationAdmin(ProjectScopedAdmin):
    form = InvitationAdminForm
    list_display = (
        "email",
        "target_label",
        "offered_role",
        "status_label",
        "invited_by",
        "created_at",
        "expires_at",
    )
    list_select_related = ("project", "community", "invited_by")
    search_fields = ("email",)
    list_filter = (
        InvitationStatusFilter,
        "role",
        "community_role",
        ("project", admin.RelatedOnlyFieldListFilter),
    )
    date_hierarchy = "created_at"
    autocomplete_fields = ("project", "organisation", "community")
    # The token itself never appears: a hint is enough to tell two invitations apart.
    readonly_fields = (
        "status_label",
        "invited_by",
        "created_at",
        "sent_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
        "revoked_by",
        "token_hint",
    )
    actions = ["revoke_selected"]

    # --- Scope: an invitation belongs to its project, or to its community's project ---

    def scope_queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if is_platform_admin(request.user):
            return queryset
        managed = managed_project_ids(request.user)
        return queryset.filter(Q(project_id__in=managed) | Q(community__project_id__in=managed))

    def _allowed(self, request: HttpRequest, obj: Model | None) -> bool:
        if obj is None:
            return can_manage_any_project(request.user)
        return can_manage_project(request.user, obj.target_project_id)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The invitation pages send the e-mail; the admin add page is a platform admin's tool.
        return is_platform_admin(request.user)

    # --- Pages ---------------------------------------------------------------------------

    def get_fields(self, request: HttpRequest, obj: Invitation | None = None) -> tuple[str, ...]:
        if obj is None:
            return ADD_FIELDS
        return ADD_FIELDS + RECORD_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Invitation | None = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        # An issued invitation is a record; only its expiry may be moved.
        return tuple(name for name in ADD_FIELDS + RECORD_FIELDS if name != "expires_at")

    def _audit_project_id(self, obj: Invitation) -> int | None:
        # A community's invitation has no project of its own (ChangeLoggedAdminMixin).
        return services.invitation_project_id(obj)

    def save_model(self, request: HttpRequest, obj: Invitation, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # New invitations go through the service, which sends the e-mail.
        created = services.invitation_create(
            invited_by=request.user,
            email=obj.email,
            project=obj.project,
            role=obj.role,
            organisation=obj.organisation,
            community=obj.community,
            community_role=obj.community_role,
            language=obj.language,
            base_url=request.build_absolute_uri("/"),
        )
        obj.pk = created.pk
        obj.refresh_from_db()

    # --- Columns -------------------------------------------------------------------------

    @admin.display(description=_("invited to"))
    def target_label(self, obj: Invitation) -> str:
        return str(obj.target)

    @admin.display(description=_("role"))
    def offered_role(self, obj: Invitation) -> str:
        return obj.offered_role_label

    @admin.display(description=_("status"))
    def status_label(self, obj: Invitation) -> str:
        return obj.get_status_display()

    @admin.display(description=_("token"))
    def token_hint(self, obj: Invitation) -> str:
        return f"{obj.nonce[:6]}…" if obj.nonce else "–"

    # --- Actions -------------------------------------------------------------------------

    @admin.action(description=_("Revoke selected invitations"))
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        revoked = 0
        for invitation in queryset.select_related("community").open():
            if not self.has_change_permission(request, invitation):
                continue
            try:
                services.invitation_revoke(invitation_id=invitation.pk, revoked_by=request.user)
            except services.InvitationNotUsable:
                continue  # accepted or revoked meanwhile
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d invitation revoked.", "%(count)d invitations revoked.", revoked) % {"count": revoked},
            messages.SUCCESS,
        )
