"""Admin for the organisation directory and the people who work there."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from . import permissions
from .models import Contact, Organisation


class ContactInlineFormSet(BaseInlineFormSet):
    """Refuses an e-mail address twice in one organisation, whatever its case.

    The inline form leaves the organisation out of model validation, so the database's
    case-insensitive unique constraint would otherwise answer with a server error.
    """

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            email = form.cleaned_data.get("email", "").lower()
            if not email or self._should_delete_form(form):
                continue
            if email in seen:
                raise ValidationError(
                    _("%(email)s is given for more than one contact."),
                    code="duplicate_contact_email",
                    params={"email": email},
                )
            seen.add(email)


class ContactInline(admin.TabularInline):
    model = Contact
    formset = ContactInlineFormSet
    fields = ("name", "email", "position", "phone")
    extra = 0
    show_change_link = True

    # Contacts are personal data the platform admin keeps; coordinators never see them here.
    def has_view_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return permissions.can_change_contact(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return permissions.can_change_contact(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return permissions.can_change_contact(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return permissions.can_change_contact(request.user)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """The directory every project shares: staff read it and add to it, the platform admin edits it."""

    list_display = (
        "name",
        "short_name",
        "kind",
        "country",
        "city",
        "participation_count",
        "contact_count",
    )
    # CountryFilter offers only the countries in use, not all 250.
    list_filter = ("kind", ("country", CountryFilter))
    search_fields = ("name", "short_name", "city")
    ordering = ("name",)
    readonly_fields = ("created_at",)
    fieldsets = (
        (None, {"fields": ("name", "short_name", "kind")}),
        (_("Location"), {"fields": ("country", "city")}),
        (_("About"), {"fields": ("website", "description", "illustrative_note", "created_at")}),
    )
    inlines = (ContactInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        # Two reverse relations are counted in one query, so each count needs distinct
        # or the join would multiply one by the other.
        return (
            super()
            .get_queryset(request)
            .annotate(
                participation_count=Count("participations", distinct=True),
                contact_count=Count("contacts", distinct=True),
            )
            # A grouped query drops Meta.ordering; the autocomplete pages need an order.
            .order_by(*Organisation._meta.ordering)
        )

    @admin.display(description=_("projects"), ordering="participation_count")
    def participation_count(self, obj: Organisation) -> int:
        return obj.participation_count

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_add_organisation(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        # The admin site already requires staff; the directory itself is public.
        return request.user.is_staff and permissions.can_view_organisation(request.user, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.can_add_organisation(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return permissions.can_change_organisation(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return permissions.can_delete_organisation(request.user, obj)

    @admin.display(description=_("contacts"), ordering="contact_count")
    def contact_count(self, obj: Organisation) -> int:
        return obj.contact_count


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    """Contacts are personal data: the platform admin's alone (partners.permissions)."""

    list_display = ("name", "organisation", "position", "email", "phone")
    list_select_related = ("organisation",)
    list_filter = ("organisation__kind", ("organisation__country", CountryFilter))
    search_fields = ("name", "email", "position", "organisation__name", "organisation__short_name")
    autocomplete_fields = ("organisation",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_change_contact(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Contact | None = None) -> bool:
        # Contacts are personal data: only who may change them may see them.
        return permissions.can_change_contact(request.user, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.can_change_contact(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Contact | None = None) -> bool:
        return permissions.can_change_contact(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Contact | None = None) -> bool:
        return permissions.can_change_contact(request.user, obj)
