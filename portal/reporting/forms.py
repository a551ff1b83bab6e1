"""The request form of the reports page: a period (a quarter or custom dates) and a language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.select_widget import QuickSelectsMixin
from projects.models import Project
from reports.models import ProgressReport
from reports.schedule import project_periods

CUSTOM = "custom"


class ReportRequestForm(QuickSelectsMixin, forms.Form):
    period = forms.ChoiceField(label=_("Period"))
    period_start = forms.DateField(
        label=_("First day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only for a custom period."),
    )
    period_end = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only for a custom period."),
    )
    language = forms.ChoiceField(label=_("Language of the report"), choices=ProgressReport.Language.choices)

    def __init__(self, *args: Any, project: Project, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.periods = {period.value: period for period in project_periods(project, today)}
        choices = [(value, period.label) for value, period in self.periods.items()]
        self.fields["period"].choices = [*choices, (CUSTOM, _("Custom dates"))]
        # The quarter that ended last is what a coordinator usually reports on; the
        # running one comes first in the list, so preselect the second if there is one.
        values = list(self.periods)
        self.fields["period"].initial = values[1] if len(values) > 1 else (values[0] if values else CUSTOM)
        language = (get_language() or "en")[:2]
        self.fields["language"].initial = language if language in ProgressReport.Language.values else "en"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        period = data.get("period")
        if period == CUSTOM:
            for name in ("period_start", "period_end"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Give this date for a custom period."))
        elif period in self.periods:
            data["period_start"] = self.periods[period].start
            data["period_end"] = self.periods[period].end
        return data


# --- The reporting workflow (reports/services/workflow.py) ---------------------------------


class PeriodOpenForm(ReportRequestForm):
    """Open a reporting period: a quarter of the project (as the schedule cuts them) or custom dates."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["language"]
        self.fields["period"].label = _("Reporting period")


def _text_field(label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)


class NarrativeForm(forms.Form):
    """One work package's narrative, English and German (prefixed with the work package)."""

    activities = _text_field(_("Activities (English)"))
    activities_de = _text_field(_("Activities (German)"))
    results = _text_field(_("Results (English)"))
    results_de = _text_field(_("Results (German)"))
    deviations = _text_field(_("Deviations (English)"))
    deviations_de = _text_field(_("Deviations (German)"))
    risks = _text_field(_("Risks and mitigation (English)"))
    risks_de = _text_field(_("Risks and mitigation (German)"))


class PlanForm(forms.Form):
    text = _text_field(_("Plan for the next period (English)"))
    text_de = _text_field(_("Plan for the next period (German)"))


class IndicatorValuesForm(forms.Form):
    """The values of the manual indicators: ``value_<pk>`` and ``comment_<pk>``; empty clears."""

    def __init__(self, *args: Any, indicators: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = [indicator for indicator in indicators if not indicator.is_computed]
        for indicator in self.indicators:
            current = indicator.period_value
            self.fields[f"value_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.code} {indicator.display_name}",
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                initial=current.value if current else None,
            )
            self.fields[f"comment_{indicator.pk}"] = forms.CharField(
                label=_("Comment on %(code)s") % {"code": indicator.code},
                required=False,
                max_length=500,
                initial=current.comment if current else "",
            )

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(i, self[f"value_{i.pk}"], self[f"comment_{i.pk}"]) for i in self.indicators]


class BudgetSpendsForm(forms.Form):
    """What each budget line spent in the period: ``amount_<pk>``; empty clears."""

    def __init__(self, *args: Any, budget_lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget_lines = budget_lines
        for line in budget_lines:
            current = line.period_spend
            self.fields[f"amount_{line.pk}"] = forms.DecimalField(
                label=f"{line.organisation} – {line.get_category_display()} ({line.currency})",
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=current.amount if current else None,
            )

    def rows(self) -> list[tuple[Any, Any]]:
        return [(line, self[f"amount_{line.pk}"]) for line in self.budget_lines]


class SubmitForm(forms.Form):
    """The finished versions to submit: one per language at most (the service checks the rest)."""

    reports = forms.TypedMultipleChoiceField(label=_("Versions to submit"), coerce=int, choices=())

    def __init__(self, *args: Any, versions: list[ProgressReport], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {report.pk: report for report in versions}
        self.fields["reports"].choices = [(report.pk, str(report)) for report in versions]
        self.fields["reports"].error_messages["required"] = _("Choose the version to submit.")


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        error_messages={"required": _("Say what needs to change when you return a report.")},
    )
