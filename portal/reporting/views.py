"""Progress reports in the browser: request and follow versions, download them, the audit
bundle and the download log; reporting periods and their sign-off (reports/services/workflow.py).

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
from django.utils.translation import gettext, gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from audit.models import AccessKind
from audit.services import personal_data_access_record
from portal.access import object_or_404, project_or_404
from portal.lazy_context import lazy_values
from projects.models import Project
from projects.permissions import can_view_project
from reports import selectors
from reports.bundle import bundle_download_serve
from reports.downloads import (
    ReportFileMissing,
    bundle_download_deny,
    report_download_deny,
    report_download_serve,
    report_file_name,
)
from reports.models import ProgressReport, ReportingPeriod, ReportingStep
from reports.permissions import (
    can_bundle_attendance_sheets,
    can_download_bundle,
    can_download_report,
    can_edit_narrative,
    can_edit_reporting_period,
    can_know_reporting_period,
    can_open_reporting_period,
    can_request_report,
    can_review_reporting_period,
    can_submit_reporting_period,
    can_view_download_log,
    can_view_project_reports,
    can_view_report,
    can_view_reporting_period,
    can_view_unsubmitted_reports,
)
from reports.services import workflow
from reports.services.requesting import report_request

from .forms import (
    AcknowledgeForm,
    BudgetSpendsForm,
    IndicatorValuesForm,
    NarrativeForm,
    PeriodOpenForm,
    PlanForm,
    ReportRequestForm,
    ReturnForm,
    SubmitForm,
)

# The narrative's texts as the read-only period page shows them, in the page's language.
NARRATIVE_LABELS = [
    ("activities", gettext_lazy("Activities")),
    ("results", gettext_lazy("Results")),
    ("deviations", gettext_lazy("Deviations")),
    ("risks", gettext_lazy("Risks and mitigation")),
]

# How often the page asks for the versions' status while one is queued or running (ms).
POLL_INTERVAL_MS = 4000
LOG_PAGE_SIZE = 50
# What the reports page's body shows (ProjectReportsView.get_context_data's page()).
REPORTS_PAGE_VALUES = (
    "reports",
    "in_progress",
    "versions_url",
    "poll_interval",
    "form",
    "period_form",
    "periods",
    "can_view_log",
    "can_download_bundle",
    "bundle_has_sheets",
)


def _project_for(request: HttpRequest, slug: str, allowed: Any, **kwargs: Any) -> Project:
    return project_or_404(
        request,
        slug,
        allowed=allowed,
        queryset=Project.objects.select_related("programme"),
        kept="project-row-programme",
        **kwargs,
    )


def _add_errors(form: Any, error: ValidationError) -> None:
    """A service's ValidationError, on the form: by field where the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def _versions_context(project: Project, user: Any) -> dict[str, Any]:
    reports = list(selectors.project_report_versions(project, user))
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

    def _period_form(self, data: Any = None) -> PeriodOpenForm | None:
        if not can_open_reporting_period(self.request.user, self.project):
            return None
        return PeriodOpenForm(data, project=self.project, prefix="open")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        # A POST's form with its errors: the page is rendered afresh, never kept.
        form, period_form = kwargs.pop("form", None), kwargs.pop("period_form", None)
        answered = form is not None or period_form is not None

        def page() -> dict[str, Any]:
            return {
                **_versions_context(self.project, user),
                "form": form if form is not None else self._form(),
                "period_form": period_form if period_form is not None else self._period_form(),
                "periods": list(selectors.visible_reporting_periods(user, self.project)),
                "can_view_log": can_view_download_log(user, self.project),
                "can_download_bundle": can_download_bundle(user, self.project),
                "bundle_has_sheets": can_bundle_attendance_sheets(user, self.project),
            }

        if answered:
            values = page()
            return super().get_context_data(
                **kwargs,
                **values,
                answered=True,
                has_errors=bool(
                    (values["form"] and values["form"].errors)
                    or (values["period_form"] and values["period_form"].errors)
                ),
            )
        # Everything below the heading is one fragment, the same for everybody with the same
        # roles (forms unbound, CSRF tokens put in per reader): read only when it is rendered.
        return super().get_context_data(
            **kwargs, project=self.project, answered=False, has_errors=False, **lazy_values(page, *REPORTS_PAGE_VALUES)
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
    return render(request, "reporting/_versions.html", _versions_context(project, request.user))


def report_pdf_response(request: HttpRequest, pk: int | None) -> FileResponse:
    """One report version's PDF as an attachment, logged; the browser's download and the API's.

    Looked up among all reports, so a refusal is logged too (reports/downloads.py); a 404
    then, as the person may not see the report. ``pk`` None: no such report."""
    report = object_or_404(
        request,
        lambda: ProgressReport.objects.select_related("project").get(pk=pk) if pk is not None else None,
        visible=can_view_report,
        on_refusal=lambda report: report_download_deny(report=report, user=request.user),
    )
    if not can_download_report(request.user, report):
        raise Http404  # not done (yet): nothing to hand out, nothing to log
    try:
        handle = report_download_serve(report=report, user=request.user)
    except ReportFileMissing as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=report_file_name(report), content_type="application/pdf")


class ReportDownloadView(LoginRequiredMixin, View):
    """One report version's PDF, streamed as an attachment and logged."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        return report_pdf_response(request, pk)


class BundleDownloadView(LoginRequiredMixin, View):
    """The project's audit zip (reports/bundle.py), streamed from a temporary file and logged."""

    def get(self, request: HttpRequest, slug: str) -> FileResponse:
        project = _project_for(
            request,
            slug,
            can_download_bundle,
            on_refusal=lambda project: bundle_download_deny(project=project, user=request.user),
        )
        include_attendance_sheets = can_bundle_attendance_sheets(request.user, project)
        bundle = bundle_download_serve(
            project=project,
            user=request.user,
            include_attendance_sheets=include_attendance_sheets,
            # Funder officers never see drafts: only the versions submitted to them.
            submitted_only=not can_view_unsubmitted_reports(request.user, project),
        )
        if include_attendance_sheets:
            # The sheets name the people of the project's past meetings: the access log of
            # personal data has it too (the download log says which bundle, this says whose data).
            personal_data_access_record(viewer=request.user, kind=AccessKind.AUDIT_BUNDLE, project_id=project.pk)
        return FileResponse(bundle.file, as_attachment=True, filename=bundle.filename, content_type="application/zip")


class DownloadLogView(LoginRequiredMixin, TemplateView):
    """Who downloaded the project's reports and bundles, and who was refused: for coordinators."""

    template_name = "reporting/download_log.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        project = _project_for(self.request, kwargs["slug"], can_view_download_log)
        page = Paginator(selectors.project_download_log(project), LOG_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(**kwargs, project=project, page=page, downloads=page.object_list)


class PeriodOpenView(ProjectReportsView):
    """POST only: open (or find) a reporting period, then go to its page; errors on the reports page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self._period_form(request.POST)
        if form is None:
            raise PermissionDenied  # funder officers answer periods, coordinators open them
        if form.is_valid():
            try:
                period = workflow.reporting_period_open(
                    project=self.project,
                    period_start=form.cleaned_data["period_start"],
                    period_end=form.cleaned_data["period_end"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return HttpResponseRedirect(_period_url(period))
        return self.render_to_response(self.get_context_data(period_form=form))


def _period_url(period: ReportingPeriod) -> str:
    return reverse("reporting:period", kwargs={"slug": period.project.slug, "pk": period.pk})


class ReportingPeriodView(LoginRequiredMixin, View):
    """One reporting period: its texts and figures, its versions and its sign-off trail.

    Each form posts ``action`` (narrative, indicators, budget, plan, submit, acknowledge,
    return); each action checks its own permission (403: the person sees the page) and
    calls one service; errors come back on the form, success redirects (POST-redirect-GET).
    """

    template_name = "reporting/period.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        project = project_or_404(request, kwargs["slug"], allowed=can_view_project)
        # 404 for whoever may not know the period exists (funders before it was submitted),
        # 403 for the project's partner staff who lead no work package.
        self.period = object_or_404(
            request,
            lambda: selectors.reporting_period_in(project, kwargs["pk"]),
            visible=can_know_reporting_period,
            allowed=can_view_reporting_period,
        )
        return super().dispatch(request, *args, **kwargs)

    def _data(self) -> dict[str, Any]:
        user, period = self.request.user, self.period
        packages = selectors.period_work_packages(period)
        indicators = selectors.period_indicators(period)
        budget_lines = selectors.period_budget_lines(period)
        versions = list(selectors.period_report_versions(period, user))
        steps = list(selectors.period_steps(period))
        return {
            "packages": packages,
            "indicators": indicators,
            "budget_lines": budget_lines,
            "versions": versions,
            "steps": steps,
        }

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._render(self._data())

    def _render(self, data: dict[str, Any], status: int = 200, **forms: Any) -> HttpResponse:
        user, period = self.request.user, self.period
        can_edit = can_edit_reporting_period(user, period)
        submittable = [
            report
            for report in data["versions"]
            if report.status == ProgressReport.Status.DONE and report.submitted_in_id is None
        ]
        narrative_forms = forms.get("narratives", {})
        packages = []
        for package in data["packages"]:
            form = None
            if can_edit_narrative(user, period, package):
                form = narrative_forms.get(package.pk) or NarrativeForm(
                    prefix=f"wp{package.pk}",
                    initial=_narrative_initial(package.narrative),
                )
            narrative = package.narrative
            texts = (
                [(label, narrative.text(name)) for name, label in NARRATIVE_LABELS]
                if narrative is not None and not narrative.is_empty
                else []
            )
            packages.append({"package": package, "narrative": narrative, "form": form, "texts": texts})
        returned = [step for step in data["steps"] if step.action == ReportingStep.Action.RETURNED]
        reviewing = can_review_reporting_period(user, period)
        context = {
            "project": period.project,
            "period": period,
            "packages": packages,
            "indicators": data["indicators"],
            "budget_lines": data["budget_lines"],
            "versions": data["versions"],
            "steps": data["steps"],
            "can_edit": can_edit,
            "indicator_form": forms.get("indicators")
            or (IndicatorValuesForm(indicators=data["indicators"]) if can_edit else None),
            "budget_form": forms.get("budget")
            or (BudgetSpendsForm(budget_lines=data["budget_lines"]) if can_edit else None),
            "plan_form": forms.get("plan")
            or (
                PlanForm(initial={"text": period.next_period_plan, "text_de": period.next_period_plan_de})
                if can_edit
                else None
            ),
            "submit_form": forms.get("submit")
            or (SubmitForm(versions=submittable) if can_submit_reporting_period(user, period) else None),
            "acknowledge_form": forms.get("acknowledge") or (AcknowledgeForm() if reviewing else None),
            "return_form": forms.get("return") or (ReturnForm() if reviewing else None),
            "funder_comments": returned[-1] if period.status == ReportingPeriod.Status.RETURNED and returned else None,
            "can_see_drafts": can_view_unsubmitted_reports(user, period.project_id),
            "reports_url": reverse("workspace:reports", kwargs={"slug": period.project.slug})
            if can_view_project_reports(user, period.project_id)
            else None,
        }
        return render(self.request, self.template_name, context, status=status)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        handler = getattr(self, f"_post_{request.POST.get('action', '')}", None)
        if handler is None:
            return HttpResponse(gettext("Unknown action."), status=400)
        data = self._data()
        result = handler(request, data)
        if isinstance(result, dict):  # a form with errors
            return self._render(data, **result)
        messages.success(request, result)
        return HttpResponseRedirect(_period_url(self.period))

    # Each handler returns the success message, or {form name: bound form with errors}.

    def _post_narrative(self, request: HttpRequest, data: dict[str, Any]) -> str | dict[str, Any]:
        package = next((p for p in data["packages"] if str(p.pk) == request.POST.get("work_package")), None)
        if package is None:
            raise Http404
        if not can_edit_narrative(request.user, self.period, package):
            raise PermissionDenied
        form = NarrativeForm(request.POST, prefix=f"wp{package.pk}")
        if form.is_valid():
            try:
                workflow.narrative_save(
                    period=self.period, work_package=package, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return gettext("The narrative of WP%(number)s was saved.") % {"number": package.number}
        return {"narratives": {package.pk: form}}

    def _post_indicators(self, request: HttpRequest, data: dict[str, Any]) -> str | dict[str, Any]:
        self._check(can_edit_reporting_period)
        form = IndicatorValuesForm(request.POST, indicators=data["indicators"])
        if form.is_valid():
            try:
                for indicator in form.indicators:
                    workflow.indicator_value_save(
                        period=self.period,
                        indicator=indicator,
                        value=form.cleaned_data[f"value_{indicator.pk}"],
                        comment=form.cleaned_data[f"comment_{indicator.pk}"],
                        actor=request.user,
                    )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return gettext("The indicator values were saved.")
        return {"indicators": form}

    def _post_budget(self, request: HttpRequest, data: dict[str, Any]) -> str | dict[str, Any]:
        self._check(can_edit_reporting_period)
        form = BudgetSpendsForm(request.POST, budget_lines=data["budget_lines"])
        if form.is_valid():
            try:
                for line in form.budget_lines:
                    workflow.budget_spend_save(
                        period=self.period,
                        budget_line=line,
                        amount=form.cleaned_data[f"amount_{line.pk}"],
                        actor=request.user,
                    )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return gettext("The amounts spent were saved.")
        return {"budget": form}

    def _post_plan(self, request: HttpRequest, data: dict[str, Any]) -> str | dict[str, Any]:
        self._check(can_edit_reporting_period)
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                workflow.next_period_plan_save(period=self.period, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return gettext("The plan for the next period was saved.")
        return {"plan": form}

    def _post_submit(self, request: HttpRequest, data: dict[str, Any]) -> str | dict[str, Any]:
        self._check(can_submit_reporting_period)
        form = SubmitForm(request.POST, versions=data["versions"])
        if form.is_valid():
            try:
                workflow.reporting_period_submit(
                    period=self.period,
                    reports=[form.versions[pk] for pk in form.cleaned_data["reports"]],
                    actor=request.user,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return gettext("The report was submitted to the funder.")
        return {"submit": form}

    def _post_acknowledge(self, request: HttpRequest, data: dict[str, Any]) -> str | dict[str, Any]:
        self._check(can_review_reporting_period)
        form = AcknowledgeForm(request.POST)
        if form.is_valid():
            try:
                workflow.reporting_period_acknowledge(
                    period=self.period, actor=request.user, comment=form.cleaned_data["comment"]
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return gettext("You acknowledged the report.")
        return {"acknowledge": form}

    def _post_return(self, request: HttpRequest, data: dict[str, Any]) -> str | dict[str, Any]:
        self._check(can_review_reporting_period)
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                workflow.reporting_period_return(
                    period=self.period, actor=request.user, comment=form.cleaned_data["comment"]
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return gettext("The report was returned to the coordinator with your comments.")
        return {"return": form}

    def _check(self, permission: Any) -> None:
        if not permission(self.request.user, self.period):
            raise PermissionDenied


def _narrative_initial(narrative: Any) -> dict[str, str]:
    if narrative is None:
        return {}
    return {name: getattr(narrative, name) for base in narrative.TEXTS for name in (base, f"{base}_de")}
