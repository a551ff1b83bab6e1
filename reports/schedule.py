"""Quarterly progress reports: the periods on offer, and the reports celery-beat creates.

Quarters are calendar quarters (Jan–Mar, Apr–Jun, …) cut to the project's duration:
funders' reporting cycles follow the calendar, and a project that starts on 15 February
reports its first quarter from 15 February to 31 March. The request form offers the
same periods as the schedule creates, so a coordinator's report and a scheduled one for
the same quarter cover exactly the same days.

A report created by the schedule has no ``requested_by``. That is also what makes the
schedule idempotent without a field of its own: for one project, period and language it
creates a report only while no report without ``requested_by`` exists, checked under a
lock on the project row, so a second run (or two runs at the same time) finds the first
one's report and creates nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from projects.models import Project

from .models import ProgressReport
from .services.requesting import report_request

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1–4

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        following = self.following()
        return following.start - dt.timedelta(days=1)

    def following(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def preceding(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def __str__(self) -> str:
        return f"Q{self.number} {self.year}"


@dataclass(frozen=True)
class Period:
    """A quarter cut to a project's duration: what one report covers."""

    quarter: Quarter
    start: dt.date
    end: dt.date

    @property
    def value(self) -> str:
        """How the request form names the period: ``2025-04-01:2025-06-30``."""
        return f"{self.start.isoformat()}:{self.end.isoformat()}"

    @property
    def label(self) -> str:
        return gettext("%(quarter)s (%(start)s – %(end)s)") % {
            "quarter": self.quarter,
            "start": date_format(self.start, "SHORT_DATE_FORMAT"),
            "end": date_format(self.end, "SHORT_DATE_FORMAT"),
        }


def quarter_of(day: dt.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def previous_quarter(today: dt.date) -> Quarter:
    """The quarter that ended most recently before ``today``."""
    return quarter_of(today).preceding()


def project_period(project: Project, quarter: Quarter) -> Period | None:
    """The part of ``quarter`` the project runs in, or None if it does not run then."""
    start, end = max(quarter.start, project.start_date), min(quarter.end, project.end_date)
    return Period(quarter, start, end) if start <= end else None


def project_periods(project: Project, today: dt.date | None = None) -> list[Period]:
    """The project's quarters that have begun by ``today``, newest first."""
    today = today or timezone.localdate()
    last = quarter_of(min(today, project.end_date))
    periods = []
    quarter = quarter_of(project.start_date)
    while (quarter.year, quarter.number) <= (last.year, last.number):
        period = project_period(project, quarter)
        if period is not None:
            periods.append(period)
        quarter = quarter.following()
    return periods[::-1]


# --- The schedule -------------------------------------------------------------------------


def quarterly_languages() -> list[str]:
    """REPORTS_QUARTERLY_LANGUAGES, keeping only languages a report can be written in."""
    configured = getattr(settings, "REPORTS_QUARTERLY_LANGUAGES", ["de", "en"])
    languages = [code for code in dict.fromkeys(configured) if code in ProgressReport.Language.values]
    return languages or [ProgressReport.Language.ENGLISH]


def scheduled_report_create(
    *, project_id: int, period_start: dt.date, period_end: dt.date, language: str
) -> ProgressReport | None:
    """Create the scheduled report for one project, period and language, unless it exists.

    The lock on the project row serialises concurrent runs; under READ COMMITTED the
    check after the lock sees a report another run committed meanwhile.
    """
    with transaction.atomic():
        project = Project.objects.select_for_update().filter(pk=project_id).first()
        if project is None:
            return None
        exists = ProgressReport.objects.filter(
            project=project,
            period_start=period_start,
            period_end=period_end,
            language=language,
            requested_by__isnull=True,
        ).exists()
        if exists:
            return None
        return report_request(
            project=project, actor=None, period_start=period_start, period_end=period_end, language=language
        )


def quarterly_reports_create(*, today: dt.date | None = None) -> list[int]:
    """For every project that ran in the quarter before ``today``, that quarter's reports.

    Returns the ids of the reports created now (empty when the schedule is off or all
    exist already). One project's failure does not stop the others.
    """
    if not getattr(settings, "REPORTS_QUARTERLY_ENABLED", True):
        return []
    quarter = previous_quarter(today or timezone.localdate())
    projects = Project.objects.filter(start_date__lte=quarter.end, end_date__gte=quarter.start).order_by("pk")
    created: list[int] = []
    for project in projects.only("pk", "start_date", "end_date"):
        period = project_period(project, quarter)
        for language in quarterly_languages():
            try:
                report = scheduled_report_create(
                    project_id=project.pk, period_start=period.start, period_end=period.end, language=language
                )
            except Exception:
                # Logged and skipped: the next run of the week tries this project again.
                logger.exception("Could not create the %s report of project %s for %s", language, project.pk, quarter)
                continue
            if report is not None:
                created.append(report.pk)
    return created
