"""The API's reads behind a login or a personal token: a project's internal data, the reports.

Each asks the permission function its browser page asks, with the same refusals (404 for
what the caller may not see, 403 for what they may see but not do), and a token must carry
the scope: READ for the internal data, REPORTS for the reports. The report download writes
the same download-log row as the browser's (reports/downloads.py), refusals included.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.access import project_or_404
from portal.reporting.views import report_pdf_response
from projects.permissions import can_view_project_figures
from reports.models import ProgressReport
from reports.permissions import can_view_report

from . import selectors, token_serializers
from .internal import project_internal_data
from .scopes import READ, REPORTS, requires_scope
from .views import _ReadOnly


class ReportFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(label=_("Project"), field_name="project__slug", max_length=80)
    language = django_filters.ChoiceFilter(label=_("Language"), choices=ProgressReport.Language.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProgressReport.Status.choices)

    class Meta:
        model = ProgressReport
        fields = ["project", "language", "status"]


@extend_schema(
    summary="A project's internal data, as its workspace page shows it",
    description=(
        "Work packages, every deliverable (sensitive ones included), meetings with their registration figures "
        "and communities with their member figures: the project's consortium and its funder's officers, as on "
        "the workspace page. Figures only, never names; funders never see counts of 1 to 4 people. "
        "With a token: the read scope."
    ),
    tags=["projects"],
    responses={200: token_serializers.ProjectInternalSerializer},
)
class ProjectInternalView(APIView):
    permission_classes = [IsAuthenticated, requires_scope(READ)]

    def get(self, request: Request, slug: str) -> Response:
        project = project_or_404(request, slug, allowed=can_view_project_figures)
        data = project_internal_data(request.user, project)
        return Response(token_serializers.ProjectInternalSerializer(data, context={"request": request}).data)


@extend_schema_view(
    list=extend_schema(
        summary="Progress reports",
        description=(
            "The versions of the progress reports the caller may read: a project's coordinators every version, "
            "its funder's officers only the versions submitted to them. With a token: the reports scope."
        ),
        tags=["reports"],
    ),
    retrieve=extend_schema(summary="One progress report version", tags=["reports"]),
    download=extend_schema(
        summary="A progress report's PDF",
        description="Logged in the project's download log, exactly like the browser's download.",
        tags=["reports"],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The report (PDF).")},
    ),
)
class ReportViewSet(_ReadOnly):
    serializer_class = token_serializers.ReportSerializer
    filterset_class = ReportFilter
    permission_classes = [IsAuthenticated, requires_scope(REPORTS)]
    read_scope = REPORTS
    select = staticmethod(selectors.reports)
    visible = staticmethod(can_view_report)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The file answers in its own type; its errors in JSON whatever the caller accepts.
        return super().perform_content_negotiation(request, force=force or self.action == "download")

    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def download(self, request: Request, pk: str) -> FileResponse:
        # The browser's download (portal/reporting/views.py), logged the same way. Not a
        # number: no such report (a 404 like any unknown one, not a server error).
        return report_pdf_response(request, int(pk) if pk.isascii() and pk.isdigit() else None)
