"""The "report ready" e-mail to a project's funder officers, for scheduled reports.

When a report of the quarterly schedule (reports/schedule.py) is done, report_render
(reports/services/rendering.py) queues the task ``NOTICE_TASK`` (reports/tasks.py), which
calls :func:`report_ready_notice_send`. The e-mail carries a link to the project's reports
page, never the file: the download goes through the permission check and the log.

The schedule may make the same quarter in several languages; each funder officer gets
one e-mail per quarter, sent with the report in their own language, or with the report
in the first scheduled language if theirs is not among them. The e-mail itself is always
in the officer's language.

Sending once: the first sender claims the notice by setting ``notified_at`` with a
conditional UPDATE (``… WHERE notified_at IS NULL``) before sending, and gives the claim
back if sending fails, so a retry can send. A re-delivered task, or a second one running
at the same moment, finds the claim taken and sends nothing. The claim lives in the
database, so flushing the cache cannot make anybody get the e-mail twice.
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

from .models import ProgressReport
from .schedule import quarterly_languages

logger = logging.getLogger(__name__)

# The project's reports page (argument ``project_slug``); the web layer registers its path
# (events/absolute_urls.py).
REPORTS_PAGE = "project_reports"
TEMPLATES = "reports/email/report_ready"


def _claim_notice(report: ProgressReport) -> bool:
    """Take the one "notice sent" mark of the report; False when another run has it."""
    return bool(
        ProgressReport.objects.filter(pk=report.pk, notified_at__isnull=True).update(notified_at=timezone.now())
    )


def _release_notice(report: ProgressReport) -> None:
    ProgressReport.objects.filter(pk=report.pk).update(notified_at=None)


def notice_recipients(*, report: ProgressReport) -> list[Any]:
    """The project's active funder officers this report's notice goes to (see module docstring)."""
    officers = (
        get_user_model()
        .objects.filter(
            is_active=True,
            project_roles__project_id=report.project_id,
            project_roles__role=ProjectRole.Role.FUNDER_OFFICER,
        )
        .distinct()
        .order_by("email")
    )
    languages = quarterly_languages()
    first = languages[0]
    return [
        officer
        for officer in officers
        if officer.preferred_language == report.language
        or (officer.preferred_language not in languages and report.language == first)
    ]


def reports_page_link(*, report: ProgressReport) -> str:
    return page_url(REPORTS_PAGE, project_slug=report.project.slug)


def report_ready_message(*, report: ProgressReport, recipient: Any) -> EmailMultiAlternatives:
    """The e-mail to one funder officer, in their language, as text and HTML."""
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
    """E-mail the funder officers that a scheduled report is done; returns how many e-mails went out.

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
    logger.info("Report %s: ready notice sent to %s funder officer(s)", report.pk, sent)
    return sent
