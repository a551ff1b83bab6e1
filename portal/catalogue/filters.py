"""The project catalogue's filters: every one narrows a queryset the user may already see."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation
from portal import fragments
from portal.search.selectors import MAX_QUERY_LENGTH as MAX_TEXT_LENGTH
from portal.select_widget import QuickSelectFiltersMixin
from projects.models import FundingProgramme, Participation, Project, ProjectQuerySet

from .selectors import partner_countries


def _country_choices() -> list[tuple[str, str]]:
    # A callable, so the choices are read per request (new partners appear without a restart)
    # and in the visitor's language. Kept like a fragment (the key holds the language and the
    # content version, which a new partner bumps): the same for every visitor.
    return fragments.cached(
        "catalogue-countries", (), lambda: [(country.code, str(country.name)) for country in partner_countries()]
    )


class ProjectFilter(QuickSelectFiltersMixin, django_filters.FilterSet):
    # Capped like the site search: a longer text is no search, and SQLite refuses LIKE
    # patterns of about 50,000 characters.
    q = django_filters.CharFilter(label=_("Search"), method="filter_text", max_length=MAX_TEXT_LENGTH)
    programme = django_filters.ModelChoiceFilter(
        label=_("Funding programme"),
        queryset=FundingProgramme.objects.order_by("short_name"),
        empty_label=_("All programmes"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Project.Status.choices,
        method="filter_status",
        empty_label=_("Any status"),
    )
    year = django_filters.NumberFilter(label=_("Active in year"), method="filter_year", min_value=1990, max_value=2100)
    country = django_filters.ChoiceFilter(
        label=_("Partner country"),
        choices=_country_choices,
        method="filter_partners",
        empty_label=_("All countries"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of partner organisation"),
        choices=Organisation.Kind.choices,
        method="filter_partners",
        empty_label=_("All kinds"),
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The countries in use, read once per request: validating the choice and
        # rendering the form would each read them again.
        self.filters["country"].extra["choices"] = _country_choices()

    def filter_text(self, queryset: ProjectQuerySet, name: str, value: str) -> ProjectQuerySet:
        value = value.strip()
        if not value:
            return queryset
        # Partner names in a subquery rather than a join, so each project comes back once
        # without DISTINCT, and the paginator's COUNT stays a plain count.
        partners = Participation.objects.filter(
            Q(organisation__name__icontains=value) | Q(organisation__short_name__icontains=value)
        ).values("project_id")
        return queryset.filter(
            Q(acronym__icontains=value) | Q(title__icontains=value) | Q(summary__icontains=value) | Q(pk__in=partners)
        )

    def filter_partners(self, queryset: ProjectQuerySet, name: str, value: str) -> ProjectQuerySet:
        """Projects with a partner organisation of this country or kind (advisory boards too)."""
        field = {"country": "organisation__country", "kind": "organisation__kind"}[name]
        return queryset.filter(pk__in=Participation.objects.filter(**{field: value}).values("project_id"))

    def filter_status(self, queryset: ProjectQuerySet, name: str, value: str) -> ProjectQuerySet:
        # The model's own definition of planned/running/closed, so the catalogue agrees with the badges.
        return queryset.with_status(value)

    def filter_year(self, queryset: ProjectQuerySet, name: str, value: int) -> ProjectQuerySet:
        year = int(value)
        return queryset.filter(start_date__year__lte=year, end_date__year__gte=year)
