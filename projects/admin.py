"""Admin for funding programmes, projects and what a project is made of."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter

from .models import Deliverable, FundingProgramme, Participation, Project, Update, WorkPackage

COORDINATOR = Participation.Role.COORDINATOR


# --- Funding programmes -------------------------------------------------------------


@admin.register(FundingProgramme)
class FundingProgrammeAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "funder", "project_count")
    list_select_related = ("funder",)
    list_filter = (("funder", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("short_name", "name", "funder__name", "funder__short_name")
    autocomplete_fields = ("funder",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[FundingProgramme]:
        return super().get_queryset(request).annotate(project_count=Count("projects"))

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
            names = ", ".join(
                form.cleaned_data["organisation"].display_name for form in coordinators
            )
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


class ParticipationInline(admin.TabularInline):
    model = Participation
    formset = ParticipationInlineFormSet
    fields = ("organisation", "role", "contribution", "description", "joined_on", "left_on")
    autocomplete_fields = ("organisation",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Participation]:
        # Each row is titled with Participation.__str__, which names organisation and project.
        return super().get_queryset(request).select_related("organisation", "project")


class WorkPackageInline(admin.TabularInline):
    model = WorkPackage
    fields = ("number", "title", "lead_organisation", "start_date", "end_date")
    autocomplete_fields = ("lead_organisation",)
    extra = 0
    show_change_link = True


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    fields = (
        "code",
        "title",
        "work_package",
        "kind",
        "due_date",
        "status",
        "submitted_on",
        "lead_organisation",
    )
    autocomplete_fields = ("work_package", "lead_organisation")
    extra = 0
    show_change_link = True


class UpdateInline(admin.TabularInline):
    model = Update
    fields = ("published_on", "kind", "title", "source", "link", "is_public")
    extra = 0
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
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
    list_filter = (ProjectStatusFilter, "programme", "is_public")
    search_fields = (
        "acronym",
        "title",
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
            {"fields": ("acronym", "slug", "title", "programme", "grant_agreement", "is_public")},
        ),
        (_("Dates"), {"fields": ("start_date", "end_date")}),
        (_("Funding"), {"fields": ("total_budget", "funder_contribution")}),
        (
            _("Consortium as declared by the project"),
            {"fields": ("declared_partners", "declared_associated_partners", "declared_countries")},
        ),
        (_("About"), {"fields": ("summary", "website", "illustrative_note")}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = (ParticipationInline, WorkPackageInline, DeliverableInline, UpdateInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Project]:
        coordinator = (
            Participation.objects.filter(project=OuterRef("pk"), role=COORDINATOR)
            .order_by()
            .values(
                name=Coalesce(NullIf("organisation__short_name", Value("")), "organisation__name")
            )[:1]
        )
        return (
            super()
            .get_queryset(request)
            .annotate(partner_count=Count("participations"), coordinator_name=Subquery(coordinator))
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

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        # Allowed, because some public sources do not name a coordinator, but worth a
        # reminder so that it is a decision and not an oversight.
        if not form.instance.participations.filter(role=COORDINATOR).exists():
            self.message_user(
                request, _("This project has no coordinator on record."), messages.WARNING
            )


# --- The parts of a project, each also on its own --------------------------------------


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
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
class WorkPackageAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "title",
        "project",
        "lead_organisation",
        "start_date",
        "end_date",
        "deliverable_count",
    )
    list_display_links = ("number", "title")
    list_select_related = ("project", "lead_organisation")
    list_filter = (("project", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("title", "project__acronym", "lead_organisation__name")
    autocomplete_fields = ("project", "lead_organisation")

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkPackage]:
        return super().get_queryset(request).annotate(deliverable_count=Count("deliverables"))

    @admin.display(description=_("deliverables"), ordering="deliverable_count")
    def deliverable_count(self, obj: WorkPackage) -> int:
        return obj.deliverable_count


class LateFilter(admin.SimpleListFilter):
    title = _("late")
    parameter_name = "late"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Deliverable]
    ) -> QuerySet[Deliverable]:
        # DeliverableQuerySet.late() is the one definition of "late"; "no" is its complement.
        if self.value() == "yes":
            return queryset.late()
        if self.value() == "no":
            return queryset.exclude(pk__in=Deliverable.objects.late().values("pk"))
        return queryset


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "title",
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
    search_fields = ("code", "title", "project__acronym", "lead_organisation__name")
    date_hierarchy = "due_date"
    autocomplete_fields = ("project", "work_package", "lead_organisation")
    readonly_fields = ("updated_at",)

    @admin.display(description=_("due month"), ordering="due_date")
    def due_month(self, obj: Deliverable) -> str:
        return obj.due_month

    @admin.display(description=_("late"), boolean=True)
    def is_late(self, obj: Deliverable) -> bool:
        return obj.is_late


@admin.register(Update)
class UpdateAdmin(admin.ModelAdmin):
    list_display = ("title", "project", "kind", "published_on", "source", "is_public")
    list_select_related = ("project",)
    list_filter = ("kind", "is_public", ("project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "source", "project__acronym")
    date_hierarchy = "published_on"
    autocomplete_fields = ("project",)
    readonly_fields = ("created_at",)
