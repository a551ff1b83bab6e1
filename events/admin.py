"""Admin for Communities of Practice, their members, meetings and registrations."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from projects.admin_scope import (
    HiddenObjectsAre404Mixin,
    PlatformAdminOnlyMixin,
    ProjectScopedAdmin,
    ProjectScopedInline,
    save_inline_through_services,
)

from .models import CalendarFeedToken, Community, Meeting, Membership, Registration
from .services.memberships import MembershipRecord, membership_record, membership_remove


class PersonRequiredMixin:
    """A membership or registration entered by hand names its person: only an erasure or the
    retention job (which never go through a form) leave the row without one."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and field is not None:
            field.required = True
        return field


# --- Communities ------------------------------------------------------------------------


class CommunityMeetingFormSet(BaseInlineFormSet):
    """Meetings added inside a community take the community's project.

    The inline leaves the project out, as it can only be the community's one.
    """

    def save_new(self, form: ModelForm, commit: bool = True) -> Meeting:
        form.instance.project_id = self.instance.project_id
        return super().save_new(form, commit)


class MeetingInline(ProjectScopedInline, admin.TabularInline):
    model = Meeting
    formset = CommunityMeetingFormSet
    fields = ("title", "title_de", "kind", "starts_at", "ends_at", "format", "audience", "status", "capacity")
    extra = 0
    show_change_link = True


class MembershipInline(PersonRequiredMixin, ProjectScopedInline, admin.TabularInline):
    project_path = "community__project"
    model = Membership
    fields = ("user", "role", "status", "requested_at", "joined_at", "left_at")
    autocomplete_fields = ("user",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        # Each row is titled with Membership.__str__, which names user and community.
        return super().get_queryset(request).select_related("user", "community")


def save_membership(request: HttpRequest, membership: Membership, *, change: bool) -> None:
    """Write the membership a form filled in through events/services/memberships.py, the one
    write path for memberships; ``membership`` gets the saved row's key, as the admin expects."""
    record = MembershipRecord(
        community=membership.community,
        user=membership.user,
        role=membership.role,
        status=membership.status,
        requested_at=membership.requested_at,
        joined_at=membership.joined_at,
        left_at=membership.left_at,
    )
    saved = membership_record(record=record, recorded_by=request.user, membership=membership if change else None)
    membership.pk = saved.pk


@admin.register(Community)
class CommunityAdmin(ProjectScopedAdmin):
    list_display = (
        "name",
        "name_de",
        "project",
        "territory",
        "country",
        "visibility",
        "membership_policy",
        "active_member_count",
        "meeting_count",
    )
    list_select_related = ("project",)
    list_filter = (
        "visibility",
        "membership_policy",
        ("country", CountryFilter),
        ("project", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name", "name_de", "territory", "project__acronym")
    autocomplete_fields = ("project",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at",)
    inlines = (MembershipInline, MeetingInline)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset, change: bool) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        save_inline_through_services(
            request,
            formset,
            remove=lambda membership: membership_remove(membership=membership, removed_by=request.user),
            save=save_membership,
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Community]:
        # Two reverse relations are counted in one query, so each count needs distinct
        # or the join would multiply one by the other.
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_member_count=Count(
                    "memberships",
                    filter=Q(memberships__status=Membership.Status.ACTIVE),
                    distinct=True,
                ),
                meeting_count=Count("meetings", distinct=True),
            )
            # A grouped query drops Meta.ordering; the autocomplete pages need an order.
            .order_by(*Community._meta.ordering)
        )

    @admin.display(description=_("active members"), ordering="active_member_count")
    def active_member_count(self, obj: Community) -> int:
        return obj.active_member_count

    @admin.display(description=_("meetings"), ordering="meeting_count")
    def meeting_count(self, obj: Community) -> int:
        return obj.meeting_count


@admin.register(Membership)
class MembershipAdmin(PersonRequiredMixin, ProjectScopedAdmin):
    # The community (in list_select_related) leads to the project without a query per row.
    project_path = "community__project"
    list_display = ("user", "community", "role", "status", "requested_at", "joined_at", "left_at")
    list_select_related = ("user", "community")
    list_filter = ("status", "role", ("community", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__email", "user__first_name", "user__last_name", "community__name")
    date_hierarchy = "requested_at"
    autocomplete_fields = ("community", "user")
    # Set by the approve/decline services (events/services/memberships.py), evidence of who decided.
    readonly_fields = ("decided_at", "decided_by")

    def save_model(self, request: HttpRequest, obj: Membership, form: ModelForm, change: bool) -> None:
        if not change or form.changed_data:
            save_membership(request, obj, change=change)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_remove(membership=obj, removed_by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        # The bulk action too removes row by row, through the one write path.
        for membership in queryset:
            membership_remove(membership=membership, removed_by=request.user)


# --- Meetings and registrations -----------------------------------------------------------


class RegistrationInlineFormSet(BaseInlineFormSet):
    """Refuses a second active (confirmed or waitlisted) registration of one person.

    The inline form leaves the meeting out of model validation, so the database's
    partial unique constraint would otherwise answer with a server error.
    """

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            user = form.cleaned_data.get("user")
            active = form.cleaned_data.get("status") in Registration.ACTIVE
            if user is None or not active or self._should_delete_form(form):
                continue
            if user in seen:
                raise ValidationError(
                    _("%(person)s is registered more than once; cancel all but one."),
                    code="duplicate_registration",
                    params={"person": user},
                )
            seen.add(user)


class RegistrationInline(PersonRequiredMixin, ProjectScopedInline, admin.TabularInline):
    project_path = "meeting__project"
    model = Registration
    formset = RegistrationInlineFormSet
    fields = (
        "user",
        "status",
        "sector",
        "created_at",
        "cancelled_at",
        "checked_in_at",
        "consent_to_list",
        "interpretation_language",
    )
    autocomplete_fields = ("user",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        # Each row is titled with Registration.__str__, which names user and meeting.
        return super().get_queryset(request).select_related("user", "meeting")


@admin.register(Meeting)
class MeetingAdmin(ProjectScopedAdmin):
    list_display = (
        "title",
        "title_de",
        "project",
        "community",
        "kind",
        "starts_at",
        "format",
        "audience",
        "status",
        "capacity",
        "confirmed_count",
        "waitlisted_count",
    )
    list_select_related = ("project", "community")
    list_filter = (
        "status",
        "format",
        "audience",
        "kind",
        ("project", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "title_de", "venue", "city", "project__acronym", "community__name", "community__name_de")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("project", "community")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "project",
                    "community",
                    "kind",
                    "title",
                    "title_de",
                    "description",
                    "description_de",
                    "agenda",
                    "agenda_de",
                    "status",
                )
            },
        ),
        (_("When"), {"fields": ("starts_at", "ends_at", "timezone")}),
        (
            _("Where"),
            {
                "fields": (
                    "format",
                    "venue",
                    "address",
                    "city",
                    "country",
                    "online_link",
                    "language",
                )
            },
        ),
        (
            _("Registration"),
            {"fields": ("audience", "capacity", "registration_opens_at", "registration_closes_at", "waitlist_enabled")},
        ),
        (
            _("Record"),
            {"fields": ("reported_attendance", "illustrative_note", "created_at", "updated_at")},
        ),
    )
    inlines = (RegistrationInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Meeting]:
        # Both counts read the same join, so no distinct is needed.
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed_count=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
                waitlisted_count=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
            )
            .order_by(*Meeting._meta.ordering)
        )

    @admin.display(description=_("confirmed"), ordering="confirmed_count")
    def confirmed_count(self, obj: Meeting) -> int:
        return obj.confirmed_count

    @admin.display(description=_("waitlisted"), ordering="waitlisted_count")
    def waitlisted_count(self, obj: Meeting) -> int:
        return obj.waitlisted_count

    def save_model(self, request: HttpRequest, obj: Meeting, form: ModelForm, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Edited here as in the workspace: SEQUENCE rises, registered people are told, and
        # new seats go to the waiting list (events/services/meetings.py).
        from .services.meetings import meeting_save_change

        save = super().save_model
        meeting_save_change(meeting=obj, save=lambda: save(request, obj, form, change))


@admin.register(Registration)
class RegistrationAdmin(PersonRequiredMixin, ProjectScopedAdmin):
    # The meeting (in list_select_related) leads to the project without a query per row.
    project_path = "meeting__project"
    list_display = ("user", "meeting", "status", "sector", "created_at", "checked_in_at")
    list_select_related = ("user", "meeting")
    # Only the projects in the list: a plain filter would name every project to everybody.
    list_filter = ("status", "sector", ("meeting__project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__email", "user__first_name", "user__last_name", "meeting__title")
    date_hierarchy = "created_at"
    autocomplete_fields = ("meeting", "user")
    # Written by the registration and check-in services, never by hand: who cancelled or
    # checked someone in, the place in line and the reminder claim are evidence.
    readonly_fields = ("queued_at", "cancelled_by", "checked_in_by", "reminder_sent_at")


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(HiddenObjectsAre404Mixin, PlatformAdminOnlyMixin, admin.ModelAdmin):
    """Who has a personal calendar feed address; the platform admin revokes one by deleting it.

    People create and renew their own on the feed page (portal/calendar), so nothing is
    added or edited here.
    """

    list_display = ("user", "created_at")
    list_select_related = ("user",)
    list_filter = ("created_at",)
    search_fields = ("user__email", "user__first_name", "user__last_name")
    readonly_fields = ("user", "token", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
