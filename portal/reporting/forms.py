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
