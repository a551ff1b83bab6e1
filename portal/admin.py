"""Admin for the portal's users, who log in with their e-mail address (there is no username).

Accounts and their privileges are the platform admin's (portal.permissions.can_manage_users).
A coordinator only looks people up: the people connected to the projects they coordinate
(role holders, members of the projects' communities, registrants of their meetings), which
is what the autocomplete of a project role, a membership or a registration needs. Their
view of a person is read-only and leaves out privileges, password and dates.

Django's groups and the admins of installed packages (allauth's e-mail addresses and second
factors, axes' login records) are the platform admin's alone, whatever model permissions somebody has.
"""

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.models import Membership, Registration
from projects.admin_scope import HiddenObjectsAre404Mixin, PlatformAdminOnlyMixin
from projects.models import ProjectRole
from projects.permissions import can_manage_any_project, managed_project_ids

from .accounts.services import erasure_blockers, user_erase, user_rows_anonymise
from .models import User
from .permissions import can_change_user, can_manage_users


def connected_users(coordinator: Any) -> QuerySet[User]:
    """People connected to the projects ``coordinator`` coordinates: role holders,
    members of the projects' communities (in any state) and registrants of their meetings."""
    projects = sorted(managed_project_ids(coordinator))
    return User.objects.filter(
        Q(pk__in=ProjectRole.objects.filter(project__in=projects).values("user"))
        | Q(pk__in=Membership.objects.filter(community__project__in=projects).values("user"))
        | Q(pk__in=Registration.objects.filter(meeting__project__in=projects).values("user"))
    )


class EmailNormalisingMixin:
    """Store e-mail addresses in lower case, as UserManager does for users created in code.

    Without it an address typed with capitals in the admin would be stored as typed, and
    the case-insensitive uniqueness would then depend on which way a user was created.
    """

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


class UserCreationForm(EmailNormalisingMixin, auth_forms.AdminUserCreationForm):
    # A fresh Meta rather than the parent's: that one names the username field.
    class Meta:
        model = User
        fields = ("email",)


class UserChangeForm(EmailNormalisingMixin, auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(HiddenObjectsAre404Mixin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "preferred_language", "sector", "time_zone")},
        ),
        (_("Organisation"), {"fields": ("organisation", "organisation_name")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        (_("Privacy"), {"fields": ("privacy_notice_version", "privacy_accepted_at")}),
    )
    # What a coordinator sees of a person: who they are and where they work.
    coordinator_fieldsets = (
        (None, {"fields": ("email",)}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (_("Organisation"), {"fields": ("organisation", "organisation_name")}),
    )
    # The record of the person's own acceptance at sign-up; nobody edits it afterwards.
    readonly_fields = ("privacy_notice_version", "privacy_accepted_at")
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "first_name",
                    "last_name",
                    "preferred_language",
                    "organisation",
                    "organisation_name",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = (
        "email",
        "first_name",
        "last_name",
        "organisation_label",
        "preferred_language",
        "is_staff",
    )
    list_select_related = ("organisation",)
    list_filter = ("is_staff", "is_superuser", "is_active", "preferred_language", "groups")
    search_fields = ("email", "first_name", "last_name", "organisation__name", "organisation_name")
    ordering = ("email",)
    autocomplete_fields = ("organisation",)
    actions = ["erase_personal_data"]

    @admin.action(description=_("Erase personal data (request received by letter)"))
    def erase_personal_data(self, request: HttpRequest, queryset: QuerySet[User]) -> TemplateResponse | None:
        """GDPR Art. 17 for a request that arrived by letter: the same erasure as the profile's.

        A confirmation page first; each person is erased on their own (a sole coordinator is
        refused with the reason, the others go ahead).
        """
        if not can_manage_users(request.user):
            raise PermissionDenied
        people = list(queryset.order_by("email"))
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Erase personal data"),
                "opts": self.model._meta,
                "people": [(person, erasure_blockers(user=person)) for person in people],
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "audit_years": settings.PORTAL_AUDIT_RETENTION_YEARS,
            }
            return TemplateResponse(request, "admin/portal/user/erase_confirmation.html", context)
        for person in people:
            if person.pk == request.user.pk:
                self.message_user(request, _("You cannot erase your own account here."), messages.ERROR)
                continue
            try:
                result = user_erase(user=person, erased_by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{person.email}: {' '.join(error.messages)}", messages.ERROR)
                continue
            self.message_user(
                request,
                _("%(email)s erased: %(registrations)s registrations and %(memberships)s memberships kept anonymised.")
                % {
                    "email": result.email,
                    "registrations": result.registrations_anonymised,
                    "memberships": result.memberships_anonymised,
                },
                messages.SUCCESS,
            )
        return None

    @admin.display(description=_("organisation"), ordering="organisation__name")
    def organisation_label(self, obj: User) -> str:
        return obj.organisation_label

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request)
        if can_manage_users(request.user):
            return queryset
        if not can_manage_any_project(request.user):
            return queryset.none()
        return queryset.filter(pk__in=connected_users(request.user).values("pk"))

    def choices_queryset(self, request: HttpRequest) -> QuerySet[User]:
        """Whom a coordinator may pick as a person (projects.admin_scope.scoped_choices)."""
        if can_manage_users(request.user):
            return User.objects.all()
        return connected_users(request.user)

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None):
        if obj is not None and not can_change_user(request.user, obj):
            return self.coordinator_fieldsets
        return super().get_fieldsets(request, obj)

    def get_list_display(self, request: HttpRequest):
        if can_manage_users(request.user):
            return self.list_display
        return tuple(name for name in self.list_display if name != "is_staff")

    def get_list_filter(self, request: HttpRequest):
        if can_manage_users(request.user):
            return self.list_filter
        return ("preferred_language",)

    # Only the platform admin manages accounts; coordinators look people up, read-only,
    # and do not find "Users" on their admin index.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_manage_users(request.user)

    def has_view_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return can_manage_users(request.user) or can_manage_any_project(request.user)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return can_manage_users(request.user) if obj is None else can_change_user(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return can_manage_users(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_manage_users(request.user)

    # The admin's plain "Delete" removes the account like an erasure does for the rows that
    # outlive it: registrations and memberships are anonymised first (their needs go too),
    # so no deletion path leaves a half-anonymised row behind.
    def delete_model(self, request: HttpRequest, obj: User) -> None:
        user_rows_anonymise(user=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for person in queryset:
            user_rows_anonymise(user=person)
        super().delete_queryset(request, queryset)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None):
        # The history names privileges given and taken: account management, not a look-up.
        self.get_object(request, object_id)  # 404 for a person outside the coordinator's projects
        if not can_manage_users(request.user):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)


# --- Admins only the platform admin uses -------------------------------------------------


def platform_admin_only(model: type, base: type[admin.ModelAdmin] | None = None, **attrs: Any) -> None:
    """Register ``model`` again with its admin (or ``base``) limited to the platform admin."""
    if admin.site.is_registered(model):
        base = base or type(admin.site.get_model_admin(model))
        admin.site.unregister(model)
    if base is None:
        return
    name = f"PlatformAdminOnly{base.__name__}"
    admin.site.register(model, type(name, (PlatformAdminOnlyMixin, base), {"__module__": __name__, **attrs}))


platform_admin_only(Group, DjangoGroupAdmin)


def _authenticator_admin() -> type[admin.ModelAdmin]:
    """allauth's admin of second factors, without the secrets.

    The platform admin resets a person's second factor (a lost phone) by deleting it; the
    person sets up a new one at their next sign-in. The stored TOTP secret and recovery
    code seed are never shown, and nobody adds a factor for somebody else.
    """
    from allauth.mfa.admin import AuthenticatorAdmin

    class PortalAuthenticatorAdmin(AuthenticatorAdmin):
        list_select_related = ("user",)
        search_fields = ("user__email", "user__first_name", "user__last_name")
        fields = ("user", "type", "created_at", "last_used_at")
        readonly_fields = fields

        def has_add_permission(self, request: HttpRequest) -> bool:
            return False

    return PortalAuthenticatorAdmin


def _third_party_admins() -> None:
    """allauth, axes and auditlog register their admins on import; this makes sure they already have."""
    import allauth.account.admin  # noqa: F401
    import auditlog.admin  # noqa: F401
    import axes.admin  # noqa: F401
    from allauth.account.models import EmailAddress, EmailConfirmation
    from allauth.mfa.models import Authenticator
    from auditlog.models import LogEntry
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    platform_admin_only(
        EmailAddress,
        # The list shows each address's user; search as the list's own search box does.
        list_select_related=("user",),
        search_fields=("email", "user__email", "user__first_name", "user__last_name"),
    )
    for model in (EmailConfirmation, AccessLog, AccessFailureLog):
        platform_admin_only(model)
    platform_admin_only(Authenticator, _authenticator_admin())
    platform_admin_only(AccessAttempt, cleanup_expired_attempts=_cleanup_expired_attempts)
    # The change log of every project (audit/changes.py), for the platform admin only, and
    # read-only: an audit trail nobody can edit or delete by hand (retention deletes it).
    platform_admin_only(
        LogEntry,
        has_add_permission=_refuse,
        has_change_permission=_refuse,
        has_delete_permission=_refuse,
    )


def _refuse(self: admin.ModelAdmin, request: HttpRequest, *args: Any) -> bool:
    return False


@admin.action(description=_("Clean up expired attempts"))
def _cleanup_expired_attempts(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    """django-axes' own action, made to work from the admin.

    Its handler takes the time of the login attempt from the request, which only its login
    handlers set; on an admin page there is none, and the action failed. None means now.
    """
    request.axes_attempt_time = None
    count = modeladmin.handler.clean_expired_user_attempts(request=request)
    modeladmin.message_user(
        request,
        ngettext("%(count)s expired access attempt removed.", "%(count)s expired access attempts removed.", count)
        % {"count": count},
    )


_third_party_admins()

# Personal API tokens: read-only, revoked by an action (portal/accounts/admin.py).
from .accounts import admin as accounts_admin  # noqa: E402,F401

# Invitations keep their admin next to their code.
from .invitations import admin as invitations_admin  # noqa: E402,F401

# The legal pages' texts, privacy notice versions and acceptances (portal/legal/admin.py).
from .legal import admin as legal_admin  # noqa: E402,F401
