"""The demo's submitted progress reports: rendered and submitted through the real services.

The seed data describes periods a funder has already received (ECCIPA's Q2 2021 report on
the needs review). ``load_demo`` creates their texts and figures as a draft; this step
then does what the coordinator would do in the workspace: request a version in each
language, wait for it (here: render it in this process, as a worker would), and submit it
to the funder, who can acknowledge it or return it with comments.

It runs after ``load_demo`` has committed, never inside its transaction: rendering reads
and writes the report row from a heartbeat thread with its own connection. A second run
finds the period submitted and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from projects.models import Project
from reports.models import ProgressReport, ReportingPeriod
from reports.services.rendering import report_render
from reports.services.requesting import report_request
from reports.services.workflow import reporting_period_submit


@dataclass
class SubmittedReports:
    submitted: int = 0
    unchanged: int = 0


def _version(period: ReportingPeriod, language: str, actor) -> ProgressReport:
    """A finished version made after the period's last change, rendered now if there is none."""
    done = (
        ProgressReport.objects.filter(
            project=period.project,
            period_start=period.period_start,
            period_end=period.period_end,
            language=language,
            status=ProgressReport.Status.DONE,
            submitted_in__isnull=True,
        )
        .order_by("-version")
        .first()
    )
    if done is not None and (period.content_changed_at is None or done.started_at >= period.content_changed_at):
        return done
    report = report_request(
        project=period.project,
        actor=actor,
        period_start=period.period_start,
        period_end=period.period_end,
        language=language,
    )
    # In the embedded default Celery is eager and the version may be finished already; a
    # worker that picks up the queued message later finds it done and does nothing.
    report_render(report_id=report.pk)
    report.refresh_from_db()
    return report


def demo_reports_submit(projects: Iterable[Mapping]) -> SubmittedReports:
    """Submit every period the seed marks ``submit_as`` (a demo coordinator's e-mail)."""
    result = SubmittedReports()
    users = get_user_model().objects
    for row in projects:
        for period_row in row.get("reporting_periods", []):
            email = period_row.get("submit_as")
            if not email:
                continue
            period = ReportingPeriod.objects.select_related("project").get(
                project=Project.objects.get(slug=row["slug"]),
                period_start=period_row["period_start"],
                period_end=period_row["period_end"],
            )
            if period.status != ReportingPeriod.Status.DRAFT:
                result.unchanged += 1
                continue
            actor = users.get(email=email)
            versions = [_version(period, language, actor) for language in ProgressReport.Language.values]
            reporting_period_submit(
                period=period, reports=[v for v in versions if v.status == ProgressReport.Status.DONE], actor=actor
            )
            result.submitted += 1
    return result
