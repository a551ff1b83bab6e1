"""The workspace: a logged-in person's dashboard and the internal pages of their projects.

Views parse the request, ask the permission functions, call a selector or a service and
render. Refusals follow portal/access.py: 404 for people who may not see the object (a
URL does not reveal whether a private project exists), 403 for those who may.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from audit.models import AccessKind
from audit.services import personal_data_access_record
from events.models import Community, Meeting, Membership, Registration
from events.permissions import (
    can_change_community,
    can_check_in,
    can_create_community,
    can_create_meeting,
    can_decide_membership,
    can_manage_community,
    can_manage_meeting,
    can_view_community,
    can_view_community_statistics,
    can_view_meeting,
    can_view_membership_requests,
    memberships_by_community,
)
from events.services import (
    community_create,
    community_update,
    meeting_create,
    meeting_update,
    membership_approve,
    membership_reject,
)
from portal import fragments
from portal.access import object_or_404, project_or_404
from portal.lazy_context import lazy_values
from portal.permissions import can_use_admin, can_view_personal_data_access
from projects.models import Deliverable, Project, Update
from projects.permissions import (
    can_change_deliverable,
    can_change_update,
    can_create_deliverable,
    can_create_update,
    can_manage_project,
    can_plan_deliverable,
    can_view_deliverable,
    can_view_organisation_page,
    can_view_project,
    can_view_project_changes,
    can_view_project_figures,
    can_view_project_internal,
    can_view_update,
)
from projects.services import deliverable_create, deliverable_update, update_create, update_update
from projects.uploads import detect, extension_of
from reports.disclosure import Cell, people_group
from reports.models import ProgressReport, ReportingPeriod
from reports.permissions import can_view_project_reports
from reports.selectors import visible_reporting_periods

from . import selectors
from .forms import (
    CommunityForm,
    DeliverableCreateForm,
    DeliverableEditForm,
    DeliverableProgressForm,
    MeetingForm,
    UpdateForm,
)


def _add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names if the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def _report_label(status: str | None) -> str:
    return str(ProgressReport.Status(status).label) if status else ""


def _period_label(status: str | None) -> str:
    return str(ReportingPeriod.Status(status).label) if status else ""


def _sector_cells(sectors: list[Any]) -> dict[int, dict[str, Cell]]:
    """{row index: {column: cell}}: each column of a meeting's sector table is one group, whose
    total the meeting's row shows, so it gets secondary suppression."""
    cells: dict[int, dict[str, Cell]] = {index: {} for index in range(len(sectors))}
    for column in ("confirmed", "waitlisted", "attended"):
        group = people_group({index: getattr(sector, column) for index, sector in enumerate(sectors)})
        for index, shown in group.items():
            cells[index][column] = shown
    return cells


class DashboardView(LoginRequiredMixin, TemplateView):
    """One dashboard for everybody, a section per role, each answering "what do I do next?".

    Members: their next meetings, their communities' next meetings, meetings they can still
    register for, their places on waiting lists. Facilitators: requests to join and their
    communities' next meetings with their fill. Coordinators: per project the deadlines,
    the next meetings with their fill, requests to join, the reporting status and the
    outbox. Funder officers: per project the latest submitted report, key indicators and
    the next report due. A person with several roles sees several sections.
    """

    template_name = "workspace/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        # Who may see what: everything kept below is kept for everybody with this key.
        viewer = fragments.viewer_key(user)
        # The project cards are the same for everybody with the same roles, and their figures
        # aggregate every registration of a project: computed once per visibility and data version.
        projects = fragments.cached("dashboard-projects", (viewer,), lambda: _project_sections(user))
        managed = projects["managed"]
        # The person's own rows stay live: their memberships (their roles and statuses, read
        # for the viewer key anyway) and their registrations; their communities are kept.
        communities = fragments.cached(
            "dashboard-communities",
            (viewer,),
            lambda: selectors.membership_communities(list(memberships_by_community(user))),
        )
        memberships = selectors.own_memberships(user, communities)
        # The person's own rows, kept for them alone until a registration anywhere changes the
        # activity version (a place in line moves when somebody else cancels).
        registrations = fragments.cached(
            "dashboard-own-registrations", (user.pk,), lambda: list(selectors.dashboard_member_registrations(user))
        )
        active_ids = [m.community_id for m in memberships if m.status == Membership.Status.ACTIVE]
        # The communities' next meetings and what they open for registration depend on the
        # person's memberships and roles only, which the viewer key holds.
        community_meetings = fragments.cached(
            "dashboard-community-meetings",
            (viewer,),
            lambda: selectors.dashboard_community_meetings(user, active_ids),
        )
        open_meetings = fragments.cached(
            "dashboard-open-meetings", (viewer,), lambda: selectors.dashboard_open_meetings(user)
        )
        membership_rows = [
            {
                "membership": membership,
                "active": membership.status == Membership.Status.ACTIVE,
                # Facilitators decide requests to join; they see how many wait, members do not.
                "decides": can_manage_community(user, membership.community),
                "project_link": can_view_project(user, membership.community.project),
                "community_link": can_view_community(user, membership.community),
                "meetings": community_meetings.get(membership.community_id, []),
            }
            for membership in memberships
        ]
        admin_links = projects["admin_links"]
        open_registrations = selectors.dashboard_open_registrations(
            open_meetings, {r.meeting_id for r in registrations}
        )
        return super().get_context_data(
            **kwargs,
            managed=managed,
            staffed=projects["staffed"],
            funded=projects["funded"],
            attention=projects["attention"],
            # Mails are sent for the whole portal; see selectors.outbox_figures for why not per project.
            # At most PORTAL_FRAGMENT_CACHE_SECONDS old: the worker's deliveries bump no version.
            outbox=fragments.cached("outbox-figures", (), selectors.outbox_figures) if managed else None,
            outbox_admin=admin_links and getattr(user, "is_superuser", False),
            memberships=membership_rows,
            facilitated=[row for row in membership_rows if row["decides"] and row["active"]],
            registrations=[
                {
                    "registration": registration,
                    "meeting_link": can_view_meeting(user, registration.meeting),
                    "project_link": can_view_project(user, registration.meeting.project),
                }
                for registration in registrations
            ],
            waitlisted=[r for r in registrations if r.status == Registration.Status.WAITLISTED],
            open_registrations=open_registrations,
            # The open meetings' part of the page is kept per list of meetings shown.
            open_ids=[meeting.pk for meeting in open_registrations],
            has_anything=bool(managed or projects["staffed"] or projects["funded"] or memberships or registrations),
            today=timezone.localdate(),
        )


def _project_sections(user: Any) -> dict[str, Any]:
    """The dashboard's project cards by role, with their figures and the viewer's links.

    Everything here follows from the person's roles (fragments.viewer_key), never from who
    they are: the dashboard keeps it for everybody with the same roles.
    """
    managed = list(selectors.dashboard_managed_projects(user))
    staffed = list(selectors.dashboard_staffed_projects(user))
    funded = list(selectors.dashboard_funded_projects(user))
    # The Django admin is for staff accounts; coordinators without one get no dead links.
    admin_links = can_use_admin(user)
    managed_ids = [p.pk for p in managed]
    deadlines = selectors.dashboard_deadlines(managed_ids)
    project_meetings = selectors.dashboard_project_meetings(managed_ids)
    indicators = selectors.dashboard_indicators(funded)

    def row(project: Project, **extra: Any) -> dict[str, Any]:
        return {
            "project": project,
            "reports": can_view_project_reports(user, project),
            "latest_report": _report_label(project.latest_report_status),
            "period_status": _period_label(getattr(project, "latest_period_status", None)),
            **extra,
        }

    return {
        "managed": [
            row(
                p,
                admin_links=admin_links and can_manage_project(user, p.pk),
                requests=can_view_membership_requests(user, p),
                can_create_meeting=can_create_meeting(user, p),
                can_create_deliverable=can_create_deliverable(user, p),
                deadlines=deadlines.get(p.pk, []),
                meetings=project_meetings.get(p.pk, []),
            )
            for p in managed
        ],
        "staffed": [row(p) for p in staffed],
        "funded": [
            row(p, indicators=indicators.get(p.pk, []), next_report_due=selectors.next_report_due(p)) for p in funded
        ],
        # Across every project the person coordinates: what needs doing first.
        "attention": {
            "late": sum(p.deliverables_late for p in managed),
            "due_soon": sum(p.due_soon_count for p in managed),
            "meetings": sum(p.upcoming_meeting_count for p in managed),
            "requests": sum(p.pending_request_count for p in managed),
            "due_soon_days": selectors.DUE_SOON_DAYS,
            "deadline_days": selectors.DEADLINE_DAYS,
        },
        "admin_links": admin_links,
    }


def _project_page(user: Any, project: Project) -> dict[str, Any]:
    """What the body of a project's workspace page shows (a fragment: the same for everybody
    with the same roles), with what each row allows this viewer to do."""
    today = timezone.localdate()
    project = selectors.workspace_projects().get(pk=project.pk)
    all_deliverables = list(selectors.project_deliverables(project))
    deliverables = [
        {"deliverable": d, "late": d.is_late_on(today), "can_edit": can_change_deliverable(user, d)}
        for d in all_deliverables
    ]
    reports_allowed = can_view_project_reports(user, project)
    reports = list(selectors.project_reports(user, project)[: selectors.LATEST_REPORTS]) if reports_allowed else []
    communities = list(selectors.community_figures(project))
    meetings = selectors.meeting_figures(project)
    internal = can_view_project_internal(user, project)
    consortium = list(selectors.consortium(project))
    # Partner staff who lead a work package write its narrative on the period pages; they
    # do not read the reports page, so the periods are listed here for them.
    reporting_periods = list(visible_reporting_periods(user, project)) if internal and not reports_allowed else []
    # The consortium sees exact counts of people; a funder's officer sees 1 to 4 as "< 5"
    # (reports/disclosure.py), with each meeting's sectors suppressed as one group.
    exact_counts = internal
    return {
        # With its programme, funder and consortium figures, for the facts and the consortium.
        "facts_project": project,
        "reporting_periods": reporting_periods,
        "exact_counts": exact_counts,
        "consortium": consortium,
        # The partners' pages open for whoever sees this project: leads link to them.
        "consortium_ids": {participation.organisation_id for participation in consortium},
        "work_packages": selectors.work_packages(project),
        "deliverables": deliverables,
        "late_count": sum(1 for row in deliverables if row["late"]),
        "deadlines": selectors.deadlines(all_deliverables, today),
        # A deliverable's page is its form: the deadlines link to it where the viewer may edit.
        "editable_deliverable_ids": {row["deliverable"].pk for row in deliverables if row["can_edit"]},
        "due_soon_days": selectors.DUE_SOON_DAYS,
        "upcoming": [
            {"meeting": m, "can_edit": can_manage_meeting(user, m)} for m in selectors.upcoming_meetings(project)
        ],
        "meetings": meetings,
        "meeting_rows": [
            {
                "figures": row,
                "can_edit": can_manage_meeting(user, row.meeting),
                "can_check_in": can_check_in(user, row.meeting),
                "sector_cells": None if exact_counts else _sector_cells(row.by_sector),
            }
            for row in meetings
        ],
        "communities": communities,
        "community_rows": [
            {
                "community": c,
                "can_edit": can_change_community(user, c),
                "can_view_statistics": can_view_community_statistics(user, c),
            }
            for c in communities
        ],
        "pending_request_count": sum(
            c.pending_member_count for c in communities if c.membership_policy == Community.Policy.APPROVAL
        ),
        "can_view_requests": can_view_membership_requests(user, project),
        "can_view_changes": can_view_project_changes(user, project),
        # Updates that are not public are internal; funders read the public ones on the project's page.
        "updates": (
            [{"update": u, "can_edit": can_change_update(user, u)} for u in selectors.project_updates(project)]
            if internal
            else None
        ),
        "can_view_reports": reports_allowed,
        "reports": reports,
        "latest_report": reports[0] if reports else None,
        "can_create_meeting": can_create_meeting(user, project),
        "can_create_deliverable": can_create_deliverable(user, project),
        "can_create_update": can_create_update(user, project),
        "can_create_community": can_create_community(user, project),
        # The access log of personal data (portal/access_log): the coordinators.
        "can_view_access_log": can_view_personal_data_access(user, project),
        "today": today,
    }


# The names _project_page gives the template.
PROJECT_PAGE_VALUES = (
    "facts_project",
    "reporting_periods",
    "exact_counts",
    "consortium",
    "consortium_ids",
    "work_packages",
    "deliverables",
    "late_count",
    "deadlines",
    "editable_deliverable_ids",
    "due_soon_days",
    "upcoming",
    "meetings",
    "meeting_rows",
    "communities",
    "community_rows",
    "pending_request_count",
    "can_view_requests",
    "can_view_changes",
    "updates",
    "can_view_reports",
    "reports",
    "latest_report",
    "can_create_meeting",
    "can_create_deliverable",
    "can_create_update",
    "can_create_community",
    "can_view_access_log",
    "today",
)


class ProjectWorkspaceView(LoginRequiredMixin, TemplateView):
    """A project's internal page: facts, consortium, deliverables and figures, never names.

    It opens with what needs attention: late deliverables and those due soon, upcoming
    meetings with their registrations, requests to join the communities (a count; the
    names are on the requests page, for the people who decide them) and the latest
    progress report.
    """

    template_name = "workspace/project.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        # The bare project: the facts and the consortium's figures are read with the body.
        project = project_or_404(self.request, kwargs["slug"], allowed=can_view_project_figures)
        # The page's body is one fragment (same for everybody with the same roles): its data
        # is read only when the fragment is rendered, never on a hit.
        return super().get_context_data(
            **kwargs,
            project=project,
            **lazy_values(lambda: _project_page(user, project), *PROJECT_PAGE_VALUES),
        )


# --- Requests to join a community -------------------------------------------------------


class MembershipRequestsView(LoginRequiredMixin, TemplateView):
    """People waiting to join the project's communities, by name, for those who decide."""

    template_name = "workspace/membership_requests.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        project = project_or_404(
            self.request,
            kwargs["slug"],
            allowed=can_view_membership_requests,
            queryset=selectors.workspace_projects(),
            kept="workspace-project-row",
        )
        requests = list(selectors.membership_requests(self.request.user, project))
        personal_data_access_record(
            viewer=self.request.user,
            kind=AccessKind.MEMBERSHIP_REQUESTS,
            project_id=project.pk,
            people=len(requests),
        )
        return super().get_context_data(
            **kwargs,
            project=project,
            requests=requests,
            # The breadcrumb leads to the project's page only for those who may open it.
            can_view_project=can_view_project_figures(self.request.user, project),
        )


class _MembershipDecisionView(LoginRequiredMixin, View):
    """Approve or reject one request; a POST from the requests page, which it returns to.

    Deciding twice (a double click, two facilitators at once) changes nothing the second
    time and says so: the service locks the row and acts only on a pending request.
    """

    http_method_names = ["post"]
    decide: Callable[..., Any]  # membership_approve or membership_reject
    done_message: str

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        membership = object_or_404(
            request,
            lambda: Membership.objects.select_related("user", "community", "community__project").get(pk=pk),
            # A request has no page of its own: it is as visible as its community.
            visible=lambda user, membership: can_view_community(user, membership.community),
            allowed=can_decide_membership,
        )
        project = membership.community.project
        try:
            decision = self.decide(membership=membership, actor=request.user)
        except Membership.DoesNotExist:
            messages.info(request, gettext("This request no longer exists."))
        else:
            names = {
                "person": membership.user.get_full_name() or membership.user.email,
                "community": membership.community.display_name,
            }
            if decision.changed:
                messages.success(request, self.done_message % names)
            else:
                messages.info(
                    request,
                    gettext("The request of %(person)s was already decided: %(status)s.")
                    % {**names, "status": decision.membership.get_status_display()},
                )
        return HttpResponseRedirect(reverse("workspace:membership_requests", kwargs={"slug": project.slug}))


class MembershipApproveView(_MembershipDecisionView):
    decide = staticmethod(membership_approve)
    done_message = _("%(person)s is now a member of %(community)s.")


class MembershipRejectView(_MembershipDecisionView):
    decide = staticmethod(membership_reject)
    done_message = _("The request of %(person)s to join %(community)s was turned down.")


# --- Forms: create and edit ---------------------------------------------------------------


class _WorkspaceFormView(LoginRequiredMixin, FormView):
    """A create or edit form of the workspace.

    ``load`` finds the object or project and checks the permission (404/403) before
    anything else; ``save`` calls the service, whose ValidationError (the model's rules,
    a race lost to a constraint) comes back onto the form instead of an error page.
    """

    template_name = "workspace/form_page.html"
    project: Project
    anchor = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs: Any) -> None:
        raise NotImplementedError

    def save(self, form: Any) -> Any:
        raise NotImplementedError

    def heading(self) -> str:
        raise NotImplementedError

    def saved_message(self, obj: Any) -> str:
        raise NotImplementedError

    def project_url(self) -> str:
        return reverse("workspace:project", kwargs={"slug": self.project.slug}) + self.anchor

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            **kwargs,
            project=self.project,
            heading=self.heading(),
            cancel_url=self.project_url(),
            can_view_project=can_view_project_figures(self.request.user, self.project),
        )

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            saved = self.save(form)
        except ValidationError as error:
            _add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.saved_message(saved))
        return HttpResponseRedirect(self.project_url())


class _ProjectCreateView(_WorkspaceFormView):
    """A new object of the project at /workspace/projects/<slug>/…/new/."""

    allowed: Callable[[Any, Project], bool]

    def load(self, **kwargs: Any) -> None:
        self.project = project_or_404(
            self.request,
            kwargs["slug"],
            allowed=type(self).allowed,
            queryset=selectors.workspace_projects(),
            kept="workspace-project-row",
        )


# Meetings


class MeetingCreateView(_ProjectCreateView):
    form_class = MeetingForm
    allowed = staticmethod(can_create_meeting)
    anchor = "#meetings"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "communities": selectors.meeting_communities(self.request.user, self.project),
            "with_status": False,
        }

    def heading(self) -> str:
        return gettext("New meeting")

    def save(self, form: MeetingForm) -> Meeting:
        return meeting_create(project=self.project, actor=self.request.user, details=form.details)

    def saved_message(self, obj: Meeting) -> str:
        return gettext("The meeting “%(title)s” was scheduled.") % {"title": obj.display_title}


class MeetingEditView(_WorkspaceFormView):
    form_class = MeetingForm
    anchor = "#meetings"

    def load(self, **kwargs: Any) -> None:
        self.meeting = object_or_404(
            self.request,
            lambda: Meeting.objects.select_related("project", "community").get(pk=kwargs["pk"]),
            visible=can_view_meeting,
            allowed=can_manage_meeting,
        )
        self.project = self.meeting.project

    def get_initial(self) -> dict[str, Any]:
        return MeetingForm.initial_for(self.meeting)

    def get_form_kwargs(self) -> dict[str, Any]:
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "communities": selectors.meeting_communities(user, self.project),
            # Facilitators manage the meetings of their communities, not the project's own.
            "community_required": not can_manage_project(user, self.project.pk),
        }

    def heading(self) -> str:
        return gettext("Edit meeting")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs, subject=self.meeting.display_title)

    def project_url(self) -> str:
        if can_view_project_figures(self.request.user, self.project):
            return super().project_url()
        # A facilitator has no project page; their dashboard lists their communities.
        return reverse("workspace:dashboard")

    def save(self, form: MeetingForm) -> Meeting:
        return meeting_update(meeting=self.meeting, actor=self.request.user, details=form.details)

    def saved_message(self, obj: Meeting) -> str:
        return gettext("The meeting “%(title)s” was saved.") % {"title": obj.display_title}


# Deliverables


class DeliverableCreateView(_ProjectCreateView):
    form_class = DeliverableCreateForm
    allowed = staticmethod(can_create_deliverable)
    anchor = "#deliverables"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "work_packages": selectors.project_work_packages(self.project),
            "organisations": selectors.consortium_organisations(self.project),
            "project_end": self.project.end_date,
        }

    def heading(self) -> str:
        return gettext("New deliverable")

    def save(self, form: DeliverableCreateForm) -> Deliverable:
        return deliverable_create(
            project=self.project, user=self.request.user, plan=form.plan, description=form.cleaned_data["description"]
        )

    def saved_message(self, obj: Deliverable) -> str:
        return gettext("The deliverable %(code)s was added.") % {"code": obj.code}


class DeliverableEditView(LoginRequiredMixin, FormView):
    """One deliverable: its progress for the staff of its lead organisation, and its plan
    (code, title, due date, lead, …) as well for the coordinators."""

    template_name = "workspace/deliverable_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        deliverable = object_or_404(
            request,
            lambda: Deliverable.objects.select_related("project", "work_package", "lead_organisation").get(
                pk=kwargs["pk"]
            ),
            visible=can_view_deliverable,
            allowed=can_change_deliverable,
        )
        self.deliverable = deliverable
        self.plans = can_plan_deliverable(request.user, deliverable)
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self) -> type[DeliverableProgressForm]:
        return DeliverableEditForm if self.plans else DeliverableProgressForm

    def get_initial(self) -> dict[str, Any]:
        return self.get_form_class().initial_for(self.deliverable)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = {**super().get_form_kwargs(), "has_file": bool(self.deliverable.file)}
        if self.plans:
            project = self.deliverable.project
            kwargs["work_packages"] = selectors.project_work_packages(project)
            kwargs["organisations"] = selectors.consortium_organisations(
                project, also=self.deliverable.lead_organisation_id
            )
            kwargs["project_end"] = project.end_date
            kwargs["current_due_date"] = self.deliverable.due_date
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        lead = self.deliverable.lead_organisation
        return super().get_context_data(
            **kwargs,
            deliverable=self.deliverable,
            project=self.deliverable.project,
            lead_page_visible=bool(lead) and can_view_organisation_page(self.request.user, lead),
            current_file=self.deliverable.file.name.rsplit("/", 1)[-1] if self.deliverable.file else "",
        )

    def form_valid(self, form: DeliverableProgressForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            saved = deliverable_update(
                deliverable=self.deliverable,
                user=self.request.user,
                status=data["status"],
                submitted_on=data["submitted_on"],
                url=data["url"],
                description=data["description"],
                file=form.new_file,
                remove_file=form.remove_current_file,
                plan=form.plan if self.plans else None,
            )
        except ValidationError as error:
            # Rules the form cannot see (the model's own checks) still end up on the form.
            _add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, gettext("The deliverable %(code)s was saved.") % {"code": saved.code})
        return HttpResponseRedirect(
            reverse("workspace:project", kwargs={"slug": self.deliverable.project.slug}) + "#deliverables"
        )


# Updates


class UpdateCreateView(_ProjectCreateView):
    form_class = UpdateForm
    allowed = staticmethod(can_create_update)
    anchor = "#updates"

    def get_initial(self) -> dict[str, Any]:
        return {"published_on": timezone.localdate()}

    def heading(self) -> str:
        return gettext("New update")

    def save(self, form: UpdateForm) -> Update:
        return update_create(project=self.project, user=self.request.user, details=form.details)

    def saved_message(self, obj: Update) -> str:
        return gettext("The update “%(title)s” was published.") % {"title": obj.display_title}


class UpdateEditView(_WorkspaceFormView):
    form_class = UpdateForm
    anchor = "#updates"

    def load(self, **kwargs: Any) -> None:
        self.update = object_or_404(
            self.request,
            lambda: Update.objects.select_related("project").get(pk=kwargs["pk"]),
            visible=can_view_update,
            allowed=can_change_update,
        )
        self.project = self.update.project

    def get_initial(self) -> dict[str, Any]:
        return UpdateForm.initial_for(self.update)

    def heading(self) -> str:
        return gettext("Edit update")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs, subject=self.update.display_title)

    def save(self, form: UpdateForm) -> Update:
        return update_update(update=self.update, user=self.request.user, details=form.details)

    def saved_message(self, obj: Update) -> str:
        return gettext("The update “%(title)s” was saved.") % {"title": obj.display_title}


# Communities


class CommunityCreateView(_ProjectCreateView):
    form_class = CommunityForm
    allowed = staticmethod(can_create_community)
    anchor = "#communities"

    def heading(self) -> str:
        return gettext("New Community of Practice")

    def save(self, form: CommunityForm) -> Community:
        return community_create(
            project=self.project, actor=self.request.user, details=form.details, slug=form.cleaned_data["slug"]
        )

    def saved_message(self, obj: Community) -> str:
        return gettext("The community “%(name)s” was founded.") % {"name": obj.display_name}


class CommunityEditView(_WorkspaceFormView):
    form_class = CommunityForm
    anchor = "#communities"

    def load(self, **kwargs: Any) -> None:
        self.community = object_or_404(
            self.request,
            lambda: Community.objects.select_related("project").get(slug=kwargs["slug"]),
            visible=can_view_community,
            allowed=can_change_community,
        )
        self.project = self.community.project

    def get_initial(self) -> dict[str, Any]:
        return CommunityForm.initial_for(self.community)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "with_slug": False}

    def heading(self) -> str:
        return gettext("Edit community")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs, subject=self.community.display_name)

    def save(self, form: CommunityForm) -> Community:
        return community_update(community=self.community, actor=self.request.user, details=form.details)

    def saved_message(self, obj: Community) -> str:
        return gettext("The community “%(name)s” was saved.") % {"name": obj.display_name}


class DeliverableFileView(View):
    """A deliverable's uploaded file, after the permission check.

    Uploads are never served from a public media URL: a sensitive deliverable's file
    would otherwise be one guessed path away from anybody.
    """

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        deliverable = object_or_404(
            request, lambda: Deliverable.objects.select_related("project").get(pk=pk), visible=can_view_deliverable
        )
        if not deliverable.file:
            raise Http404
        try:
            handle = deliverable.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        name = deliverable.file.name.rsplit("/", 1)[-1]
        # The type comes from the bytes, not the stored name; a file from before the type check
        # that is none of the allowed kinds goes out as bare bytes. Always a download, and
        # nosniff so no browser guesses "HTML" and renders it in the portal's origin.
        detected = detect(handle)
        content_type = detected.content_type(extension_of(name)) if detected else "application/octet-stream"
        response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response
