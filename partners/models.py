"""Organisations that take part in projects, and the people who work there."""

from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.db.models.lookups import Regex
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .search_index import PostgresOnlyGinIndex


class OrganisationKind(models.TextChoices):
    PUBLIC_AUTHORITY = "public_authority", _("Municipality / public authority")
    EMPLOYMENT_AGENCY = "employment_agency", _("Employment agency / job centre")
    NGO = "ngo", _("NGO / civil society")
    RESEARCH = "research", _("Research institute / university")
    NETWORK = "network", _("Network / association")
    FUNDER = "funder", _("Foundation / funder")
    COMPANY = "company", _("Company")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    Kind = OrganisationKind

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    illustrative_note = models.TextField(
        _("illustrative values"),
        blank=True,
        help_text=_(
            "What in this record is illustrative rather than taken from a source "
            "(e.g. a city the sources do not give). Empty means every value is sourced."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            # Case-insensitive, so "Stadt Ravenna" and "stadt ravenna" are one organisation.
            models.UniqueConstraint(
                Lower("name"),
                "country",
                name="organisation_unique_name_country",
                violation_error_message=_("An organisation with this name already exists in this country."),
            ),
            models.CheckConstraint(condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"),
            models.CheckConstraint(condition=~Q(name=""), name="organisation_name_not_empty"),
            # django-countries swaps the field's own lookups for name searches, so use the plain
            # Regex lookup: the database keeps ISO 3166-1 alpha-2 codes only.
            models.CheckConstraint(condition=Regex(F("country"), r"\A[A-Z]{2}\Z"), name="organisation_country_iso2"),
        ]
        # Full-text search, one index per portal language; portal/search reuses these expressions.
        indexes = [
            PostgresOnlyGinIndex(
                SearchVector("name", "short_name", config="german", weight="A")
                + SearchVector("city", "description", config="german", weight="B"),
                name="organisation_search_de",
            ),
            PostgresOnlyGinIndex(
                SearchVector("name", "short_name", config="english", weight="A")
                + SearchVector("city", "description", config="english", weight="B"),
                name="organisation_search_en",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})" if self.country else self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Contact(models.Model):
    """A person at an organisation. Not a login: accounts are users."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=~Q(email=""),
                name="contact_unique_email_per_organisation",
                violation_error_message=_("This organisation already has a contact with this e-mail."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="contact_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.organisation.display_name}"
