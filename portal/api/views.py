"""The API's endpoints: parse, ask the visibility selectors and permission functions, serialise.

Lists come from portal.api.selectors, narrowed by the pages' own filter sets. One object is
looked up in the same visible list and checked again with its permission function; what
the caller may not see answers 404, as in the browser, so an address does not reveal
whether a private object exists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseBase
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags, quote_etag
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, filters, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from events.permissions import can_view_community, can_view_meeting
from portal.calendar.filters import MeetingFilter
from portal.catalogue.filters import ProjectFilter
from portal.directory.filters import OrganisationFilter
from projects.permissions import (
    can_view_deliverable,
    can_view_organisation_page,
    can_view_project,
    can_view_update,
)

from . import caching, selectors, serializers
from .filters import CommunityFilter, DeliverableFilter, NewsFilter, ParticipationFilter
from .pagination import MeetingCursor, NumberedPages
from .scopes import READ, token_allows
from .writes import DeliverableWritesMixin, MeetingWritesMixin


def _programmes_visible(user: Any, programme: Any) -> bool:
    return True  # every programme is public: the catalogue offers them all as a filter


class _ReadOnly(viewsets.ReadOnlyModelViewSet):
    # A list and its details, with an ETag on each detail. ``visible`` is the permission
    # function that decides whether the caller may see one object; the list's selector
    # already answers the same, this checks it once more. (A comment, not a docstring:
    # drf-spectacular would print a docstring as every operation's description.)

    pagination_class = NumberedPages
    visible: Callable[[Any, Any], bool]
    select: Callable[[Any], Any]

    # The scope a token needs to read with its owner's eyes.
    read_scope = READ

    @property
    def reader(self) -> Any:
        """Whose eyes the reads use: the caller's, or the public's for a token without the
        read scope (a token made to register or to schedule does not also open what its
        owner may read)."""
        return self.request.user if token_allows(self.request, self.read_scope) else AnonymousUser()

    def get_queryset(self):
        return type(self).select(self.reader)

    def get_object(self):
        obj = super().get_object()
        if not type(self).visible(self.reader, obj):
            raise exceptions.NotFound()
        return obj

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        # The consortium text and the messages follow the caller's language; caches must keep them apart.
        patch_vary_headers(response, ["Accept-Language"])
        return response

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Kept like the pages (portal/api/caching.py), after the rate limits have counted the request.
        return caching.serve(self, request, lambda: super(_ReadOnly, self).list(request, *args, **kwargs))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = caching.serve(self, request, lambda: self._retrieve_with_etag(request, *args, **kwargs))
        etag = response.get("ETag") if response.status_code == 200 else None
        if etag and _matches(etag, request.headers.get("If-None-Match", "")):
            return Response(status=304, headers={"ETag": etag})
        return response

    def _retrieve_with_etag(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        # The representation's own hash: it changes when anything shown changes (the
        # language of the labels included), and needs no timestamp on every model.
        body = JSONRenderer().render(response.data)
        response["ETag"] = quote_etag(hashlib.sha256(body).hexdigest()[:32])
        return response


def _matches(etag: str, header: str) -> bool:
    """If-None-Match compares weakly (RFC 9110, 13.1.2): a W/ prefix does not matter."""
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)


class _OrderingWithTieBreak(filters.OrderingFilter):
    """The caller's order, then the primary key, so page boundaries never shift between requests."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and request.query_params.get(self.ordering_param):
            return [*ordering, "pk"]
        return ordering


@extend_schema_view(
    list=extend_schema(summary="Funding programmes", tags=["programmes"]),
    retrieve=extend_schema(summary="One funding programme", tags=["programmes"]),
)
class ProgrammeViewSet(_ReadOnly):
    serializer_class = serializers.ProgrammeSerializer
    select = staticmethod(lambda user: selectors.programmes())
    visible = staticmethod(_programmes_visible)


@extend_schema_view(
    list=extend_schema(
        summary="Projects",
        description="The catalogue's projects with their consortium figures; private projects only for their people.",
        tags=["projects"],
    ),
    retrieve=extend_schema(summary="One project, with its consortium", tags=["projects"]),
)
class ProjectViewSet(_ReadOnly):
    lookup_field = "slug"
    filterset_class = ProjectFilter
    filter_backends = [*viewsets.ReadOnlyModelViewSet.filter_backends, _OrderingWithTieBreak]
    ordering_fields = ["start_date", "end_date", "acronym"]
    visible = staticmethod(can_view_project)

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.project_with_consortium(self.reader)
        return selectors.projects(self.reader)

    def get_serializer_class(self):
        return serializers.ProjectDetailSerializer if self.action == "retrieve" else serializers.ProjectSerializer


@extend_schema_view(
    list=extend_schema(summary="Organisations", description="The directory's organisations.", tags=["organisations"]),
    retrieve=extend_schema(summary="One organisation", tags=["organisations"]),
)
class OrganisationViewSet(_ReadOnly):
    serializer_class = serializers.OrganisationInListSerializer
    filterset_class = OrganisationFilter
    select = staticmethod(selectors.organisations)
    visible = staticmethod(can_view_organisation_page)


@extend_schema_view(
    list=extend_schema(summary="Participations: who takes part in which project, in which role", tags=["projects"]),
    retrieve=extend_schema(summary="One participation", tags=["projects"]),
)
class ParticipationViewSet(_ReadOnly):
    serializer_class = serializers.ParticipationSerializer
    filterset_class = ParticipationFilter
    select = staticmethod(selectors.participations)
    visible = staticmethod(lambda user, participation: can_view_project(user, participation.project))


@extend_schema_view(
    list=extend_schema(summary="Communities", tags=["communities"]),
    retrieve=extend_schema(summary="One community", tags=["communities"]),
)
class CommunityViewSet(_ReadOnly):
    lookup_field = "slug"
    serializer_class = serializers.CommunitySerializer
    filterset_class = CommunityFilter
    select = staticmethod(selectors.communities)
    visible = staticmethod(can_view_community)


@extend_schema_view(
    list=extend_schema(
        summary="Meetings",
        description=(
            "The calendar's meetings, soonest first, with free seats and the waiting list's length. "
            "As in the calendar, only meetings not yet over unless date_from or date_to is given."
        ),
        tags=["meetings"],
    ),
    retrieve=extend_schema(summary="One meeting", tags=["meetings"]),
)
class MeetingViewSet(MeetingWritesMixin, _ReadOnly):  # writes: portal/api/writes.py
    serializer_class = serializers.MeetingSerializer
    filterset_class = MeetingFilter
    pagination_class = MeetingCursor
    select = staticmethod(selectors.meetings)
    visible = staticmethod(can_view_meeting)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and not (
            self.request.query_params.get("date_from") or self.request.query_params.get("date_to")
        ):
            queryset = selectors.upcoming_meetings(queryset)
        return queryset


@extend_schema_view(
    list=extend_schema(summary="Deliverables", tags=["deliverables"]),
    retrieve=extend_schema(summary="One deliverable", tags=["deliverables"]),
)
class DeliverableViewSet(DeliverableWritesMixin, _ReadOnly):  # writes: portal/api/writes.py
    serializer_class = serializers.DeliverableSerializer
    filterset_class = DeliverableFilter
    select = staticmethod(selectors.deliverables)
    visible = staticmethod(can_view_deliverable)


@extend_schema_view(
    list=extend_schema(summary="News of the projects", tags=["news"]),
    retrieve=extend_schema(summary="One news item", tags=["news"]),
)
class NewsViewSet(_ReadOnly):
    serializer_class = serializers.NewsSerializer
    filterset_class = NewsFilter
    select = staticmethod(selectors.news)
    visible = staticmethod(can_view_update)


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any other address under /api/: a problem+json 404 rather than the site's HTML page."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()


def api_root_redirect(request):
    return redirect("api:api-root")
