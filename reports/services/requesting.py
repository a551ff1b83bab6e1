"""Requesting a progress report: the next version, queued for rendering.

:func:`report_request` checks the request, creates version *n* (status queued) and
queues the task named :data:`RENDER_TASK` (reports/tasks.py) with the report's id once
the transaction has committed; the task calls ``reports.services.rendering.report_render``.
Each generation is a new immutable version: a report is never rendered twice into two
files, and a failed one stays failed (the coordinator requests a new version).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.changes import create_record
from outbox.services import message_enqueue
from projects.date_bounds import EARLIEST_DATE, LATEST_DATE
from projects.date_bounds import MESSAGE as DATE_BOUNDS_MESSAGE
from projects.models import Project

from ..models import ProgressReport
from ..permissions import can_request_report

Status = ProgressReport.Status

# The Celery task that renders one version (reports/tasks.py registers it under this name).
RENDER_TASK = "reports.render_progress_report"


def report_request(
    *,
    project: Project,
    actor: Any | None,
    period_start: dt.date,
    period_end: dt.date,
    language: str,
) -> ProgressReport:
    """Create the next version of a report and queue its rendering; returns at once.

    ``actor`` is the person asking and must pass ``can_request_report``. ``None`` is
    allowed for one caller only: the quarterly schedule (celery beat), which acts for the
    platform and has nobody to check; views and the admin always pass the user.

    The next version number is read and written under a lock on the project row, so two
    requests at the same moment get versions n and n+1; the unique constraint
    ``report_unique_version`` backs that up in the database.
    """
    if actor is not None and not can_request_report(actor, project):
        raise PermissionDenied
    errors: dict[str, Any] = {}
    if language not in ProgressReport.Language.values:
        errors["language"] = _("Choose German or English.")
    if period_start is None or period_end is None:
        errors["period_start"] = _("Give the first and the last day of the period.")
    elif not (EARLIEST_DATE <= period_start <= LATEST_DATE and EARLIEST_DATE <= period_end <= LATEST_DATE):
        errors["period_start"] = DATE_BOUNDS_MESSAGE
    elif period_end < period_start:
        errors["period_end"] = _("The period cannot end before it starts.")
    elif period_start > project.end_date or period_end < project.start_date:
        errors["period_start"] = _("The period must overlap the project's duration (%(start)s – %(end)s).") % {
            "start": project.start_date.isoformat(),
            "end": project.end_date.isoformat(),
        }
    elif period_start > timezone.localdate():
        errors["period_start"] = _("A report can only cover a period that has already begun.")
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        Project.objects.select_for_update().only("pk").get(pk=project.pk)
        latest = ProgressReport.objects.filter(
            project=project, period_start=period_start, period_end=period_end, language=language
        ).aggregate(latest=Max("version"))["latest"]
        report = ProgressReport.objects.create(
            project=project,
            period_start=period_start,
            period_end=period_end,
            language=language,
            version=(latest or 0) + 1,
            status=Status.QUEUED,
            requested_by=actor,
            queued_at=timezone.now(),
        )
        create_record(actor=actor, instance=report, project_id=project.pk)
        message_enqueue(task=RENDER_TASK, args=[report.pk])
    return report
