"""Progress reports in the browser: request and follow versions, download them, the audit
bundle and the download log.

Refusals follow portal/access.py: a project's report pages answer 404 to people who may
not see the project and 403 to those who may (its partner staff, who do not read its
reports). Report files never have a public URL: the download views stream
them after the permission check and write every download to the log
(reports/downloads.py, which also says why refusals are logged).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from portal.access import object_or_404, project_or_404
from projects.models import Project
from reports import selectors
from reports.bundle import bundle_download_serve
from reports.downloads import (
    ReportFileMissing,
    bundle_download_deny,
    report_download_deny,
    report_download_serve,
    report_file_name,
)
from reports.models import ProgressReport
from reports.permissions import (
    can_bundle_attendance_sheets,
    can_download_bundle,
    can_download_report,
    can_request_report,
    can_view_download_log,
    can_view_project_reports,
    can_view_report,
)
from reports.services.requesting import report_request

from .forms import ReportRequestForm

# How often the page asks for the versions' status while one is queued or running (ms).
POLL_INTERVAL_MS = 4000
LOG_PAGE_SIZE = 50


def _project_for(request: HttpRequest, slug: str, allowed: Any, **kwargs: Any) -> Project:
    return project_or_404(
        request, slug, allowed=allowed, queryset=Project.objects.select_related("programme"), **kwargs
    )


def _versions_context(project: Project) -> dict[str, Any]:
    reports = list(selectors.project_report_versions(project))
    in_progress = any(
        report.status in (ProgressReport.Status.QUEUED, ProgressReport.Status.RUNNING) for report in reports
    )
    return {
        "project": project,
        "reports": reports,
        "in_progress": in_progress,
        "versions_url": reverse("reporting:versions", kwargs={"slug": project.slug}),
        "poll_interval": POLL_INTERVAL_MS,
    }


class ProjectReportsView(LoginRequiredMixin, TemplateView):
    """The project's reports: every version with its status and hash, and the request form."""

    template_name = "reporting/reports.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.project = _project_for(request, kwargs["slug"], can_view_project_reports)
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data: Any = None) -> ReportRequestForm | None:
        if not can_request_report(self.request.user, self.project):
            return None
        return ReportRequestForm(data, project=self.project)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        kwargs.setdefault("form", self._form())
        return super().get_context_data(
            **kwargs,
            **_versions_context(self.project),
            can_view_log=can_view_download_log(user, self.project),
            can_download_bundle=can_download_bundle(user, self.project),
            bundle_has_sheets=can_bundle_attendance_sheets(user, self.project),
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self._form(request.POST)
        if form is None:
            raise PermissionDenied  # funder officers read reports, coordinators request them
        if form.is_valid():
            try:
                report = report_request(
                    project=self.project,
                    actor=request.user,
                    period_start=form.cleaned_data["period_start"],
                    period_end=form.cleaned_data["period_end"],
                    language=form.cleaned_data["language"],
                )
            except ValidationError as error:
                for field, field_messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, field_messages)
            else:
                messages.success(
                    request,
                    gettext("Version %(version)s of the report was requested. This page shows when it is ready.")
                    % {"version": report.version},
                )
                return HttpResponseRedirect(reverse("workspace:reports", kwargs={"slug": self.project.slug}))
        return self.render_to_response(self.get_context_data(form=form))


@never_cache
@login_required
def report_versions(request: HttpRequest, slug: str) -> HttpResponse:
    """The versions table alone, which the reports page polls while a version is in progress."""
    project = _project_for(request, slug, can_view_project_reports)
    return render(request, "reporting/_versions.html", _versions_context(project))


class ReportDownloadView(LoginRequiredMixin, View):
    """One report version's PDF, streamed as an attachment and logged."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        report = object_or_404(
            request,
            lambda: ProgressReport.objects.select_related("project").get(pk=pk),
            visible=can_view_report,
            # Logged as refused (reports/downloads.py); a 404, as the person may not see the report.
            on_refusal=lambda report: report_download_deny(report=report, user=request.user),
        )
        if not can_download_report(request.user, report):
            raise Http404  # not done (yet): nothing to hand out, nothing to log
        try:
            handle = report_download_serve(report=report, user=request.user)
        except ReportFileMissing as exc:
            raise Http404 from exc
        return FileResponse(
            handle, as_attachment=True, filename=report_file_name(report), content_type="application/pdf"
        )


class BundleDownloadView(LoginRequiredMixin, View):
    """The project's audit zip (reports/bundle.py), streamed from a temporary file and logged."""

    def get(self, request: HttpRequest, slug: str) -> FileResponse:
        project = _project_for(
            request,
            slug,
            can_download_bundle,
            on_refusal=lambda project: bundle_download_deny(project=project, user=request.user),
        )
        bundle = bundle_download_serve(
            project=project,
            user=request.user,
            include_attendance_sheets=can_bundle_attendance_sheets(request.user, project),
        )
        return FileResponse(bundle.file, as_attachment=True, filename=bundle.filename, content_type="application/zip")


class DownloadLogView(LoginRequiredMixin, TemplateView):
    """Who downloaded the project's reports and bundles, and who was refused: for coordinators."""

    template_name = "reporting/download_log.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        project = _project_for(self.request, kwargs["slug"], can_view_download_log)
        page = Paginator(selectors.project_download_log(project), LOG_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(**kwargs, project=project, page=page, downloads=page.object_list)
