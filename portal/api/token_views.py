"""The API's reads behind a login or a personal token: a project's internal data, the reports.

Each asks the permission function its browser page asks, with the same refusals (404 for
what the caller may not see, 403 for what they may see but not do), and a token must carry
the scope: READ for the internal data, REPORTS for the reports. The report download writes
the same download-log row as the browser's (reports/downloads.py), refusals included.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.access import object_or_404, project_or_404
from projects.permissions import can_view_project_figures
from reports.downloads import ReportFileMissing, report_download_deny, report_download_serve, report_file_name
from reports.models import ProgressReport
from reports.permissions import can_download_report, can_view_report

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
        # As the browser's ReportDownloadView: looked up among all reports, so a refusal is logged.
        report = object_or_404(
            request,
            # Not a number: no such report (a 404 like any unknown one, not a server error).
            lambda: (
                ProgressReport.objects.select_related("project").get(pk=int(pk))
                if pk.isascii() and pk.isdigit()
                else None
            ),
            visible=can_view_report,
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
