"""/api/: the REST API, version 1, its schema and its documentation page."""

from __future__ import annotations

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import token_views, views, writes

app_name = "api"

# No format suffixes (.json): one representation, and no second address for every object.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("participations", views.ParticipationViewSet, basename="participation")
router.register("communities", views.CommunityViewSet, basename="community")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("deliverables", views.DeliverableViewSet, basename="deliverable")
router.register("news", views.NewsViewSet, basename="news")
# Behind a login or a personal token (portal/api/token_views.py).
router.register("reports", token_views.ReportViewSet, basename="report")

urlpatterns = [
    path("", views.api_root_redirect, name="index"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its start script served from its own address (the "split" view), so the
    # page needs no inline script under the Content-Security-Policy; assets from the sidecar.
    path(
        "v1/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("v1/projects/<slug:slug>/internal/", token_views.ProjectInternalView.as_view(), name="project-internal"),
    # The id matched as the router matches its details, so any odd id is the view's problem+json 404.
    re_path(
        r"^v1/meetings/(?P<pk>[^/.]+)/registration/$",
        writes.MeetingRegistrationView.as_view(),
        name="meeting-registration",
    ),
    path("v1/", include(router.urls)),
    # Any other address ending in a slash: a problem+json 404. Without the slash, Django's
    # APPEND_SLASH redirects first, so /api/v1/projects still finds /api/v1/projects/.
    # [\s\S], not ".": a newline in the address (%0A) is part of it too.
    re_path(r"^[\s\S]*/$", views.NotFoundView.as_view(), name="not_found"),
]
