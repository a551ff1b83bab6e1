"""Admin for progress reports.

The PDF, its hash, the status and the timestamps belong to the task that builds the
report, so they are shown here but not edited: a hand-set "done" without a file, or
a hash that does not match the file, would be worse than no report.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from projects.admin_scope import ProjectScopedAdmin

from .models import ProgressReport


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
    readonly_fields = (
        "status",
        "file",
        "sha256",
        "error_message",
        "created_at",
        "started_at",
        "finished_at",
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
        (_("Result"), {"fields": ("status", "file", "sha256", "error_message")}),
        (_("Timestamps"), {"fields": ("created_at", "started_at", "finished_at")}),
    )

    def get_changeform_initial_data(self, request):
        # Whoever asks for a report is, unless they say otherwise, the one who requested it.
        return {"requested_by": request.user.pk, **super().get_changeform_initial_data(request)}
