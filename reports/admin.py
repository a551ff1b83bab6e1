"""Admin for progress reports.

The PDF, its hash, the status and the timestamps belong to the task that builds the
report, so they are shown here but not edited: a hand-set "done" without a file, or
a hash that does not match the file, would be worse than no report.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects.admin_scope import ProjectScopedAdmin, ProjectScopedInline
from projects.permissions import is_platform_admin

from .models import (
    BudgetSpend,
    IndicatorValue,
    ProgressReport,
    ReportDownload,
    ReportingPeriod,
    ReportingStep,
    WorkPackageNarrative,
)
from .permissions import can_request_report
from .services.requesting import report_request


class _AddForm(forms.ModelForm):
    """The admin's form for a new report: the checks report_request makes, as field errors.

    The service makes them again when it is called; here they come back on the form
    instead of as an error page.
    """

    def clean(self):
        data = super().clean()
        project, start, end = data.get("project"), data.get("period_start"), data.get("period_end")
        if project and start and end and end >= start:
            if start > project.end_date or end < project.start_date:
                self.add_error("period_start", _("The period must overlap the project's duration."))
            elif start > timezone.localdate():
                self.add_error("period_start", _("A report can only cover a period that has already begun."))
        return data


@admin.register(ProgressReport)
class ProgressReportAdmin(ProjectScopedAdmin):
    list_display = (
        "project",
        "period_start",
        "period_end",
        "language",
        "version",
        "status",
        "requested_by",
        "created_at",
        "finished_at",
    )
    list_select_related = ("project", "requested_by")
    list_filter = ("status", "language", ("project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("project__acronym", "project__title", "requested_by__email")
    date_hierarchy = "created_at"
    autocomplete_fields = ("project", "requested_by")
    actions = ["request_new_version"]
    readonly_fields = (
        "status",
        "file",
        "sha256",
        "file_size",
        "page_count",
        "attempts",
        "error_message",
        "created_at",
        "started_at",
        "finished_at",
        "notified_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "project",
                    "period_start",
                    "period_end",
                    "language",
                    "version",
                    "requested_by",
                )
            },
        ),
        (
            _("Result"),
            {
                "fields": (
                    "status",
                    "file",
                    "sha256",
                    "file_size",
                    "page_count",
                    "attempts",
                    "error_message",
                    "notified_at",
                )
            },
        ),
        (_("Timestamps"), {"fields": ("created_at", "started_at", "finished_at")}),
    )

    def get_changeform_initial_data(self, request):
        # Whoever asks for a report is, unless they say otherwise, the one who requested it.
        return {"requested_by": request.user.pk, **super().get_changeform_initial_data(request)}

    def get_readonly_fields(self, request: HttpRequest, obj: ProgressReport | None = None):
        # A new report's version is the service's to number (the next free one).
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "version") if obj is None else fields

    def get_form(self, request: HttpRequest, obj: ProgressReport | None = None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            form = type("ProgressReportAddForm", (_AddForm, form), {})
        return form

    def save_model(self, request: HttpRequest, obj: ProgressReport, form, change: bool) -> None:
        """A new report goes through report_request, so it gets its version and its render task.

        Saved directly, the row would stay "queued" for ever: nothing would build it.
        """
        if change:
            super().save_model(request, obj, form, change)
            return
        report = report_request(
            project=obj.project,
            actor=request.user,
            period_start=obj.period_start,
            period_end=obj.period_end,
            language=obj.language,
        )
        # The admin goes on with the row the service made (history entry, redirect, message).
        obj.pk, obj.version, obj.status = report.pk, report.version, report.status
        obj.requested_by, obj.created_at = report.requested_by, report.created_at
        obj._state.adding, obj._state.db = False, report._state.db

    @admin.action(description=_("Request a new version"))
    def request_new_version(self, request: HttpRequest, queryset: QuerySet[ProgressReport]) -> None:
        """A new version of each selected report's period and language, through the service.

        The changelist is already scoped to the coordinator's projects; the service checks
        can_request_report again for each project.
        """
        requested, refused = 0, 0
        for report in queryset.select_related("project"):
            if not can_request_report(request.user, report.project):
                refused += 1
                continue
            try:
                report_request(
                    project=report.project,
                    actor=request.user,
                    period_start=report.period_start,
                    period_end=report.period_end,
                    language=report.language,
                )
            except (PermissionDenied, ValidationError) as error:
                refused += 1
                self.message_user(
                    request, f"{report}: {' '.join(getattr(error, 'messages', [str(error)]))}", messages.ERROR
                )
            else:
                requested += 1
        if requested:
            self.message_user(
                request,
                gettext("%(count)s new version(s) requested; they are built in the background.") % {"count": requested},
                messages.SUCCESS,
            )
        if refused and not requested:
            self.message_user(request, gettext("No new version was requested."), messages.WARNING)


@admin.register(ReportDownload)
class ReportDownloadAdmin(ProjectScopedAdmin):
    """The download log, read-only: written by the download views, never by hand."""

    list_display = ("at", "project", "user", "kind", "version", "outcome")
    list_select_related = ("project", "user")
    list_filter = ("kind", "outcome", ("project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("project__acronym", "user__email")
    date_hierarchy = "at"
    readonly_fields = ("project", "report", "version", "user", "kind", "outcome", "at")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ReportDownload | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ReportDownload | None = None) -> bool:
        # An audit log: only the platform admin may remove lines (e.g. on a person's request).
        return is_platform_admin(request.user)


# --- Reporting periods: shown here, worked on in the reporting workspace -------------------


class _ReadOnlyPeriodInline(ProjectScopedInline, admin.TabularInline):
    """A part of a reporting period, shown but not edited here.

    Steps are the sign-off trail, written only by the workflow services; texts and figures
    are entered in the reporting workspace, whose services keep the period's
    ``content_changed_at`` up to date (a version rendered before a change cannot be submitted).
    """

    parent_project_path = "project"
    project_path = "period__project"
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: ReportingPeriod | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ReportingPeriod | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ReportingPeriod | None = None) -> bool:
        return False


class ReportingStepInline(_ReadOnlyPeriodInline):
    model = ReportingStep
    fields = ("action", "actor", "at", "comment")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReportingStep]:
        return super().get_queryset(request).select_related("actor", "period__project")


class WorkPackageNarrativeInline(_ReadOnlyPeriodInline):
    model = WorkPackageNarrative
    fields = ("work_package", "activities", "results", "deviations", "risks", "updated_by", "updated_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkPackageNarrative]:
        return super().get_queryset(request).select_related("work_package", "updated_by", "period__project")


class IndicatorValueInline(_ReadOnlyPeriodInline):
    model = IndicatorValue
    fields = ("indicator", "value", "comment")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[IndicatorValue]:
        return super().get_queryset(request).select_related("indicator", "period__project")


class BudgetSpendInline(_ReadOnlyPeriodInline):
    model = BudgetSpend
    fields = ("budget_line", "amount")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[BudgetSpend]:
        return super().get_queryset(request).select_related("budget_line__organisation", "period__project")


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ProjectScopedAdmin):
    """Read-only: periods are opened, written and moved on in the workspace's period pages,
    through the workflow services (reports/services/workflow.py), which record every step and
    keep ``content_changed_at`` true. The admin shows them, and the platform admin may delete.
    """

    list_display = ("project", "period_start", "period_end", "status", "content_changed_at", "created_at")
    list_select_related = ("project",)
    list_filter = ("status", ("project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("project__acronym", "project__title")
    date_hierarchy = "period_end"
    autocomplete_fields = ("project",)
    fields = (
        "project",
        "period_start",
        "period_end",
        "status",
        "next_period_plan",
        "next_period_plan_de",
        "content_changed_at",
        "created_at",
    )
    readonly_fields = fields
    inlines = (ReportingStepInline, WorkPackageNarrativeInline, IndicatorValueInline, BudgetSpendInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ReportingPeriod | None = None) -> bool:
        # Its steps are the sign-off trail with the funder: only the platform admin removes one.
        return is_platform_admin(request.user)


# --- The parts of a reporting period on their own: shown, never edited here ------------------


class _ReadOnlyPeriodPartAdmin(ProjectScopedAdmin):
    """Steps come from the workflow services, texts and figures from the reporting workspace."""

    project_path = "period__project"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_platform_admin(request.user)


@admin.register(ReportingStep)
class ReportingStepAdmin(_ReadOnlyPeriodPartAdmin):
    list_display = ("period", "action", "actor", "at")
    list_select_related = ("period__project", "actor")
    list_filter = ("action", ("period__project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("period__project__acronym", "actor__email", "comment")
    date_hierarchy = "at"
    fields = ("period", "action", "actor", "at", "comment")
    readonly_fields = fields


@admin.register(WorkPackageNarrative)
class WorkPackageNarrativeAdmin(_ReadOnlyPeriodPartAdmin):
    list_display = ("__str__", "period", "work_package", "updated_by", "updated_at")
    list_select_related = ("period__project", "work_package", "updated_by")
    list_filter = (("period__project", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("period__project__acronym", "work_package__title", "activities", "activities_de")
    fields = (
        "period",
        "work_package",
        "activities",
        "activities_de",
        "results",
        "results_de",
        "deviations",
        "deviations_de",
        "risks",
        "risks_de",
        "updated_by",
        "updated_at",
    )
    readonly_fields = fields


@admin.register(IndicatorValue)
class IndicatorValueAdmin(_ReadOnlyPeriodPartAdmin):
    list_display = ("period", "indicator", "value", "comment")
    list_select_related = ("period__project", "indicator")
    list_filter = (("period__project", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("period__project__acronym", "indicator__code", "indicator__name")
    fields = ("period", "indicator", "value", "comment")
    readonly_fields = fields


@admin.register(BudgetSpend)
class BudgetSpendAdmin(_ReadOnlyPeriodPartAdmin):
    list_display = ("period", "budget_line", "amount")
    list_select_related = ("period__project", "budget_line__organisation")
    list_filter = (("period__project", admin.RelatedOnlyFieldListFilter), "budget_line__category")
    search_fields = ("period__project__acronym", "budget_line__organisation__name")
    fields = ("period", "budget_line", "amount")
    readonly_fields = fields
