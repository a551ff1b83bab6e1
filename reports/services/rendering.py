"""Rendering a progress report version: build its PDF, store it, or mark it failed.

The task named ``requesting.RENDER_TASK`` (reports/tasks.py) calls :func:`report_render`,
which builds the PDF in the report's language and stores it (reports/storage.py).
Rendering is safe to repeat: done and failed are final, and of two runs of the same
version only one writes a file. When a report of the quarterly schedule is done, the
"report ready" notice is queued (:data:`NOTICE_TASK`, reports/notices.py). Runs whose
worker was lost are recovered by :func:`reports_recover_stale`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from outbox import retry
from outbox.services import message_enqueue
from projects.pdf_rendering import RefusedURL, render_pdf

from ..content import report_content
from ..models import ProgressReport
from ..storage import StoredFile, remove_report_file, report_file_name, store_report_file
from .requesting import RENDER_TASK

logger = logging.getLogger(__name__)

Status = ProgressReport.Status
TEMPLATE = "reports/pdf/report.html"
# The Celery task that e-mails the funder officers (reports/tasks.py registers it under this name).
NOTICE_TASK = "reports.send_report_ready_notice"


# Errors a later attempt may not meet (database restarting, a dropped connection): raised
# again so the task retries them with backoff. Everything else fails the report at once.
TRANSIENT_ERRORS = retry.DATABASE_AND_BROKER_ERRORS


def heartbeat_interval() -> float:
    """How often a run proves it is alive while it renders (seconds)."""
    return float(getattr(settings, "REPORTS_HEARTBEAT_SECONDS", 20))


def heartbeat_stale() -> dt.timedelta:
    """A running report with no sign of life for this long has lost its worker."""
    return dt.timedelta(seconds=getattr(settings, "REPORTS_HEARTBEAT_STALE_SECONDS", 120))


def queued_stale() -> dt.timedelta:
    """A queued report that no worker started within this long is queued again."""
    return dt.timedelta(seconds=getattr(settings, "REPORTS_QUEUED_STALE_SECONDS", 180))


# Runs a report gets in all (transient retries included) before a lost worker fails it: a
# report that takes its worker down every time (e.g. out of memory) must not loop for ever.
MAX_RUNS = 6


def report_html(*, report: ProgressReport, generated_at: dt.datetime) -> str:
    """The report's HTML in its own language (the PDF is this, laid out by WeasyPrint)."""
    with translation.override(report.language):
        content = report_content(report=report, generated_at=generated_at)
        return render_to_string(TEMPLATE, {"report": report, "c": content})


def _failure_message(error: BaseException) -> str:
    """What the coordinator reads: what went wrong and what to do, never a traceback."""
    if isinstance(error, SoftTimeLimitExceeded):
        return gettext(
            "The report took longer than %(seconds)s seconds to build and was stopped. "
            "Try a shorter period, or ask the platform administrators for help."
        ) % {"seconds": settings.CELERY_TASK_SOFT_TIME_LIMIT}
    if isinstance(error, RefusedURL):
        return gettext(
            "The report refers to a file outside the portal, which is not allowed. "
            "The platform administrators have been told."
        )
    if isinstance(error, OSError):
        return gettext(
            "The finished report could not be saved (storage problem). Please request it again later; "
            "if this happens again, tell the platform administrators."
        )
    return gettext(
        "The report could not be built because of an internal error. Please request it again; "
        "if it fails again, tell the platform administrators."
    )


def report_fail(*, report_id: int, message: str) -> None:
    """Mark a report failed with ``message``, unless it is already done (done is final)."""
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status == Status.DONE:
            return
        report.status = Status.FAILED
        report.error_message = message
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "error_message", "finished_at"])


def report_fail_after_retries(*, report_id: int) -> None:
    """The task gave up on transient errors (database or broker unreachable)."""
    report = ProgressReport.objects.filter(pk=report_id).only("language").first()
    if report is None:
        return
    with translation.override(report.language):
        message = gettext(
            "The report could not be built because the database or the task queue did not answer, "
            "even after several attempts. Please request it again later."
        )
    report_fail(report_id=report_id, message=message)


def _alive(report: ProgressReport, now: dt.datetime) -> bool:
    last_sign = report.heartbeat_at or report.started_at
    return report.status == Status.RUNNING and last_sign is not None and last_sign > now - heartbeat_stale()


def _start(report_id: int) -> ProgressReport | None:
    """Claim the report for this run: running, one more attempt. None when there is nothing to do."""
    now = timezone.now()
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().filter(pk=report_id).first()
        # Done and failed are final: a second delivery of the task, or a retry that comes
        # after another run finished, must not produce a second file.
        if report is None or report.status in (Status.DONE, Status.FAILED):
            return None
        if _alive(report, now):
            # Another run is rendering it right now (a second copy of the task, queued again
            # while the first waited in a long queue): leave it to that run.
            return None
        if report.attempts >= MAX_RUNS:
            # Runs that never finished, again and again: most likely the report takes its
            # worker down (out of memory), and Celery re-queues a task whose worker was lost.
            _fail_lost(report, now=timezone.now())
            return None
        report.status = Status.RUNNING
        report.started_at = report.heartbeat_at = now
        report.attempts += 1
        report.save(update_fields=["status", "started_at", "heartbeat_at", "attempts"])
    return report


@contextmanager
def _heartbeat(report_id: int) -> Iterator[None]:
    """While the block runs, a thread marks the report alive every heartbeat_interval().

    WeasyPrint renders in one long call, so the sign of life comes from beside it. The
    thread has its own database connection, closed when it ends.
    """
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(heartbeat_interval()):
                try:
                    ProgressReport.objects.filter(pk=report_id, status=Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError as error:
                    logger.warning("Report %s: heartbeat not recorded: %s", report_id, error)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"report-{report_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def _finish(report: ProgressReport, content: bytes, page_count: int) -> bool:
    """Store the file and mark the report done in one step; False if another run got there first.

    The row stays locked while the file is written, so of two runs of the same task only
    one ever writes a file; if marking the row fails, the file is removed again.
    """
    stored: StoredFile | None = None
    try:
        with transaction.atomic():
            current = ProgressReport.objects.select_for_update().get(pk=report.pk)
            if current.status != Status.RUNNING:
                return False
            stored = store_report_file(
                name=report_file_name(
                    project_id=report.project_id,
                    project_slug=report.project.slug,
                    period_start=report.period_start,
                    period_end=report.period_end,
                    language=report.language,
                    version=report.version,
                ),
                content=content,
            )
            current.status = Status.DONE
            current.file.name = stored.name
            current.sha256 = stored.sha256
            current.file_size = stored.size
            current.page_count = page_count
            current.error_message = ""
            current.finished_at = timezone.now()
            current.save(
                update_fields=["status", "file", "sha256", "file_size", "page_count", "error_message", "finished_at"]
            )
    except BaseException:
        if stored is not None:
            remove_report_file(stored.name)
        raise
    return True


def report_render(*, report_id: int) -> ProgressReport | None:
    """Build, store and finish one report version; safe to call any number of times.

    Returns the report as it ends up, or None when there was nothing to do (unknown id,
    already done or failed). Transient errors (database, connections) are raised again so
    the task can retry; every other error marks the report failed with a message for the
    coordinator, and leaves no file behind.
    """
    report = _start(report_id)
    if report is None:
        return None
    finished = False
    try:
        with _heartbeat(report.pk):
            html = report_html(report=report, generated_at=timezone.now())
            rendered = render_pdf(html)
        finished = _finish(report, rendered.content, rendered.page_count)
    except Exception as error:
        if isinstance(error, TRANSIENT_ERRORS):
            # Back to queued, so the retry of this task may claim it again at once.
            _release_for_retry(report_id)
            raise
        logger.exception("Progress report %s could not be built", report_id)
        with translation.override(report.language):
            message = _failure_message(error)
        report_fail(report_id=report_id, message=message)
    report.refresh_from_db()
    if finished and report.requested_by_id is None:
        # A report of the quarterly schedule (reports/schedule.py): its funders get an
        # e-mail. Only the run that finished it gets here, so the notice is queued once.
        message_enqueue(task=NOTICE_TASK, args=[report.pk])
    return report


def _release_for_retry(report_id: int) -> None:
    try:
        ProgressReport.objects.filter(pk=report_id, status=Status.RUNNING).update(
            status=Status.QUEUED, queued_at=timezone.now()
        )
    except DatabaseError as error:
        # The database is the problem: the sweep takes the report up once its heartbeat is old.
        logger.warning("Report %s: could not mark it queued for its retry: %s", report_id, error)


def _fail_lost(report: ProgressReport, *, now: dt.datetime) -> None:
    """Fail a locked report whose runs kept being lost, with a message in its language."""
    with translation.override(report.language):
        report.error_message = gettext(
            "The report could not be built: the worker building it stopped several times, "
            "for example for lack of memory. Please request it again for a shorter period; "
            "if it fails again, tell the platform administrators."
        )
    report.status = Status.FAILED
    report.finished_at = now
    report.save(update_fields=["status", "error_message", "finished_at"])


def reports_recover_stale(*, now: dt.datetime | None = None) -> tuple[list[int], list[int]]:
    """Give reports whose worker was lost another run, or fail them after MAX_RUNS.

    Run every minute by celery beat. Two kinds are taken up:

    - running, but without a heartbeat for heartbeat_stale(): the worker died mid-render
      (Redis would re-deliver its task only after the visibility timeout, an hour);
    - queued, but started by no worker within queued_stale(): its message was lost on
      the way (a second copy that does arrive finds the report running and does nothing).

    Returns the ids queued again and the ids failed. Rows another sweep holds are skipped,
    so two sweeps at once do not queue a report twice.
    """
    now = now or timezone.now()
    requeued: list[int] = []
    failed: list[int] = []
    with transaction.atomic():
        last_sign = Coalesce("heartbeat_at", "started_at")
        last_queued = Coalesce("queued_at", "created_at")
        stale = (
            ProgressReport.objects.select_for_update(skip_locked=True)
            .annotate(last_sign=last_sign, last_queued=last_queued)
            .filter(
                Q(status=Status.RUNNING, last_sign__lt=now - heartbeat_stale())
                | Q(status=Status.QUEUED, last_queued__lt=now - queued_stale())
            )
        )
        for report in stale:
            if report.status == Status.RUNNING and report.attempts >= MAX_RUNS:
                _fail_lost(report, now=now)
                failed.append(report.pk)
            else:
                report.status = Status.QUEUED
                report.queued_at = now
                report.save(update_fields=["status", "queued_at"])
                message_enqueue(task=RENDER_TASK, args=[report.pk])
                requeued.append(report.pk)
    if requeued or failed:
        logger.warning("Reports whose worker was lost: queued again %s, failed %s", requeued, failed)
    return requeued, failed
