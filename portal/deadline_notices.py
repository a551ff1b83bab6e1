"""E-mails about deliverable deadlines: due within a week, and overdue.

A daily job (celery beat, settings.CELERY_BEAT_SCHEDULE "portal-deadline-notices") runs
:func:`deadline_notices_queue`. For each open deliverable (planned or in progress) due
in the next ``DUE_SOON_DAYS`` days, or overdue since at most ``OVERDUE_WINDOW_DAYS`` days,
it claims the notice for that deliverable, kind and due date (outbox.SentMark) and queues
the task ``DEADLINE_NOTICE_TASK`` in the same transaction. A changed due date is a new
notice: people hear of the new date too. Days the job did not run are caught up (a
window, not an exact day), and the overdue window keeps a first run from e-mailing about
deliverables that were late years ago.

The task (:func:`deadline_notice_send`) e-mails the lead organisation's staff in the
project (ProjectRole partner staff of that organisation) and the project's coordinators
(who may change the deliverable: projects.permissions.can_change_deliverable), each once
(events/branded_mail.send_once). A deliverable delivered, or re-dated, before the worker
came gets no stale notice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from events.absolute_urls import absolute_url
from events.branded_mail import branded_message, send_once
from outbox.services import message_enqueue, sent_mark_claim
from projects.models import Deliverable, ProjectRole

DEADLINE_NOTICE_TASK = "portal.send_deadline_notice"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
KINDS = (DUE_SOON, OVERDUE)
DUE_SOON_DAYS = 7
OVERDUE_WINDOW_DAYS = 30
OPEN = (Deliverable.Status.PLANNED, Deliverable.Status.IN_PROGRESS)


def _notice_key(deliverable_id: int, kind: str, due_date: dt.date) -> str:
    return f"portal:deadline:{deliverable_id}:{kind}:{due_date.isoformat()}"


def due_deliverables(*, kind: str, today: dt.date) -> list[tuple[int, dt.date]]:
    """(id, due date) of the open deliverables the notice ``kind`` is about today."""
    if kind == DUE_SOON:
        window = Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    else:
        window = Q(due_date__lt=today, due_date__gte=today - dt.timedelta(days=OVERDUE_WINDOW_DAYS))
    return list(
        Deliverable.objects.filter(window, status__in=OPEN).order_by("due_date", "pk").values_list("pk", "due_date")
    )


def deadline_notices_queue(*, today: dt.date | None = None) -> int:
    """Queue each deadline notice not sent yet for its deliverable, kind and due date; returns how many."""
    today = today or timezone.localdate()
    queued = 0
    for kind in KINDS:
        for deliverable_id, due_date in due_deliverables(kind=kind, today=today):
            with transaction.atomic():
                # Claim and message commit together: a notice is queued once, and never lost.
                if not sent_mark_claim(key=_notice_key(deliverable_id, kind, due_date)):
                    continue
                message_enqueue(task=DEADLINE_NOTICE_TASK, args=[deliverable_id, kind, due_date.isoformat()])
            queued += 1
    return queued


def deadline_recipients(deliverable: Deliverable) -> list[Any]:
    """The project's coordinators and the lead organisation's staff in the project, active accounts."""
    who = Q(project_roles__project_id=deliverable.project_id, project_roles__role=ProjectRole.Role.COORDINATOR)
    if deliverable.lead_organisation_id:
        who |= Q(
            project_roles__project_id=deliverable.project_id,
            project_roles__role=ProjectRole.Role.PARTNER_STAFF,
            project_roles__organisation_id=deliverable.lead_organisation_id,
        )
    return list(get_user_model().objects.filter(who, is_active=True).distinct().order_by("pk"))


def deadline_notice_send(*, deliverable_id: int, kind: str, due_date: str) -> int:
    """E-mail the notice ``kind`` about the deliverable due on ``due_date``; returns how many went out."""
    if kind not in KINDS:
        raise ValueError(f"unknown deadline notice {kind!r}")
    due = dt.date.fromisoformat(due_date)
    deliverable = (
        Deliverable.objects.select_related("project", "lead_organisation", "work_package")
        .filter(pk=deliverable_id)
        .first()
    )
    if deliverable is None or deliverable.status not in OPEN or deliverable.due_date != due:
        # Delivered or re-dated meanwhile: the notice would be wrong (a new date has its own).
        return 0
    today = timezone.localdate()
    context = {
        "kind": kind,
        "deliverable": deliverable,
        "project": deliverable.project,
        "due_date": deliverable.due_date,
        "days_left": (deliverable.due_date - today).days,
        "days_late": (today - deliverable.due_date).days,
        "deliverable_url": absolute_url(reverse("workspace:deliverable_edit", args=[deliverable.pk])),
    }
    return send_once(
        key=f"{_notice_key(deliverable.pk, kind, due)}:to",
        recipients=deadline_recipients(deliverable),
        build=lambda recipient: branded_message(
            template=f"projects/email/deliverable_{kind}", recipient=recipient, context=context
        ),
    )
