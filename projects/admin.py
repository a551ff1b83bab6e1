"""Admin for funding programmes, projects and what a project is made of."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter

from partners.admin import OrganisationAdmin
from partners.models import Organisation

from .admin_scope import ProjectScopedAdmin, ProjectScopedInline, save_inline_through_services
from .models import (
    BudgetLine,
    Deliverable,
    DeliverableStatusChange,
    FundingProgramme,
    Indicator,
    Participation,
    Project,
    ProjectRole,
    Update,
    WorkPackage,
)
from .permissions import (
    can_add_project,
    can_change_project,
    can_delete_project,
    can_grant_role,
    can_manage_any_project,
    can_revoke_role,
    is_platform_admin,
)
from .selectors import visible_organisations
from .services import deliverable_status_record, project_role_change, project_role_grant, project_role_revoke

COORDINATOR = Participation.Role.COORDINATOR


# --- Funding programmes -------------------------------------------------------------


@admin.register(FundingProgramme)
class FundingProgrammeAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "funder", "eu_funded", "project_count")
    list_select_related = ("funder",)
    list_filter = ("eu_funded", ("funder", admin.RelatedOnlyFieldListFilter))
    search_fields = ("short_name", "name", "funder__name", "funder__short_name")
    autocomplete_fields = ("funder",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[FundingProgramme]:
        return (
            super()
            .get_queryset(request)
            .annotate(project_count=Count("projects"))
            .order_by(*FundingProgramme._meta.ordering)
        )

    # Programmes are shared by every project: the platform admin keeps them. Coordinators
    # only pick one for their project (the autocomplete needs the view permission), so the
    # model is not listed on their admin index.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: FundingProgramme | None = None) -> bool:
        return can_manage_any_project(request.user)

    def has_change_permission(self, request: HttpRequest, obj: FundingProgramme | None = None) -> bool:
        return is_platform_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: FundingProgramme | None = None) -> bool:
        return is_platform_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin(request.user)

    @admin.display(description=_("projects"), ordering="project_count")
    def project_count(self, obj: FundingProgramme) -> int:
        return obj.project_count


# --- Projects and their inlines -----------------------------------------------------


class ProjectStatusFilter(admin.SimpleListFilter):
    """Planned / running / closed, which the database does not store but derives from the dates."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return Project.Status.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Project]) -> QuerySet[Project]:
        if self.value() in Project.Status.values:
            return queryset.with_status(self.value())
        return queryset


class ParticipationInlineFormSet(BaseInlineFormSet):
    """A project's consortium, checked as a whole for the one-coordinator rule.

    No single form can check the rule: the inline form leaves the project out of model
    validation, so without this the database's partial unique constraint would be the
    first to notice a second coordinator, and answer with a server error.
    """

    def _is_coordinator(self, form: ModelForm) -> bool:
        return form.cleaned_data.get("role") == COORDINATOR and not self._should_delete_form(form)

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            # Counting roles of forms that are themselves invalid would only add noise.
            return
        coordinators = [form for form in self.forms if self._is_coordinator(form)]
        if len(coordinators) > 1:
            names = ", ".join(form.cleaned_data["organisation"].display_name for form in coordinators)
            raise ValidationError(
                _(
                    "A project has only one coordinator, but %(count)d organisations are marked "
                    "as coordinator (%(names)s). Give all but one of them another role."
                ),
                code="more_than_one_coordinator",
                params={"count": len(coordinators), "names": names},
            )

    def save_existing_objects(self, commit: bool = True) -> list[Participation]:
        # The database checks the one-coordinator rule row by row, so when the role moves
        # from one partner to another, the old coordinator has to be saved first.
        self._coordinator_last = True
        try:
            return super().save_existing_objects(commit)
        finally:
            self._coordinator_last = False

    @property
    def initial_forms(self) -> list[ModelForm]:
        forms = super().initial_forms
        if getattr(self, "_coordinator_last", False):
            # sorted() is stable, so everybody else keeps their order.
            forms = sorted(forms, key=self._is_coordinator)
        return forms


class ParticipationInline(ProjectScopedInline, admin.TabularInline):
    parent_project_path = ""
    model = Participation
    formset = ParticipationInlineFormSet
    fields = ("organisation", "role", "contribution", "description", "joined_on", "left_on")
    autocomplete_fields = ("organisation",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Participation]:
        # Each row is titled with Participation.__str__, which names organisation and project.
        return super().get_queryset(request).select_related("organisation", "project")


class WorkPackageInline(ProjectScopedInline, admin.TabularInline):
    parent_project_path = ""
    model = WorkPackage
    fields = ("number", "title", "title_de", "lead_organisation", "start_date", "end_date")
    autocomplete_fields = ("lead_organisation",)
    extra = 0
    show_change_link = True


class DeliverableAdminForm(ModelForm):
    """A due date after the project's end is allowed but needs a tick to confirm it.

    Not a database rule: an extension of the project may make it right. Only a new or
    changed due date asks again; one confirmed before stays as it is.
    """

    confirm_due_after_end = forms.BooleanField(
        label=_("Yes, due after the project ends"),
        required=False,
        help_text=_("Needed only when the due date is after the project's end."),
    )

    class Meta:
        model = Deliverable
        # The admin passes its own field list; these are for the form used on its own.
        fields = (
            "project",
            "work_package",
            "code",
            "title",
            "title_de",
            "description",
            "kind",
            "dissemination",
            "due_date",
            "submitted_on",
            "lead_organisation",
            "file",
            "url",
            "status",
            "illustrative_note",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        due = cleaned.get("due_date")
        project = cleaned.get("project") or (self.instance.project if self.instance.project_id else None)
        changed = self.instance.pk is None or "due_date" in self.changed_data or "project" in self.changed_data
        if (
            due
            and project is not None
            and due > project.end_date
            and changed
            and not cleaned.get("confirm_due_after_end")
        ):
            self.add_error(
                "due_date",
                forms.ValidationError(
                    _(
                        "The due date is after the project ends (%(end)s). If that is right, tick "
                        "“Yes, due after the project ends” and save again."
                    ),
                    code="due_after_project_end",
                    params={"end": formats.date_format(project.end_date)},
                ),
            )
        return cleaned


class DeliverableInline(ProjectScopedInline, admin.TabularInline):
    parent_project_path = ""
    model = Deliverable
    form = DeliverableAdminForm
    fields = (
        "code",
        "title",
        "title_de",
        "work_package",
        "kind",
        "due_date",
        "confirm_due_after_end",
        "status",
        "submitted_on",
        "lead_organisation",
    )
    autocomplete_fields = ("work_package", "lead_organisation")
    extra = 0
    show_change_link = True


class UpdateInline(ProjectScopedInline, admin.TabularInline):
    parent_project_path = ""
    model = Update
    fields = ("published_on", "kind", "title", "title_de", "source", "link", "is_public")
    extra = 0
    show_change_link = True


class ProjectChoicesInline(ProjectScopedInline):
    """An inline whose foreign keys offer only rows of the parent project.

    ``project_choice_fields`` maps a field to the lookup from its model to the Project
    (an indicator's work package, a budget line's partner among the participants). The
    lists are short, so a plain select serves better than an autocomplete, which could not
    know the project. A new project has none of them yet: it is saved with its consortium
    first, then the plan. The model's clean() checks the same rule again.
    """

    project_choice_fields: dict[str, str] = {}

    def get_formset(self, request: HttpRequest, obj: Project | None = None, **kwargs: Any):
        formset = super().get_formset(request, obj, **kwargs)
        for name, lookup in self.project_choice_fields.items():
            field = formset.form.base_fields.get(name)
            if field is None:
                continue
            # formset.form is a class built for this request, so its fields are its own.
            related = field.queryset.model._default_manager
            field.queryset = related.filter(**{lookup: obj.pk}).distinct() if obj else related.none()
        return formset


class IndicatorInline(ProjectChoicesInline, admin.TabularInline):
    parent_project_path = ""
    model = Indicator
    fields = (
        "code",
        "kind",
        "name",
        "name_de",
        "unit",
        "unit_de",
        "work_package",
        "baseline",
        "target",
        "source",
        "illustrative_note",
    )
    project_choice_fields = {"work_package": "project"}
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Indicator]:
        return super().get_queryset(request).select_related("work_package")


class BudgetLineInline(ProjectChoicesInline, admin.TabularInline):
    parent_project_path = ""
    model = BudgetLine
    fields = ("organisation", "category", "planned", "currency", "illustrative_note")
    project_choice_fields = {"organisation": "participations__project"}
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[BudgetLine]:
        # Each row is titled with BudgetLine.__str__, which names the organisation.
        return super().get_queryset(request).select_related("organisation")


# --- Project roles: who may do what in a project ----------------------------------------

GRANT_TO_SELF = _("You cannot grant a role to yourself. Ask another coordinator of the project or the platform admin.")
GRANT_ELSEWHERE = _("You can grant roles only in the projects you coordinate.")
OWN_ROLE = _("You cannot change or revoke your own role. Ask another coordinator of the project or the platform admin.")


def grant_refusal(granter: Any, project: Project | int | None, target: Any) -> str | None:
    """Why ``granter`` may not give ``target`` a role in ``project``; None when they may."""
    if project is None or target is None or can_grant_role(granter, project, target):
        return None
    return GRANT_TO_SELF if target.pk == granter.pk else GRANT_ELSEWHERE


def _touches_own_role(granter: Any, form: ModelForm) -> bool:
    """An existing row of the granter's own role that this form would change or delete."""
    instance = form.instance
    return (
        instance.pk is not None
        and instance.user_id == granter.pk
        and not is_platform_admin(granter)
        and form.has_changed()
    )


class ProjectRoleForm(ModelForm):
    """Refuses a role for oneself or in another project (projects.permissions.can_grant_role).

    ``granter`` (the person using the admin) is set on the class get_form() builds for
    each request. Choices of projects and people are already limited to the granter's
    projects; this check also holds when the project comes from the page (inline).
    """

    granter: Any = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.granter is None:
            return cleaned
        if _touches_own_role(self.granter, self):
            self.add_error(None, OWN_ROLE)
            return cleaned
        if self.instance.pk is not None and not self.has_changed():
            return cleaned  # a row shown again unchanged grants nothing
        project = cleaned.get("project") or self.instance.project_id
        refusal = grant_refusal(self.granter, project, cleaned.get("user"))
        if refusal is not None:
            field = "user" if refusal is GRANT_TO_SELF else "project"
            self.add_error(field if field in self.fields else None, refusal)
        return cleaned


class ProjectRoleInlineFormSet(BaseInlineFormSet):
    """A deleted row skips its form's checks, so revoking one's own role is refused here."""

    granter: Any = None

    def clean(self) -> None:
        super().clean()
        if self.granter is None:
            return
        for form in self.forms:
            if self._should_delete_form(form) and _touches_own_role(self.granter, form):
                raise ValidationError(OWN_ROLE, code="own_role")


class ProjectRoleInline(ProjectScopedInline, admin.TabularInline):
    model = ProjectRole
    form = ProjectRoleForm
    formset = ProjectRoleInlineFormSet
    parent_project_path = ""
    fields = ("user", "role", "organisation", "granted_by", "created_at")
    readonly_fields = ("granted_by", "created_at")
    autocomplete_fields = ("user", "organisation")
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProjectRole]:
        # Each row is titled with ProjectRole.__str__, which names person and project.
        return super().get_queryset(request).select_related("user", "project", "organisation", "granted_by")

    def get_formset(self, request: HttpRequest, obj: Project | None = None, **kwargs: Any):
        formset = super().get_formset(request, obj, **kwargs)
        formset.granter = formset.form.granter = request.user
        return formset


def save_role(request: HttpRequest, role: ProjectRole, *, change: bool) -> None:
    """Write the role a form filled in through the services (projects/services.py), the one
    write path for roles; ``role`` gets the saved row's key and record, as the admin expects."""
    values = {"project": role.project, "user": role.user, "role": role.role, "organisation": role.organisation}
    if change:
        saved = project_role_change(project_role=role, changed_by=request.user, **values)
    else:
        saved = project_role_grant(granted_by=request.user, **values)
    role.pk, role.granted_by, role.created_at = saved.pk, saved.granted_by, saved.created_at


@admin.register(Project)
class ProjectAdmin(ProjectScopedAdmin):
    project_path = ""
    list_display = (
        "acronym",
        "title",
        "programme",
        "status",
        "start_date",
        "end_date",
        "duration",
        "partner_count",
        "coordinator",
        "is_public",
    )
    list_select_related = ("programme",)
    list_filter = (
        ProjectStatusFilter,
        ("programme", admin.RelatedOnlyFieldListFilter),
        "is_public",
    )
    search_fields = (
        "acronym",
        "title",
        "title_de",
        "slug",
        "grant_agreement",
        "participations__organisation__name",
    )
    date_hierarchy = "start_date"
    autocomplete_fields = ("programme",)
    prepopulated_fields = {"slug": ("acronym",)}
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (
            None,
            {"fields": ("acronym", "slug", "title", "title_de", "programme", "grant_agreement", "is_public")},
        ),
        (_("Dates"), {"fields": ("start_date", "end_date")}),
        (_("Funding"), {"fields": ("total_budget", "funder_contribution")}),
        (
            _("Consortium as declared by the project"),
            {"fields": ("declared_partners", "declared_associated_partners", "declared_countries")},
        ),
        (_("About"), {"fields": ("summary", "summary_de", "website", "illustrative_note")}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = (
        ParticipationInline,
        WorkPackageInline,
        DeliverableInline,
        UpdateInline,
        IndicatorInline,
        BudgetLineInline,
        ProjectRoleInline,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Project]:
        coordinator = (
            Participation.objects.filter(project=OuterRef("pk"), role=COORDINATOR)
            .order_by()
            .values(name=Coalesce(NullIf("organisation__short_name", Value("")), "organisation__name"))[:1]
        )
        return (
            super()
            .get_queryset(request)
            .annotate(partner_count=Count("participations"), coordinator_name=Subquery(coordinator))
            .order_by(*Project._meta.ordering)
        )

    # Coordinators change their own projects; only the platform admin adds or deletes one.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_add_project(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Project | None = None) -> bool:
        if obj is None:
            return can_manage_any_project(request.user)
        return can_change_project(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Project | None = None) -> bool:
        return can_delete_project(request.user, obj)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset, change: bool) -> None:
        if formset.model is Deliverable:
            super().save_formset(request, form, formset, change)
            for deliverable in [*formset.new_objects, *(obj for obj, _fields in formset.changed_objects)]:
                deliverable_status_record(deliverable=deliverable, changed_by=request.user)
            return
        if formset.model is not ProjectRole:
            super().save_formset(request, form, formset, change)
            return
        save_inline_through_services(
            request,
            formset,
            remove=lambda role: project_role_revoke(project_role=role, revoked_by=request.user),
            save=save_role,
        )

    @admin.display(description=_("status"))
    def status(self, obj: Project) -> str:
        return obj.get_status_display()

    @admin.display(description=_("duration"))
    def duration(self, obj: Project) -> str:
        months = obj.duration_months
        return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}

    @admin.display(description=_("partners"), ordering="partner_count")
    def partner_count(self, obj: Project) -> int:
        return obj.partner_count

    @admin.display(description=_("coordinator"), ordering="coordinator_name")
    def coordinator(self, obj: Project) -> str | None:
        return obj.coordinator_name

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: list, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Allowed, because some public sources do not name a coordinator, but worth a
        # reminder so that it is a decision and not an oversight.
        if not form.instance.participations.filter(role=COORDINATOR).exists():
            self.message_user(request, _("This project has no coordinator on record."), messages.WARNING)


# --- The parts of a project, each also on its own --------------------------------------


@admin.register(Participation)
class ParticipationAdmin(ProjectScopedAdmin):
    list_display = ("organisation", "project", "role", "contribution", "joined_on", "left_on")
    list_select_related = ("organisation", "project")
    list_filter = (
        "role",
        ("project", admin.RelatedOnlyFieldListFilter),
        ("organisation__country", CountryFilter),
    )
    search_fields = (
        "organisation__name",
        "organisation__short_name",
        "project__acronym",
        "description",
    )
    autocomplete_fields = ("project", "organisation")


@admin.register(WorkPackage)
class WorkPackageAdmin(ProjectScopedAdmin):
    list_display = (
        "number",
        "title",
        "title_de",
        "project",
        "lead_organisation",
        "start_date",
        "end_date",
        "deliverable_count",
    )
    list_display_links = ("number", "title")
    list_select_related = ("project", "lead_organisation")
    list_filter = (("project", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("title", "title_de", "project__acronym", "lead_organisation__name")
    autocomplete_fields = ("project", "lead_organisation")

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkPackage]:
        return (
            super()
            .get_queryset(request)
            .annotate(deliverable_count=Count("deliverables"))
            .order_by(*WorkPackage._meta.ordering)
        )

    @admin.display(description=_("deliverables"), ordering="deliverable_count")
    def deliverable_count(self, obj: WorkPackage) -> int:
        return obj.deliverable_count


class LateFilter(admin.SimpleListFilter):
    title = _("late")
    parameter_name = "late"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Deliverable]) -> QuerySet[Deliverable]:
        # DeliverableQuerySet.late() is the one definition of "late"; "no" is its complement.
        if self.value() == "yes":
            return queryset.late()
        if self.value() == "no":
            return queryset.exclude(pk__in=Deliverable.objects.late().values("pk"))
        return queryset


@admin.register(Deliverable)
class DeliverableAdmin(ProjectScopedAdmin):
    list_display = (
        "code",
        "title",
        "title_de",
        "project",
        "work_package",
        "due_date",
        "due_month",
        "status",
        "is_late",
        "lead_organisation",
    )
    list_display_links = ("code", "title")
    # due_month counts from the project's start, so the project has to come along.
    list_select_related = ("project", "work_package", "lead_organisation")
    list_filter = (
        LateFilter,
        "status",
        "kind",
        "dissemination",
        ("project", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("code", "title", "title_de", "project__acronym", "lead_organisation__name")
    date_hierarchy = "due_date"
    form = DeliverableAdminForm
    autocomplete_fields = ("project", "work_package", "lead_organisation")
    readonly_fields = ("updated_at",)

    def save_model(self, request: HttpRequest, obj: Deliverable, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        deliverable_status_record(deliverable=obj, changed_by=request.user)

    @admin.display(description=_("due month"), ordering="due_date")
    def due_month(self, obj: Deliverable) -> str:
        return obj.due_month

    @admin.display(description=_("late"), boolean=True)
    def is_late(self, obj: Deliverable) -> bool:
        return obj.is_late


@admin.register(DeliverableStatusChange)
class DeliverableStatusChangeAdmin(ProjectScopedAdmin):
    """The history progress reports read: shown, never edited (deliverable_status_record writes it).

    Only the platform admin may delete a row (a mistaken record): reports already
    generated keep the figures they were made with.
    """

    project_path = "deliverable__project"
    list_display = ("deliverable", "project", "status", "changed_at", "changed_by")
    list_select_related = ("deliverable__project", "changed_by")
    list_filter = ("status", ("deliverable__project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("deliverable__code", "deliverable__title", "deliverable__project__acronym")
    date_hierarchy = "changed_at"
    fields = ("deliverable", "status", "changed_at", "changed_by")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: DeliverableStatusChange | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: DeliverableStatusChange | None = None) -> bool:
        return is_platform_admin(request.user)

    @admin.display(description=_("project"), ordering="deliverable__project")
    def project(self, obj: DeliverableStatusChange) -> Project:
        return obj.deliverable.project


@admin.register(Update)
class UpdateAdmin(ProjectScopedAdmin):
    list_display = ("__str__", "project", "kind", "published_on", "source", "is_public")
    list_select_related = ("project",)
    list_filter = ("kind", "is_public", ("project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "title_de", "source", "project__acronym")
    date_hierarchy = "published_on"
    autocomplete_fields = ("project",)
    readonly_fields = ("created_at",)


@admin.register(ProjectRole)
class ProjectRoleAdmin(ProjectScopedAdmin):
    form = ProjectRoleForm
    list_display = ("user", "project", "role", "organisation", "granted_by", "created_at")
    list_select_related = ("user", "project", "organisation", "granted_by")
    list_filter = ("role", ("project", admin.RelatedOnlyFieldListFilter))
    search_fields = (
        "user__email",
        "user__first_name",
        "user__last_name",
        "project__acronym",
        "organisation__name",
        "organisation__short_name",
    )
    date_hierarchy = "created_at"
    autocomplete_fields = ("user", "project", "organisation")
    readonly_fields = ("granted_by", "created_at")
    fields = ("user", "project", "role", "organisation", "granted_by", "created_at")

    def get_form(
        self,
        request: HttpRequest,
        obj: ProjectRole | None = None,
        change: bool = False,
        **kwargs: Any,
    ):
        form = super().get_form(request, obj, change, **kwargs)
        form.granter = request.user
        return form

    # Changing a role is revoking it and granting another: nobody does that to their own.
    def has_change_permission(self, request: HttpRequest, obj: ProjectRole | None = None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return can_revoke_role(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ProjectRole | None = None) -> bool:
        if obj is None:
            return super().has_delete_permission(request)
        return can_revoke_role(request.user, obj)

    def save_model(self, request: HttpRequest, obj: ProjectRole, form: ModelForm, change: bool) -> None:
        if not change or form.changed_data:
            save_role(request, obj, change=change)

    def delete_model(self, request: HttpRequest, obj: ProjectRole) -> None:
        project_role_revoke(project_role=obj, revoked_by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ProjectRole]) -> None:
        # The bulk action too revokes role by role, through the one write path.
        for role in queryset:
            project_role_revoke(project_role=role, revoked_by=request.user)


# --- The reporting plan on its own (also inlines of the project) -------------------------------


class _PlanAdmin(ProjectScopedAdmin):
    """Once a row exists, its project is fixed and its choices are that project's rows.

    On a new row the project is picked first; the model's clean() then refuses a work
    package or partner of another project.
    """

    project_choice_fields: dict[str, str] = {}

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None):
        fields = super().get_readonly_fields(request, obj)
        return fields if obj is None else (*fields, "project")

    def get_form(self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            for name, lookup in self.project_choice_fields.items():
                field = form.base_fields.get(name)
                if field is not None:
                    field.queryset = field.queryset.filter(**{lookup: obj.project_id}).distinct()
        return form


@admin.register(Indicator)
class IndicatorAdmin(_PlanAdmin):
    list_display = ("code", "name", "project", "kind", "source", "baseline", "target", "is_illustrative")
    list_display_links = ("code", "name")
    list_select_related = ("project",)
    list_filter = ("kind", "source", ("project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name", "name_de", "project__acronym")
    autocomplete_fields = ("project", "work_package")
    project_choice_fields = {"work_package": "project"}

    @admin.display(description=_("illustrative"), boolean=True)
    def is_illustrative(self, obj: Indicator) -> bool:
        return bool(obj.illustrative_note)


@admin.register(BudgetLine)
class BudgetLineAdmin(_PlanAdmin):
    list_display = ("organisation", "project", "category", "planned", "currency", "is_illustrative")
    list_select_related = ("project", "organisation")
    list_filter = ("category", "currency", ("project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("organisation__name", "organisation__short_name", "project__acronym")
    autocomplete_fields = ("project", "organisation")
    project_choice_fields = {"organisation": "participations__project"}

    @admin.display(description=_("illustrative"), boolean=True)
    def is_illustrative(self, obj: BudgetLine) -> bool:
        return bool(obj.illustrative_note)


# The organisation directory is registered by partners, which knows nothing of projects.
# Who may see an organisation depends on projects, so the directory is registered again
# here with that rule: the lists, the change pages and the autocomplete of every
# organisation field (participations, roles, deliverables, budget lines) show a coordinator
# only the organisations visible to them, and never one working only in others' private projects.
admin.site.unregister(Organisation)


@admin.register(Organisation)
class ScopedOrganisationAdmin(OrganisationAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        queryset = super().get_queryset(request)
        if is_platform_admin(request.user):
            return queryset
        return queryset.filter(pk__in=visible_organisations(request.user).values("pk"))
