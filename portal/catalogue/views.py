"""The public project catalogue and each project's public page.

Views parse the request, ask the permission functions, call a selector and render. A
project the visitor may not see answers 404, not 403, so a URL does not reveal whether a
private project exists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.generic import TemplateView
from django_filters.views import FilterView

from portal.access import project_or_404
from portal.lazy_pages import LazyPaginationMixin
from portal.page_cache import CachedForAnonymousMixin
from projects.models import Deliverable, Project
from projects.permissions import can_view_deliverable, can_view_project
from projects.selectors import ConsortiumFigures, with_consortium_figures
from projects.timeline import timeline_svg

from . import selectors
from .country_chart import country_chart_svg
from .filters import ProjectFilter


class ProjectListView(CachedForAnonymousMixin, LazyPaginationMixin, FilterView):
    # The rows and their count are read inside the list's fragment only (portal/lazy_pages.py).
    template_name = "catalogue/project_list.html"
    filterset_class = ProjectFilter
    paginate_by = selectors.CATALOGUE_PAGE_SIZE
    context_object_name = "projects"

    def get_queryset(self):
        return selectors.catalogue_projects(self.request.user)

    def rows(self, queryset):
        # The consortium figures (three subqueries) for the shown rows, built only on a miss.
        return with_consortium_figures(queryset)


def _download_link(deliverable: Deliverable) -> str:
    """Where a visitor gets the deliverable: the permission-checked file view, else its link."""
    if deliverable.file:
        return reverse("workspace:deliverable_file", kwargs={"pk": deliverable.pk})
    return deliverable.url


class ProjectDetailView(CachedForAnonymousMixin, TemplateView):
    template_name = "catalogue/project_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        # The bare project: enough to decide 404 and to title the page. The rest is read
        # only when the page's fragment is rendered (templates/catalogue/project_detail.html),
        # so a page served from the fragment reads nothing else.
        project = project_or_404(
            self.request,
            kwargs["slug"],
            allowed=can_view_project,
            queryset=selectors.project_for_page(kwargs["slug"]),
            kept="project-page-row",
        )
        now = timezone.now()
        today = timezone.localdate(now)
        detail = SimpleLazyObject(lambda: _project_detail(user, project, now, today))
        return super().get_context_data(
            **kwargs,
            project=project,
            detail=detail,
            # The same values by their own names, for code that reads the context.
            page=SimpleLazyObject(lambda: detail["page"]),
            deliverables=SimpleLazyObject(lambda: detail["deliverables"]),
            today=today,
        )


def _project_detail(user: Any, project: Project, now: dt.datetime, today: dt.date) -> dict[str, Any]:
    page = selectors.project_page(user, project, now)
    # Sensitive deliverables are for the consortium and the funder; everyone else
    # sees neither the row nor its diamond on the timeline.
    deliverables = [d for d in page.deliverables if can_view_deliverable(user, d)]
    return {
        "page": page,
        # Counted from the consortium rows the page reads anyway, not in the project's query.
        "figures": ConsortiumFigures.from_participations(project, page.consortium),
        # Organisations whose page the visitor may open: this project's partners.
        "consortium_ids": {participation.organisation_id for participation in page.consortium},
        "deliverables": [
            {"deliverable": d, "late": d.is_late_on(today), "link": _download_link(d)} for d in deliverables
        ],
        "late_count": sum(1 for d in deliverables if d.is_late_on(today)),
        "timeline": timeline_svg(project, page.work_packages, deliverables, today),
        "country_chart": country_chart_svg(page.countries),
    }
