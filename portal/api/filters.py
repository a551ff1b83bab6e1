"""Filters of the API's own lists (participations, deliverables, news).

Projects, organisations and meetings use the pages' filter sets unchanged
(portal.catalogue, portal.directory, portal.calendar), so ``?country=IT`` means the same
in the API as in the browser.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from events.models import Community
from partners.models import Organisation
from projects.models import Deliverable, Participation, Update


class _ProjectSlugFilterSet(django_filters.FilterSet):
    # A slug, not a choice of visible projects: the list is already narrowed to what the
    # caller sees, so an unknown or hidden slug gives an empty list, never a hint.
    project = django_filters.CharFilter(label=_("Project"), field_name="project__slug", max_length=80)


class ParticipationFilter(_ProjectSlugFilterSet):
    organisation = django_filters.NumberFilter(label=_("Organisation"), field_name="organisation_id", min_value=1)
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Participation.Role.choices)
    country = django_filters.CharFilter(label=_("Country"), field_name="organisation__country", max_length=2)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Organisation.Kind.choices, field_name="organisation__kind"
    )

    class Meta:
        model = Participation
        fields = ["project", "organisation", "role", "country", "kind"]


class CommunityFilter(_ProjectSlugFilterSet):
    class Meta:
        model = Community
        fields = ["project"]


class DeliverableFilter(_ProjectSlugFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Deliverable.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Deliverable.Status.choices)

    class Meta:
        model = Deliverable
        fields = ["project", "kind", "status"]


class NewsFilter(_ProjectSlugFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Update.Kind.choices)

    class Meta:
        model = Update
        fields = ["project", "kind"]
