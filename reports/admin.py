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

from projects.admin_scope import ProjectScopedAdmin
from projects.permissions import is_platform_admin

from .models import ProgressReport, ReportDownload
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
