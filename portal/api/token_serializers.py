"""What the token reads show: a project's internal figures and the progress reports.

Figures only, never a person's name: not who requested a report, not who registered.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Community, Meeting
from projects.models import WorkPackage
from reports.models import ProgressReport

from .serializers import DeliverableSerializer

HIDDEN = " null: 1 to 4 people, hidden from funders (as the page's “< 5”)."


def _people(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, read_only=True, help_text=help_text + HIDDEN)


class WorkPackageSerializer(serializers.ModelSerializer):
    lead_organisation = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    deliverables = serializers.IntegerField(source="deliverable_count", read_only=True)

    class Meta:
        model = WorkPackage
        fields = ["number", "title", "title_de", "lead_organisation", "start_date", "end_date", "deliverables"]


class InternalDeliverableSerializer(DeliverableSerializer):
    late = serializers.BooleanField(read_only=True, help_text="Due and not yet delivered.")

    class Meta(DeliverableSerializer.Meta):
        fields = [*DeliverableSerializer.Meta.fields, "late"]


class _MeetingRefSerializer(serializers.ModelSerializer):
    community = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = ["id", "title", "title_de", "kind", "format", "audience", "status", "starts_at", "ends_at"]
        fields += ["capacity", "community"]


class SectorFiguresSerializer(serializers.Serializer):
    sector = serializers.CharField(help_text="The stakeholder sector's code; empty: not given.")
    label = serializers.CharField()
    confirmed = _people("Confirmed registrations from this sector.")
    waitlisted = _people("On the waiting list.")
    attended = _people("Checked in.")


class MeetingFiguresSerializer(serializers.Serializer):
    meeting = _MeetingRefSerializer()
    confirmed = _people("Confirmed registrations.")
    waitlisted = _people("On the waiting list.")
    attended = _people("Checked in.")
    reported_attendance = _people("Attendance the organisers reported, if any (null also when none).")
    by_sector = SectorFiguresSerializer(many=True)


class _CommunityRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Community
        fields = ["slug", "name", "name_de", "visibility", "membership_policy"]


class CommunityFiguresSerializer(serializers.Serializer):
    community = _CommunityRefSerializer()
    active_members = _people("Active members.")
    pending_members = _people("Requests to join waiting for a decision.")
    meetings = serializers.IntegerField()


class ProjectInternalSerializer(serializers.Serializer):
    project = serializers.CharField(source="project.slug", help_text="The project's slug.")
    exact_counts = serializers.BooleanField(
        help_text="True for the consortium; false for a funder's officer, who never sees counts of 1 to 4 people."
    )
    work_packages = WorkPackageSerializer(many=True)
    deliverables = InternalDeliverableSerializer(many=True, help_text="Every deliverable, sensitive ones included.")
    meetings = MeetingFiguresSerializer(many=True)
    communities = CommunityFiguresSerializer(many=True)


class ReportSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    submitted = serializers.SerializerMethodField(help_text="Submitted to the funder (funders see only these).")
    download = serializers.SerializerMethodField(
        help_text="The PDF (logged like the browser's download); null until done."
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "project",
            "period_start",
            "period_end",
            "language",
            "version",
            "status",
            "created_at",
            "finished_at",
            "submitted",
            "sha256",
            "page_count",
            "file_size",
            "download",
        ]

    def get_submitted(self, report: ProgressReport) -> bool:
        return report.submitted_in_id is not None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, report: ProgressReport) -> str | None:
        if report.status != ProgressReport.Status.DONE:
            return None
        path = reverse("api:report-download", kwargs={"pk": report.pk})
        request: Any = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
