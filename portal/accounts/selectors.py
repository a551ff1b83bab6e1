"""Reads for the account pages."""

from typing import Any

from django.db.models import Q, QuerySet

from partners.models import Organisation
from projects.selectors import visible_organisations


def organisation_directory(user: Any) -> QuerySet[Organisation]:
    """Organisations a person can pick as theirs on the profile, by name.

    Those the person may see (projects.selectors.visible_organisations), so the list does
    not reveal organisations working only in other people's private projects; the one on
    the profile stays selectable, or saving the form would silently drop it.
    """
    visible = visible_organisations(user).values("pk")
    current = getattr(user, "organisation_id", None)
    condition = Q(pk__in=visible) | Q(pk=current) if current else Q(pk__in=visible)
    return Organisation.objects.filter(condition).order_by("name", "country")
