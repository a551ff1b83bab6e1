"""Filters of the organisation directory; their state lives in the query string."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from partners.models import Organisation
from portal.search.selectors import MAX_QUERY_LENGTH as MAX_TEXT_LENGTH
from portal.select_widget import QuickSelectFiltersMixin


class OrganisationFilter(QuickSelectFiltersMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or city"), method="filter_text", max_length=MAX_TEXT_LENGTH)
    country = django_filters.ChoiceFilter(label=_("Country"), choices=countries, empty_label=_("All countries"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Organisation.Kind.choices, empty_label=_("All kinds"))

    class Meta:
        model = Organisation
        fields = ["q", "country", "kind"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value) | Q(city__icontains=value))
