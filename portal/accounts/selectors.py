"""Reads for the account pages."""

from django.db.models import QuerySet

from partners.models import Organisation


def organisation_directory() -> QuerySet[Organisation]:
    """Organisations a person can pick as theirs on the profile, by name."""
    return Organisation.objects.order_by("name", "country")
