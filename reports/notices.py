"""The project's e-mails about progress reports.

- "Draft ready": when a report of the quarterly schedule (reports/schedule.py) is done,
  report_render (reports/services/rendering.py) queues the task ``NOTICE_TASK``
  (reports/tasks.py), which calls :func:`report_ready_notice_send`. It goes to the
  project's *coordinators*, never to the funder: a rendered version is a draft until a
  coordinator submits it (funders never see drafts). The e-mail carries a link to the
  project's reports page, never the file.
- A step of the reporting workflow (reports/services/workflow.py): a submission is
  announced to the project's funder officers, an acknowledgement or a return (with the
  funder's comments) to its coordinators: :func:`reporting_step_notice_send`.

The schedule may make the same quarter in several languages; each coordinator gets one
e-mail per quarter, sent with the report in their own language, or with the report in the
first scheduled language if theirs is not among them. Every e-mail is in the recipient's
language.

Sending once: the first sender claims the notice by setting ``notified_at`` with a
conditional UPDATE (``… WHERE notified_at IS NULL``) before sending, and gives the claim
back if sending fails, so a retry can send. A re-delivered task, or a second one running
at the same moment, finds the claim taken and sends nothing. The claim lives in the
database, so flushing the cache cannot make anybody get the e-mail twice. A workflow
step's notice is claimed the same way, on ``ReportingStep.notified_at``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation

from events.absolute_urls import page_url
from projects.models import ProjectRole

from .models import ProgressReport, ReportingStep
from .schedule import quarterly_languages

logger = logging.getLogger(__name__)

# The project's reports page (argument ``project_slug``); the web layer registers its path
# (events/absolute_urls.py).
REPORTS_PAGE = "project_reports"
# One reporting period's page (arguments ``project_slug`` and ``pk``).
PERIOD_PAGE = "reporting_period"
TEMPLATES = "reports/email/report_ready"
STEP_TEMPLATES = "reports/email/reporting_step"


def _claim_notice(report: ProgressReport) -> bool:
    """Take the one "notice sent" mark of the report; False when another run has it."""
    return bool(
        ProgressReport.objects.filter(pk=report.pk, notified_at__isnull=True).update(notified_at=timezone.now())
    )


def _release_notice(report: ProgressReport) -> None:
    ProgressReport.objects.filter(pk=report.pk).update(notified_at=None)


def _project_people(project_id: int, role: str) -> Any:
    return (
        get_user_model()
        .objects.filter(is_active=True, project_roles__project_id=project_id, project_roles__role=role)
        .distinct()
        .order_by("email")
    )


def notice_recipients(*, report: ProgressReport) -> list[Any]:
    """The project's active coordinators this draft's notice goes to (see module docstring)."""
    coordinators = _project_people(report.project_id, ProjectRole.Role.COORDINATOR)
    languages = quarterly_languages()
    first = languages[0]
    return [
        person
        for person in coordinators
        if person.preferred_language == report.language
        or (person.preferred_language not in languages and report.language == first)
    ]


def reports_page_link(*, report: ProgressReport) -> str:
    return page_url(REPORTS_PAGE, project_slug=report.project.slug)


def report_ready_message(*, report: ProgressReport, recipient: Any) -> EmailMultiAlternatives:
    """The e-mail to one coordinator, in their language, as text and HTML."""
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "report": report,
            "project": report.project,
            "recipient": recipient,
            "link": reports_page_link(report=report),
        }
        subject = " ".join(render_to_string(f"{TEMPLATES}_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"{TEMPLATES}.txt", context),
            to=[recipient.email],
            headers={"Content-Language": language},
        )
        message.attach_alternative(render_to_string(f"{TEMPLATES}.html", context), "text/html")
    return message


def report_ready_notice_send(*, report_id: int) -> int:
    """E-mail the coordinators that a scheduled draft is done; returns how many e-mails went out.

    Nothing is sent for a report that is unknown, not done, requested by a person (they
    follow it on the page), or already announced.
    """
    report = ProgressReport.objects.select_related("project").filter(pk=report_id).first()
    if report is None or report.status != ProgressReport.Status.DONE or report.requested_by_id is not None:
        return 0
    recipients = notice_recipients(report=report)
    if not recipients:
        return 0
    if not _claim_notice(report):
        return 0
    try:
        messages = [report_ready_message(report=report, recipient=recipient) for recipient in recipients]
        with get_connection() as connection:
            sent = connection.send_messages(messages) or 0
    except Exception:
        # Give the claim back, so the task's retry (or the next delivery) can send.
        _release_notice(report)
        raise
    logger.info("Report %s: draft ready notice sent to %s coordinator(s)", report.pk, sent)
    return sent


# --- Steps of the reporting workflow -------------------------------------------------------


def step_recipients(*, step: ReportingStep) -> list[Any]:
    """Who hears of the step: funder officers of a submission, coordinators of an answer."""
    role = (
        ProjectRole.Role.FUNDER_OFFICER
        if step.action == ReportingStep.Action.SUBMITTED
        else ProjectRole.Role.COORDINATOR
    )
    return list(_project_people(step.period.project_id, role))


def _claim_step_notice(step: ReportingStep) -> bool:
    return bool(ReportingStep.objects.filter(pk=step.pk, notified_at__isnull=True).update(notified_at=timezone.now()))


def _release_step_notice(step: ReportingStep) -> None:
    ReportingStep.objects.filter(pk=step.pk).update(notified_at=None)


def reporting_step_message(*, step: ReportingStep, recipient: Any) -> EmailMultiAlternatives:
    """The e-mail about one step to one person, in their language, as text and HTML."""
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    period = step.period
    with translation.override(language):
        context = {
            "step": step,
            "period": period,
            "project": period.project,
            "recipient": recipient,
            "versions": list(step.reports.order_by("language")),
            "link": page_url(PERIOD_PAGE, project_slug=period.project.slug, pk=period.pk),
        }
        subject = " ".join(render_to_string(f"{STEP_TEMPLATES}_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"{STEP_TEMPLATES}.txt", context),
            to=[recipient.email],
            headers={"Content-Language": language},
        )
        message.attach_alternative(render_to_string(f"{STEP_TEMPLATES}.html", context), "text/html")
    return message


def reporting_step_notice_send(*, step_id: int) -> int:
    """E-mail the other side about a workflow step, once; returns how many e-mails went out."""
    step = ReportingStep.objects.select_related("period", "period__project", "actor").filter(pk=step_id).first()
    if step is None:
        return 0
    recipients = step_recipients(step=step)
    if not recipients or not _claim_step_notice(step):
        return 0
    try:
        messages = [reporting_step_message(step=step, recipient=recipient) for recipient in recipients]
        with get_connection() as connection:
            sent = connection.send_messages(messages) or 0
    except Exception:
        _release_step_notice(step)
        raise
    logger.info("Reporting step %s (%s): notice sent to %s person(s)", step.pk, step.action, sent)
    return sent
