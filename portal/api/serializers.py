"""What each resource shows: the fields the public pages show, nothing more.

Bilingual texts come as both fields (``title`` English, ``title_de`` German), as stored.
Never a person's name: meetings carry figures (free seats, waiting list), not participants.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Community, Meeting
from partners.models import Organisation
from projects.models import Deliverable, FundingProgramme, Participation, Project, Update
from projects.selectors import ConsortiumFigures


class _PageLink(serializers.Field):
    """The address of the object's page in the portal, absolute when the request is known."""

    def __init__(self, url_name: str, kwarg: str, attribute: str, **kwargs: Any) -> None:
        self.url_name, self.kwarg, self.attribute = url_name, kwarg, attribute
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        path = reverse(self.url_name, kwargs={self.kwarg: getattr(value, self.attribute)})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


extend_schema_field(OpenApiTypes.URI)(_PageLink)


class ProgrammeSerializer(serializers.ModelSerializer):
    funder = serializers.CharField(source="funder.name", read_only=True)

    class Meta:
        model = FundingProgramme
        fields = ["id", "short_name", "name", "funder", "website", "description", "eu_funded"]


class ConsortiumFiguresSerializer(serializers.Serializer):
    """The consortium's size as the pages show it: declared figures where the project declares them."""

    partners = serializers.IntegerField(source="shown_partners")
    associated_partners = serializers.IntegerField(source="shown_associated")
    countries = serializers.IntegerField(source="shown_countries")
    recorded_partners = serializers.IntegerField(source="partners")
    recorded_associated_partners = serializers.IntegerField(source="associated")
    recorded_countries = serializers.IntegerField(source="countries")
    text = serializers.CharField(source="__str__", help_text="The figures as the page words them.")


class _ConsortiumField(serializers.Field):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Project) -> dict[str, Any]:
        # The serializer's fields read straight off the figures: a nested serializer per row
        # (fields copied for each) was a third of the list's serialising time.
        figures = ConsortiumFigures.of(value)
        return {
            name: str(figures) if field.source == "__str__" else getattr(figures, field.source)
            for name, field in _FIGURE_FIELDS.items()
        }


_FIGURE_FIELDS = ConsortiumFiguresSerializer().fields


extend_schema_field(ConsortiumFiguresSerializer)(_ConsortiumField)


class ProjectSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.short_name", read_only=True)
    status = serializers.ChoiceField(choices=Project.Status.choices, read_only=True)
    consortium = _ConsortiumField()
    page = _PageLink("catalogue:detail", "slug", "slug")

    class Meta:
        model = Project
        fields = [
            "slug",
            "acronym",
            "title",
            "title_de",
            "summary",
            "summary_de",
            "programme",
            "grant_agreement",
            "start_date",
            "end_date",
            "status",
            "total_budget",
            "funder_contribution",
            "website",
            "is_public",
            "consortium",
            "page",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)
    page = _PageLink("directory:detail", "pk", "pk")

    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "country", "city", "website", "description", "page"]


class OrganisationInListSerializer(OrganisationSerializer):
    projects = serializers.IntegerField(
        source="visible_project_count", read_only=True, help_text="Projects the caller may see that it takes part in."
    )

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "projects"]


class ParticipationSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    country = serializers.CharField(source="organisation.country.code", read_only=True)

    class Meta:
        model = Participation
        fields = [
            "id",
            "project",
            "organisation",
            "organisation_name",
            "country",
            "role",
            "description",
            "joined_on",
            "left_on",
        ]


class ProjectDetailSerializer(ProjectSerializer):
    participations = ParticipationSerializer(many=True, read_only=True, source="consortium_rows")

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "participations"]


class CommunitySerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    country = serializers.CharField(read_only=True)
    members = serializers.IntegerField(source="member_count", read_only=True, help_text="Active members (a figure).")
    page = _PageLink("calendar:community", "slug", "slug")

    class Meta:
        model = Community
        fields = [
            "slug",
            "name",
            "name_de",
            "territory",
            "country",
            "description",
            "description_de",
            "visibility",
            "membership_policy",
            "project",
            "members",
            "page",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    community = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    country = serializers.CharField(read_only=True)
    free_seats = serializers.IntegerField(
        source="seats_left", read_only=True, allow_null=True, help_text="Seats left; null when there is no limit."
    )
    waiting_list = serializers.IntegerField(
        source="waitlist_count", read_only=True, help_text="People on the waiting list (a figure, never names)."
    )
    page = _PageLink("calendar:meeting", "pk", "pk")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "title_de",
            "description",
            "description_de",
            "agenda",
            "agenda_de",
            "kind",
            "format",
            "audience",
            "status",
            "starts_at",
            "ends_at",
            "timezone",
            "venue",
            "address",
            "city",
            "country",
            "language",
            "project",
            "community",
            "capacity",
            "free_seats",
            "waitlist_enabled",
            "waiting_list",
            "registration_opens_at",
            "registration_closes_at",
            "page",
        ]


class DeliverableSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    work_package = serializers.IntegerField(source="work_package.number", read_only=True, allow_null=True)
    lead_organisation = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    download = serializers.SerializerMethodField(
        help_text="Where to get it: the file (permission-checked) or its link; null when neither exists yet."
    )

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "project",
            "code",
            "title",
            "title_de",
            "description",
            "kind",
            "dissemination",
            "status",
            "due_date",
            "submitted_on",
            "work_package",
            "lead_organisation",
            "download",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, deliverable: Deliverable) -> str | None:
        if not deliverable.file:
            return deliverable.url or None
        path = reverse("workspace:deliverable_file", kwargs={"pk": deliverable.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class NewsSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Update
        fields = ["id", "project", "kind", "title", "title_de", "body", "body_de", "published_on", "link", "source"]
