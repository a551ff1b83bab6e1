"""Celery tasks for progress reports. Thin: they take ids and call a service.

The tasks import the services, never the other way round: a service queues a task by its
name (through the outbox), and the names are the services' constants used here.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from outbox.retry import RETRY_OPTIONS

from .notices import report_ready_notice_send, reporting_step_notice_send
from .schedule import quarterly_reports_create
from .services.rendering import (
    NOTICE_TASK,
    TRANSIENT_ERRORS,
    report_fail_after_retries,
    report_render,
    reports_recover_stale,
)
from .services.requesting import RENDER_TASK
from .services.workflow import STEP_NOTICE_TASK

# Retries for transient errors: 3 more attempts, about 2 s, 4 s and 8 s apart (with
# jitter), capped at a minute, so a database restart does not fail a report.
RENDER_MAX_RETRIES = 3


@shared_task(
    bind=True,
    name=RENDER_TASK,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=RENDER_MAX_RETRIES,
    # Explicit rather than inherited, so a change of the global defaults cannot lift them:
    # the soft limit raises inside the render (the report is marked failed, the temporary
    # file removed); the hard limit kills a child that ignores it.
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    acks_late=True,
    reject_on_worker_lost=True,
)
def render_progress_report(self, report_id: int) -> str | None:
    """Render one report version; running it twice, or after it is done, changes nothing."""
    try:
        report = report_render(report_id=report_id)
    except TRANSIENT_ERRORS:
        if self.request.retries >= self.max_retries:
            # Out of retries: tell the coordinator instead of leaving the report "running".
            report_fail_after_retries(report_id=report_id)
            return "failed"
        raise  # autoretry_for schedules the next attempt
    return report.status if report is not None else None


@shared_task(name=NOTICE_TASK, **RETRY_OPTIONS)
def send_report_ready_notice(report_id: int) -> int:
    """E-mail the coordinators that a scheduled draft is ready to review; sends each notice once."""
    return report_ready_notice_send(report_id=report_id)


@shared_task(name=STEP_NOTICE_TASK, **RETRY_OPTIONS)
def send_reporting_step_notice(step_id: int) -> int:
    """E-mail the other side about a submission, acknowledgement or return; sends each notice once."""
    return reporting_step_notice_send(step_id=step_id)


@shared_task(name="reports.create_quarterly_reports")
def create_quarterly_reports() -> list[int]:
    """celery beat (CELERY_BEAT_SCHEDULE): the reports of the quarter that just ended, each once."""
    return quarterly_reports_create()


@shared_task(name="reports.recover_stale_reports")
def recover_stale_reports() -> dict[str, list[int]]:
    """celery beat (CELERY_BEAT_SCHEDULE): reports whose worker was lost get another run."""
    requeued, failed = reports_recover_stale()
    return {"requeued": requeued, "failed": failed}
