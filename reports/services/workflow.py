"""The reporting workflow funders expect: a period's texts and figures, and its sign-off.

A reporting period (reports.models.ReportingPeriod) is written while the coordinator
holds it (draft, or returned by the funder): work package narratives, manual indicator
values, budget spends and the next period's plan. Every such write bumps
``content_changed_at``, so a report version rendered before the last change cannot be
submitted: it would not show what the funder is told was entered.

Status changes (submit, acknowledge, return) lock the period row (select_for_update),
check the status under the lock, record a ReportingStep and queue the e-mail to the other
side through the outbox (task :data:`STEP_NOTICE_TASK`, reports/tasks.py →
reports/notices.py): funder officers hear of a submission, coordinators of an answer.

Permissions are the callers' (views) business, as for the other writes of this app; the
services check what must hold whoever calls: the state, and that objects belong together.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.changes import ChangeAction, change_record, create_record, snapshot, update_record
from outbox.services import message_enqueue
from projects.date_bounds import EARLIEST_DATE, LATEST_DATE
from projects.date_bounds import MESSAGE as DATE_BOUNDS_MESSAGE
from projects.models import BudgetLine, Indicator, Project, WorkPackage

from ..models import (
    BudgetSpend,
    IndicatorValue,
    ProgressReport,
    ReportingPeriod,
    ReportingStep,
    WorkPackageNarrative,
)

Status = ReportingPeriod.Status
Action = ReportingStep.Action

# The Celery task that e-mails the other side about one step (reports/tasks.py).
STEP_NOTICE_TASK = "reports.send_reporting_step_notice"

NOT_EDITABLE = _("This period was submitted to the funder: its texts and figures can no longer change.")
STALE_VERSION = _("The texts or figures changed after this version was made: generate a new version first.")


def reporting_period_open(*, project: Project, period_start: dt.date, period_end: dt.date) -> ReportingPeriod:
    """The project's period with these dates, created (as a draft) if it does not exist yet."""
    errors: dict[str, Any] = {}
    if period_start is None or period_end is None:
        errors["period_start"] = _("Give the first and the last day of the period.")
    elif not (EARLIEST_DATE <= period_start <= LATEST_DATE and EARLIEST_DATE <= period_end <= LATEST_DATE):
        errors["period_start"] = DATE_BOUNDS_MESSAGE
    elif period_end < period_start:
        errors["period_end"] = _("The period cannot end before it starts.")
    elif period_start < project.start_date or period_end > project.end_date:
        errors["period_start"] = _("The period must lie within the project's duration (%(start)s – %(end)s).") % {
            "start": project.start_date.isoformat(),
            "end": project.end_date.isoformat(),
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The project row serialises two coordinators opening the same period at once.
        Project.objects.select_for_update().only("pk").get(pk=project.pk)
        period, _created = ReportingPeriod.objects.get_or_create(
            project=project, period_start=period_start, period_end=period_end
        )
    return period


def _log(*, actor: Any, instance: Any, before: dict | None, project_id: int) -> None:
    """The change log entry of a period's text or figure (audit/changes.py): ``before`` is
    {} for a row created now, None for a row deleted now."""
    if before is None:
        return
    if before == {}:
        create_record(actor=actor, instance=instance, project_id=project_id)
    else:
        update_record(actor=actor, instance=instance, before=before, project_id=project_id)


def _log_deleted(*, actor: Any, rows: list, project_id: int) -> None:
    for row in rows:
        change_record(
            actor=actor,
            instance=row,
            action=ChangeAction.DELETE,
            before=snapshot(row),
            after=None,
            project_id=project_id,
        )


def _lock_editable(period: ReportingPeriod) -> ReportingPeriod:
    """The period's row, locked, if its texts and figures may change; else ValidationError."""
    locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not locked.is_editable:
        raise ValidationError(NOT_EDITABLE)
    return locked


def _touch(period: ReportingPeriod, locked: ReportingPeriod) -> None:
    now = timezone.now()
    ReportingPeriod.objects.filter(pk=locked.pk).update(content_changed_at=now)
    period.content_changed_at = now
    period.status = locked.status


def narrative_save(
    *, period: ReportingPeriod, work_package: WorkPackage, actor: Any, **texts: str
) -> WorkPackageNarrative:
    """Write one work package's narrative for the period; ``texts`` are among
    activities, activities_de, results, results_de, deviations, deviations_de, risks, risks_de."""
    allowed = {name for base in WorkPackageNarrative.TEXTS for name in (base, f"{base}_de")}
    unknown = set(texts) - allowed
    if unknown:
        raise ValueError(f"Unknown narrative fields: {sorted(unknown)}")
    if work_package.project_id != period.project_id:
        raise ValidationError(_("The work package belongs to another project."))
    with transaction.atomic():
        locked = _lock_editable(period)
        narrative, created = WorkPackageNarrative.objects.select_for_update().get_or_create(
            period=locked, work_package=work_package
        )
        before = {} if created else snapshot(narrative)
        for name, value in texts.items():
            setattr(narrative, name, (value or "").strip())
        narrative.updated_by = actor
        narrative.save()
        _log(actor=actor, instance=narrative, before=before, project_id=locked.project_id)
        _touch(period, locked)
    return narrative


def indicator_value_save(
    *, period: ReportingPeriod, indicator: Indicator, value: Decimal | None, comment: str, actor: Any
) -> IndicatorValue | None:
    """The value a manual indicator reached in the period; ``None`` clears it."""
    if indicator.project_id != period.project_id:
        raise ValidationError(_("The indicator belongs to another project."))
    if indicator.is_computed:
        raise ValidationError(_("The portal counts this indicator itself; it cannot be entered by hand."))
    if value is not None and value < 0:
        raise ValidationError({"value": _("An achieved value cannot be negative.")})
    with transaction.atomic():
        locked = _lock_editable(period)
        stored = IndicatorValue.objects.filter(period=locked, indicator=indicator).first()
        if value is None:
            IndicatorValue.objects.filter(period=locked, indicator=indicator).delete()
            _log_deleted(actor=actor, rows=[stored] if stored else [], project_id=locked.project_id)
            result = None
        else:
            before = snapshot(stored) if stored else {}
            result, _created = IndicatorValue.objects.update_or_create(
                period=locked, indicator=indicator, defaults={"value": value, "comment": (comment or "").strip()}
            )
            _log(actor=actor, instance=result, before=before, project_id=locked.project_id)
        _touch(period, locked)
    return result


def budget_spend_save(
    *, period: ReportingPeriod, budget_line: BudgetLine, amount: Decimal | None, actor: Any
) -> BudgetSpend | None:
    """What one budget line spent in the period; ``None`` clears it."""
    if budget_line.project_id != period.project_id:
        raise ValidationError(_("The budget line belongs to another project."))
    if amount is not None and amount < 0:
        raise ValidationError({"amount": _("The amount spent cannot be negative.")})
    with transaction.atomic():
        locked = _lock_editable(period)
        stored = BudgetSpend.objects.filter(period=locked, budget_line=budget_line).first()
        if amount is None:
            BudgetSpend.objects.filter(period=locked, budget_line=budget_line).delete()
            _log_deleted(actor=actor, rows=[stored] if stored else [], project_id=locked.project_id)
            result = None
        else:
            before = snapshot(stored) if stored else {}
            result, _created = BudgetSpend.objects.update_or_create(
                period=locked, budget_line=budget_line, defaults={"amount": amount}
            )
            _log(actor=actor, instance=result, before=before, project_id=locked.project_id)
        _touch(period, locked)
    return result


def next_period_plan_save(*, period: ReportingPeriod, actor: Any, text: str, text_de: str) -> ReportingPeriod:
    with transaction.atomic():
        locked = _lock_editable(period)
        now = timezone.now()
        fields = ["next_period_plan", "next_period_plan_de"]
        before = snapshot(locked, fields=fields)
        ReportingPeriod.objects.filter(pk=locked.pk).update(
            next_period_plan=(text or "").strip(), next_period_plan_de=(text_de or "").strip(), content_changed_at=now
        )
        locked.next_period_plan, locked.next_period_plan_de = (text or "").strip(), (text_de or "").strip()
        update_record(actor=actor, instance=locked, before=before, project_id=locked.project_id)
    period.next_period_plan, period.next_period_plan_de = (text or "").strip(), (text_de or "").strip()
    period.content_changed_at = now
    return period


def _check_versions(period: ReportingPeriod, reports: list[ProgressReport]) -> None:
    if not reports:
        raise ValidationError(_("Choose the version to submit."))
    languages = [report.language for report in reports]
    if len(set(languages)) != len(languages):
        raise ValidationError(_("Submit at most one version per language."))
    for report in reports:
        if (report.project_id, report.period_start, report.period_end) != (
            period.project_id,
            period.period_start,
            period.period_end,
        ):
            raise ValidationError(_("This version is not a report of this period."))
        if report.status != ProgressReport.Status.DONE:
            raise ValidationError(_("Only a finished version can be submitted."))
        if report.submitted_in_id is not None:
            raise ValidationError(_("This version was already submitted."))
        # A version started before the last change cannot show it; one never started cannot either.
        if period.content_changed_at is not None and (
            report.started_at is None or report.started_at < period.content_changed_at
        ):
            raise ValidationError(STALE_VERSION)


def reporting_period_submit(*, period: ReportingPeriod, reports: list[ProgressReport], actor: Any) -> ReportingStep:
    """Submit the period, with one finished version per language at most, to the funder."""
    with transaction.atomic():
        locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if not locked.is_editable:
            raise ValidationError(_("This period is not waiting to be submitted."))
        fresh = list(ProgressReport.objects.filter(pk__in=[report.pk for report in reports]))
        if len(fresh) != len({report.pk for report in reports}):
            raise ValidationError(_("This version no longer exists."))
        _check_versions(locked, fresh)
        step = ReportingStep.objects.create(period=locked, action=Action.SUBMITTED, actor=actor)
        for report in fresh:
            # Conditional: a version is frozen by the first submission that claims it.
            if not ProgressReport.objects.filter(pk=report.pk, submitted_in__isnull=True).update(submitted_in=step):
                raise ValidationError(_("This version was already submitted."))
        ReportingPeriod.objects.filter(pk=locked.pk).update(status=Status.SUBMITTED)
        _log_status(locked, actor=actor, status=Status.SUBMITTED)
        message_enqueue(task=STEP_NOTICE_TASK, args=[step.pk])
    period.status = Status.SUBMITTED
    return step


def _log_status(locked: ReportingPeriod, *, actor: Any, status: str, comment: str = "") -> None:
    """A workflow step in the change log: the period's status, old → new (and the funder's comment)."""
    before = {"status": locked.status}
    after: dict[str, Any] = {"status": status}
    if comment:
        before["comment"], after["comment"] = None, comment
    change_record(
        actor=actor,
        instance=locked,
        action=ChangeAction.UPDATE,
        before=before,
        after=after,
        project_id=locked.project_id,
    )


def _answer(*, period: ReportingPeriod, actor: Any, action: str, status: str, comment: str) -> ReportingStep:
    with transaction.atomic():
        locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.status != Status.SUBMITTED:
            raise ValidationError(_("Only a period submitted to the funder can be acknowledged or returned."))
        step = ReportingStep.objects.create(period=locked, action=action, actor=actor, comment=comment)
        ReportingPeriod.objects.filter(pk=locked.pk).update(status=status)
        _log_status(locked, actor=actor, status=status, comment=comment)
        message_enqueue(task=STEP_NOTICE_TASK, args=[step.pk])
    period.status = status
    return step


def reporting_period_acknowledge(*, period: ReportingPeriod, actor: Any, comment: str = "") -> ReportingStep:
    """The funder accepts the submitted report; the coordinators are told."""
    return _answer(
        period=period,
        actor=actor,
        action=Action.ACKNOWLEDGED,
        status=Status.ACKNOWLEDGED,
        comment=(comment or "").strip(),
    )


def reporting_period_return(*, period: ReportingPeriod, actor: Any, comment: str) -> ReportingStep:
    """The funder sends the report back with comments; the coordinator edits and submits again."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what needs to change when you return a report.")})
    return _answer(period=period, actor=actor, action=Action.RETURNED, status=Status.RETURNED, comment=comment)
