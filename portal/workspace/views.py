"""The workspace: a logged-in person's dashboard and the internal pages of their projects.

Views parse the request, ask the permission functions, call a selector or a service and
render. Pages about one project answer 404, not 403, to people who may not see its
internals, so a URL does not reveal whether a private project exists.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views import View
from django.views.generic import FormView, TemplateView

from projects.models import Deliverable, Project
from projects.permissions import (
    can_change_deliverable,
    can_view_deliverable,
    can_manage_project,
    can_view_project_figures,
    can_view_project_internal,
)
from projects.services import deliverable_update
from reports.permissions import can_view_project_reports

from portal.permissions import can_use_admin

from . import selectors
from .forms import DeliverableProgressForm


def _project_with_figures_or_404(request: HttpRequest, slug: str) -> Project:
    project = get_object_or_404(selectors.workspace_projects(), slug=slug)
    if not can_view_project_figures(request.user, project):
        raise Http404
    return project


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "workspace/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        managed = list(selectors.dashboard_managed_projects(user))
        staffed = list(selectors.dashboard_staffed_projects(user))
        funded = list(selectors.dashboard_funded_projects(user))
        memberships = list(selectors.own_memberships(user))
        registrations = list(selectors.upcoming_own_registrations(user))
        # The Django admin is for staff accounts; coordinators without one get no dead links.
        admin_links = can_use_admin(user)
        return super().get_context_data(
            **kwargs,
            managed=[
                {"project": p, "admin_links": admin_links and can_manage_project(user, p.pk),
                 "reports": can_view_project_reports(user, p)}
                for p in managed
            ],
            staffed=[{"project": p, "reports": can_view_project_reports(user, p)} for p in staffed],
            funded=[{"project": p, "reports": can_view_project_reports(user, p)} for p in funded],
            memberships=memberships,
            registrations=registrations,
            has_anything=bool(managed or staffed or funded or memberships or registrations),
            today=timezone.localdate(),
        )


class ProjectWorkspaceView(LoginRequiredMixin, TemplateView):
    """A project's internal page: facts, consortium, deliverables and figures, never names."""

    template_name = "workspace/project.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        project = _project_with_figures_or_404(self.request, kwargs["slug"])
        today = timezone.localdate()
        deliverables = [
            {"deliverable": d, "late": d.is_late_on(today), "can_edit": can_change_deliverable(user, d)}
            for d in selectors.project_deliverables(project)
        ]
        reports_allowed = can_view_project_reports(user, project)
        return super().get_context_data(
            **kwargs,
            project=project,
            consortium=selectors.consortium(project),
            work_packages=selectors.work_packages(project),
            deliverables=deliverables,
            late_count=sum(1 for row in deliverables if row["late"]),
            meetings=selectors.meeting_figures(project),
            communities=selectors.community_figures(project),
            can_view_reports=reports_allowed,
            reports=list(selectors.project_reports(user, project)[: selectors.LATEST_REPORTS]) if reports_allowed else [],
            today=today,
        )


class DeliverableEditView(LoginRequiredMixin, FormView):
    """Progress of one deliverable, for the coordinators and the staff of its lead organisation."""

    template_name = "workspace/deliverable_form.html"
    form_class = DeliverableProgressForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        deliverable = get_object_or_404(
            Deliverable.objects.select_related("project", "work_package", "lead_organisation"), pk=kwargs["pk"]
        )
        if not can_view_project_internal(request.user, deliverable.project):
            raise Http404
        if not can_change_deliverable(request.user, deliverable):
            # They can see the deliverable on the project's page, so a 403 reveals nothing new.
            raise PermissionDenied
        self.deliverable = deliverable
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return DeliverableProgressForm.initial_for(self.deliverable)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "has_file": bool(self.deliverable.file)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            **kwargs,
            deliverable=self.deliverable,
            project=self.deliverable.project,
            current_file=self.deliverable.file.name.rsplit("/", 1)[-1] if self.deliverable.file else "",
        )

    def form_valid(self, form: DeliverableProgressForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            deliverable_update(
                deliverable=self.deliverable,
                user=self.request.user,
                status=data["status"],
                submitted_on=data["submitted_on"],
                url=data["url"],
                description=data["description"],
                file=form.new_file,
                remove_file=form.remove_current_file,
            )
        except ValidationError as error:
            # Rules the form cannot see (the model's own checks) still end up on the form.
            if not hasattr(error, "error_dict"):
                form.add_error(None, error)
            for field, field_messages in getattr(error, "error_dict", {}).items():
                form.add_error(field if field in form.fields else None, field_messages)
            return self.form_invalid(form)
        messages.success(self.request, gettext("The deliverable %(code)s was saved.") % {"code": self.deliverable.code})
        return HttpResponseRedirect(
            reverse("workspace:project", kwargs={"slug": self.deliverable.project.slug}) + "#deliverables"
        )


class ProjectReportsView(LoginRequiredMixin, TemplateView):
    """The project's progress reports, for its coordinators and funder officers."""

    template_name = "workspace/reports.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        project = _project_with_figures_or_404(self.request, kwargs["slug"])
        if not can_view_project_reports(self.request.user, project):
            # Partner staff know the project; its reports are for the funder and the coordinators.
            raise PermissionDenied
        return super().get_context_data(
            **kwargs, project=project, reports=selectors.project_reports(self.request.user, project)
        )


class DeliverableFileView(View):
    """A deliverable's uploaded file, after the permission check.

    Uploads are never served from a public media URL: a sensitive deliverable's file
    would otherwise be one guessed path away from anybody.
    """

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        deliverable = get_object_or_404(Deliverable.objects.select_related("project"), pk=pk)
        if not deliverable.file or not can_view_deliverable(request.user, deliverable):
            raise Http404
        try:
            handle = deliverable.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=deliverable.file.name.rsplit("/", 1)[-1])
