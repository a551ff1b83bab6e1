"""The organisation directory: a filtered list and the cross-project page of one organisation."""

from __future__ import annotations

from typing import Any

from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView, ListView

from partners.models import Organisation
from portal import fragments
from portal.access import object_or_404
from portal.lazy_pages import LazyPaginationMixin
from portal.page_cache import CachedForAnonymousMixin
from projects.permissions import can_view_organisation_page

from . import selectors
from .filters import OrganisationFilter


class OrganisationListView(CachedForAnonymousMixin, LazyPaginationMixin, ListView):
    # The rows and their count are read inside the list's fragment only (portal/lazy_pages.py).
    template_name = "directory/list.html"
    context_object_name = "organisations"
    paginate_by = 30

    def get_queryset(self):
        self.filterset = OrganisationFilter(
            self.request.GET or None, queryset=selectors.directory_organisations(self.request.user)
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs, filter=self.filterset)


class OrganisationDetailView(CachedForAnonymousMixin, DetailView):
    template_name = "directory/detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset=None) -> Organisation:
        # 404 rather than 403 (portal/access.py): the answer must not tell whether the organisation exists.
        return object_or_404(self.request, lambda: Organisation.objects.get(pk=self.kwargs["pk"]), visible=_may_see)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, organisation = self.request.user, self.object
        # Read when the page's fragment is rendered, not when it is served from it.
        participations = SimpleLazyObject(lambda: list(selectors.organisation_participations(user, organisation)))
        return super().get_context_data(**kwargs, participations=participations)


def _may_see(user: Any, organisation: Organisation) -> bool:
    # can_view_organisation_page reads the organisation's projects: the same answer for
    # everybody with the same visibility until a project or participation changes (the
    # content version), so it is kept like a fragment.
    return fragments.cached(
        "directory-organisation-visible",
        (fragments.viewer_key(user), organisation.pk),
        lambda: can_view_organisation_page(user, organisation),
    )
