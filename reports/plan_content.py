"""The report's sections from the reporting plan: narratives, indicators, budget, next period.

Read for the report's project and period from the reports.ReportingPeriod with the same
dates, if the coordinator has opened one; without it those sections say that nothing has
been entered yet. Figures are as of the end of the period, like the rest of the report
(reports/content.py): indicator values and spending are summed over the periods that end
on or before this one, and the indicators the portal counts itself are counted from the
meetings and deliverables reports/content.py has already read as of then.

Money is Decimal throughout, per currency: amounts in different currencies are never
added. Percentages are quantized to one decimal place.

Six queries whatever the size: the period, work packages, narratives, indicators with
their values, budget lines, spends.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext

from events.models import Registration
from projects.bilingual import text_in_language
from projects.models import Project, WorkPackage
from projects.plan_models import BudgetLine, CostCategory, Indicator, IndicatorSource

from .disclosure import Cell
from .models import BudgetSpend, IndicatorValue, ReportingPeriod, WorkPackageNarrative

PERCENT = Decimal("0.1")
HUNDRED = Decimal(100)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole`` to one decimal place; None when whole is zero."""
    if not whole:
        return None
    return (part * HUNDRED / whole).quantize(PERCENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Illustrative:
    """A record's note on its invented values; the PDF marks it with a dagger and lists the note."""

    label: str
    note: str


@dataclass(frozen=True)
class NarrativeSection:
    work_package: str  # "WP2"
    title: str
    activities: str
    results: str
    deviations: str
    risks: str
    illustrative: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.activities or self.results or self.deviations or self.risks)


@dataclass(frozen=True)
class Breakdown:
    label: str
    in_period: int
    cumulative: int
    people: dict[str, Cell] = field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    kind: str
    unit: str
    work_package: str
    source: str
    computed: bool
    # Participants: counts of people, suppressed in the PDF (reports/disclosure.py).
    counts_people: bool
    baseline: Decimal
    target: Decimal
    in_period: Decimal | None
    cumulative: Decimal
    comment: str = ""
    breakdown: list[Breakdown] = field(default_factory=list)
    illustrative: str = ""
    # For indicators that count people: in_period and cumulative as a funder may see them.
    people: dict[str, Cell] = field(default_factory=dict)

    @property
    def percent_shown(self) -> Decimal | None:
        """% of target, unless the achieved figure is hidden (the % would give it back)."""
        cumulative = self.people.get("cumulative")
        return None if cumulative is not None and cumulative.hidden else self.percent_of_target

    @property
    def percent_of_target(self) -> Decimal | None:
        return percent(self.cumulative, self.target)


@dataclass(frozen=True)
class BudgetRow:
    partner: str
    category: str
    currency: str
    planned: Decimal
    spent_in_period: Decimal
    spent_cumulative: Decimal
    illustrative: str = ""

    @property
    def execution(self) -> Decimal | None:
        return percent(self.spent_cumulative, self.planned)


@dataclass(frozen=True)
class BudgetTotal:
    label: str
    currency: str
    planned: Decimal
    spent_in_period: Decimal
    spent_cumulative: Decimal

    @property
    def execution(self) -> Decimal | None:
        return percent(self.spent_cumulative, self.planned)


@dataclass(frozen=True)
class Budget:
    rows: list[BudgetRow]
    by_partner: list[BudgetTotal]
    by_category: list[BudgetTotal]
    # One line per currency: never a sum across currencies.
    overall: list[BudgetTotal]

    @property
    def totals(self) -> list[tuple[str, list[BudgetTotal]]]:
        """The total tables with their headings, in the order the report shows them."""
        return [
            (gettext("Totals per partner"), self.by_partner),
            (gettext("Totals per cost category"), self.by_category),
            (gettext("Project total"), self.overall),
        ]


@dataclass(frozen=True)
class PlanContent:
    period_entered: bool
    status: str
    narratives: list[NarrativeSection]
    indicators: list[IndicatorRow]
    budget: Budget
    next_period_plan: str

    @property
    def has_risks(self) -> bool:
        return any(n.risks for n in self.narratives)


@dataclass(frozen=True)
class CountedFacts:
    """What reports/content.py has counted as of the period's end, for the computed indicators."""

    meetings_in_period: int
    meetings_cumulative: int
    # Participants: people checked in, or the organisers' reported count for meetings held
    # before registration moved into the portal (as the report's meeting figures count them).
    participants_in_period: int
    participants_cumulative: int
    # {sector value: (in period, cumulative)} of people checked in.
    participants_by_sector: dict[str, tuple[int, int]]
    deliverables_in_period: int
    deliverables_cumulative: int


def _dec(value: int) -> Decimal:
    return Decimal(value)


def _indicator_row(
    indicator: Indicator,
    values: dict[int, tuple[Decimal | None, Decimal, str]],
    facts: CountedFacts,
) -> IndicatorRow:
    source = indicator.source
    breakdown: list[Breakdown] = []
    comment = ""
    if source == IndicatorSource.MEETINGS_HELD:
        in_period, cumulative = _dec(facts.meetings_in_period), _dec(facts.meetings_cumulative)
    elif source == IndicatorSource.PARTICIPANTS:
        in_period, cumulative = _dec(facts.participants_in_period), _dec(facts.participants_cumulative)
    elif source == IndicatorSource.PARTICIPANTS_BY_SECTOR:
        breakdown = [
            Breakdown(str(label), *facts.participants_by_sector[value])
            for value, label in Registration.Sector.choices
            if value in facts.participants_by_sector
        ]
        in_period = _dec(sum(b.in_period for b in breakdown))
        cumulative = _dec(sum(b.cumulative for b in breakdown))
    elif source == IndicatorSource.DELIVERABLES_DELIVERED:
        in_period, cumulative = _dec(facts.deliverables_in_period), _dec(facts.deliverables_cumulative)
    else:
        period_value, total, comment = values.get(indicator.pk, (None, Decimal(0), ""))
        in_period, cumulative = period_value, total
    return IndicatorRow(
        code=indicator.code,
        name=str(indicator.display_name),
        kind=str(indicator.get_kind_display()),
        unit=str(indicator.display_unit),
        work_package=f"WP{indicator.work_package.number}" if indicator.work_package else "",
        source=str(indicator.get_source_display()),
        computed=indicator.is_computed,
        counts_people=source in (IndicatorSource.PARTICIPANTS, IndicatorSource.PARTICIPANTS_BY_SECTOR),
        baseline=indicator.baseline,
        target=indicator.target,
        in_period=in_period,
        cumulative=cumulative,
        comment=comment,
        breakdown=breakdown,
        illustrative=indicator.illustrative_note,
    )


def _indicators(
    project: Project, period: ReportingPeriod | None, end: dt.date, facts: CountedFacts
) -> list[IndicatorRow]:
    indicators = list(Indicator.objects.filter(project=project).select_related("work_package").order_by("kind", "code"))
    # {indicator id: (value in this period or None, sum up to this period, this period's comment)}
    values: dict[int, tuple[Decimal | None, Decimal, str]] = {}
    rows = (
        IndicatorValue.objects.filter(indicator__project=project, period__period_end__lte=end)
        .values_list("indicator_id", "period_id", "value", "comment")
        .order_by()
    )
    for indicator_id, period_id, value, comment in rows:
        current, total, note = values.get(indicator_id, (None, Decimal(0), ""))
        if period is not None and period_id == period.pk:
            current, note = value, comment
        values[indicator_id] = (current, total + value, note)
    return [_indicator_row(indicator, values, facts) for indicator in indicators]


def _totals(rows: Iterable[BudgetRow], key: str, labels: dict[str, str] | None = None) -> list[BudgetTotal]:
    sums: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0)])
    for row in rows:
        group = getattr(row, key) if key else ""
        entry = sums[(group, row.currency)]
        entry[0] += row.planned
        entry[1] += row.spent_in_period
        entry[2] += row.spent_cumulative
    order = list(labels) if labels else sorted({group for group, _currency in sums})
    return [
        BudgetTotal((labels or {}).get(group, group), currency, *sums[(group, currency)])
        for group in order
        for currency in sorted(currency for g, currency in sums if g == group)
    ]


def _budget(project: Project, period: ReportingPeriod | None, end: dt.date) -> Budget:
    lines = list(
        BudgetLine.objects.filter(project=project)
        .select_related("organisation")
        .order_by("organisation__name", "category", "currency")
    )
    spent: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    spends = (
        BudgetSpend.objects.filter(budget_line__project=project, period__period_end__lte=end)
        .values_list("budget_line_id", "period_id", "amount")
        .order_by()
    )
    for line_id, period_id, amount in spends:
        if period is not None and period_id == period.pk:
            spent[line_id][0] += amount
        spent[line_id][1] += amount
    category_labels = {value: str(label) for value, label in CostCategory.choices}
    category_order = {value: index for index, value in enumerate(category_labels)}
    lines.sort(key=lambda line: (line.organisation.name, category_order.get(line.category, 99), line.currency))
    rows = [
        BudgetRow(
            partner=line.organisation.name,
            category=category_labels.get(line.category, line.category),
            currency=line.currency,
            planned=line.planned,
            spent_in_period=spent[line.pk][0],
            spent_cumulative=spent[line.pk][1],
            illustrative=line.illustrative_note,
        )
        for line in lines
    ]
    used_categories = [
        label for value, label in category_labels.items() if any(line.category == value for line in lines)
    ]
    return Budget(
        rows=rows,
        by_partner=_totals(rows, "partner"),
        by_category=_totals(rows, "category", {label: label for label in used_categories}),
        overall=_totals(rows, ""),
    )


def plan_content(*, project: Project, start: dt.date, end: dt.date, facts: CountedFacts) -> PlanContent:
    """The plan-based sections for ``project``'s period ``start``–``end``."""
    period = ReportingPeriod.objects.filter(project=project, period_start=start, period_end=end).first()
    work_packages = list(WorkPackage.objects.filter(project=project).order_by("number"))
    narratives: dict[int, WorkPackageNarrative] = {}
    if period is not None:
        narratives = {n.work_package_id: n for n in WorkPackageNarrative.objects.filter(period=period)}
    sections = []
    for work_package in work_packages:
        narrative = narratives.get(work_package.pk)
        texts = {
            name: str(text_in_language(narrative, name)) if narrative else "" for name in WorkPackageNarrative.TEXTS
        }
        sections.append(
            NarrativeSection(
                work_package=f"WP{work_package.number}",
                title=work_package.display_title,
                illustrative=work_package.illustrative_note,
                **texts,
            )
        )
    return PlanContent(
        period_entered=period is not None,
        status=str(period.get_status_display()) if period else gettext("not opened"),
        narratives=sections,
        indicators=_indicators(project, period, end, facts),
        budget=_budget(project, period, end),
        next_period_plan=str(period.display_next_period_plan) if period else "",
    )
