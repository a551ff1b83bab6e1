"""Admin for the portal's users, who log in with their e-mail address (there is no username)."""

from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


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
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (_("Organisation"), {"fields": ("organisation", "organisation_name")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
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

    @admin.display(description=_("organisation"), ordering="organisation__name")
    def organisation_label(self, obj: User) -> str:
        return obj.organisation_label

# Invitations keep their admin next to their code.
from .invitations import admin as invitations_admin  # noqa: E402,F401
