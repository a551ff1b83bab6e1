"""Filters of the meeting calendar; the same filters serve the list and the month grid."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from events.models import LANGUAGE_CHOICES, Community, Meeting
from events.selectors.visibility import visible_communities
from portal.select_widget import QuickSelectFiltersMixin
from projects.date_bounds import validate_plausible_date
from projects.models import Project
from projects.selectors import visible_projects


def _projects(request: Any):
    # Only projects the visitor may see may be offered: an option would leak an acronym.
    return visible_projects(request.user).order_by("acronym") if request else Project.objects.none()


def _communities(request: Any):
    return visible_communities(request.user).order_by("name") if request else Community.objects.none()


class MeetingFilter(QuickSelectFiltersMixin, django_filters.FilterSet):
    project = django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=_projects, empty_label=_("All projects"), to_field_name="slug"
    )
    community = django_filters.ModelChoiceFilter(
        label=_("Community"), queryset=_communities, empty_label=_("All communities"), to_field_name="slug"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Meeting.Kind.choices, empty_label=_("All kinds"))
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=Meeting.Format.choices, empty_label=_("All formats")
    )
    country = django_filters.ChoiceFilter(label=_("Country"), choices=countries, empty_label=_("All countries"))
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=LANGUAGE_CHOICES, empty_label=_("All languages")
    )
    # __date compares in the current time zone (Europe/Berlin), the days people read.
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="starts_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_plausible_date],
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        field_name="starts_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_plausible_date],
    )

    class Meta:
        model = Meeting
        fields = ["project", "community", "kind", "format", "country", "language", "date_from", "date_to"]

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            self._offer_communities_of_one_project(super().form)
        return self._form

    def _offer_communities_of_one_project(self, form: forms.Form) -> None:
        """The community choice lists the communities of the chosen project only.

        A portal with hundreds of projects has thousands of communities: listed all at
        once, they would make the calendar a page of community names. So the choice
        appears once a project is chosen (or a community is given in the URL, which
        brings its project's communities), still only the communities the visitor may see.
        """
        data = self.data if self.is_bound else {}
        field = form.fields["community"]
        if data.get("project"):
            field.queryset = field.queryset.filter(project__slug=data["project"])
        elif data.get("community"):
            field.queryset = field.queryset.filter(project__communities__slug=data["community"])
        else:
            del form.fields["community"]

    def has_date_range(self) -> bool:
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return bool(data.get("date_from") or data.get("date_to"))
