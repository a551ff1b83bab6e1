"""A project's reporting plan: the indicators it reports against and its budget by partner.

Both are declared once per project (in the admin) and read by the progress reports: the
achieved values and the money spent are entered per reporting period (reports.models),
or, for indicators the portal can count itself, computed as of the period's end.

The models name ``projects.Project`` by string so that this module does not import
projects.models, which imports it to register the models.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation

from .bilingual import LocalizedText, one_language_given, text_in_language
from .illustrative import ILLUSTRATIVE_HELP

# ISO 4217 codes of the currencies EU-funded consortia report in; the grant is in euros,
# but a partner outside the euro area may keep its books in its own currency.
CURRENCIES = [
    ("EUR", "EUR"),
    ("BGN", "BGN"),
    ("CHF", "CHF"),
    ("CZK", "CZK"),
    ("DKK", "DKK"),
    ("GBP", "GBP"),
    ("HUF", "HUF"),
    ("NOK", "NOK"),
    ("PLN", "PLN"),
    ("RON", "RON"),
    ("SEK", "SEK"),
]
CURRENCY_CODES = [code for code, _label in CURRENCIES]


class IndicatorKind(models.TextChoices):
    OUTPUT = "output", _("Output")
    RESULT = "result", _("Result")


class IndicatorSource(models.TextChoices):
    """Where the achieved value comes from: entered per period, or counted by the portal."""

    MANUAL = "manual", _("Entered per period")
    MEETINGS_HELD = "meetings_held", _("Meetings held (counted by the portal)")
    PARTICIPANTS = "participants", _("Participants (counted by the portal)")
    PARTICIPANTS_BY_SECTOR = "participants_by_sector", _("Participants by sector (counted by the portal)")
    DELIVERABLES_DELIVERED = "deliverables_delivered", _("Deliverables delivered (counted by the portal)")


class Indicator(models.Model):
    """An output or result indicator of the project, with its baseline and target."""

    Kind = IndicatorKind

    Source = IndicatorSource

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="indicators", verbose_name=_("project")
    )
    work_package = models.ForeignKey(
        "projects.WorkPackage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("work package"),
        help_text=_("The work package whose results the indicator measures, if any."),
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("E.g. O1 or R2"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.OUTPUT)
    # Bilingual texts (projects/bilingual.py): English in the plain field, German in ``_de``.
    name = models.CharField(_("name (English)"), max_length=300, blank=True)
    name_de = models.CharField(_("name (German)"), max_length=300, blank=True)
    unit = models.CharField(_("unit (English)"), max_length=60, blank=True, help_text=_("E.g. participants"))
    unit_de = models.CharField(_("unit (German)"), max_length=60, blank=True, help_text=_("E.g. Teilnehmende"))
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, default=Decimal("0"))
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    source = models.CharField(_("achieved value"), max_length=30, choices=Source.choices, default=Source.MANUAL)
    illustrative_note = models.TextField(_("illustrative values"), blank=True, help_text=ILLUSTRATIVE_HELP)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["project", "kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code"],
                name="indicator_unique_code",
                violation_error_message=_("The project already has an indicator with this code."),
            ),
            models.CheckConstraint(condition=~Q(code=""), name="indicator_code_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=IndicatorKind.values), name="indicator_kind_valid"),
            models.CheckConstraint(condition=Q(source__in=IndicatorSource.values), name="indicator_source_valid"),
            models.CheckConstraint(
                condition=one_language_given("name"),
                name="indicator_name_given",
                violation_error_message=_("Give the name in English, in German or in both."),
            ),
            models.CheckConstraint(
                condition=Q(target__gte=0) & Q(baseline__gte=0),
                name="indicator_target_not_negative",
                violation_error_message=_("The baseline and the target cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    def clean(self) -> None:
        super().clean()
        if self.work_package_id and self.project_id and self.work_package.project_id != self.project_id:
            raise ValidationError({"work_package": _("The work package belongs to another project.")})

    @property
    def display_name(self) -> LocalizedText:
        return text_in_language(self, "name")

    @property
    def display_unit(self) -> LocalizedText:
        return text_in_language(self, "unit")

    @property
    def is_computed(self) -> bool:
        return self.source != IndicatorSource.MANUAL


class CostCategory(models.TextChoices):
    """The cost categories of an AMIF/ESF+ grant budget."""

    STAFF = "staff", _("Staff costs")
    TRAVEL = "travel", _("Travel and subsistence")
    EQUIPMENT = "equipment", _("Equipment")
    SUBCONTRACTING = "subcontracting", _("Subcontracting")
    OTHER = "other", _("Other goods, works and services")
    INDIRECT = "indirect", _("Indirect costs")


class BudgetLine(models.Model):
    """What one partner plans to spend in one cost category over the whole project."""

    Category = CostCategory

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("partner")
    )
    category = models.CharField(_("cost category"), max_length=20, choices=Category.choices)
    planned = models.DecimalField(_("planned amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="EUR")
    illustrative_note = models.TextField(_("illustrative values"), blank=True, help_text=ILLUSTRATIVE_HELP)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project", "organisation__name", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation", "category"],
                name="budget_line_unique_category",
                violation_error_message=_("This partner already has a budget line in this cost category."),
            ),
            models.CheckConstraint(condition=Q(category__in=CostCategory.values), name="budget_line_category_valid"),
            models.CheckConstraint(condition=Q(currency__in=CURRENCY_CODES), name="budget_line_currency_valid"),
            models.CheckConstraint(
                condition=Q(planned__gte=0),
                name="budget_line_planned_not_negative",
                violation_error_message=_("The planned amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_category_display()}: {self.planned} {self.currency}"

    def clean(self) -> None:
        super().clean()
        if (
            self.project_id
            and self.organisation_id
            and not self.project.participations.filter(organisation_id=self.organisation_id).exists()
        ):
            raise ValidationError({"organisation": _("This organisation is not part of the project's consortium.")})
