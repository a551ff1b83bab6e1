"""The reporting workflow's services: draft → submitted → returned → submitted → acknowledged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from outbox.models import Message
from projects.models import Indicator, ProjectRole
from reports import notices
from reports.models import ProgressReport, ReportingPeriod, ReportingStep, WorkPackageNarrative
from reports.services import workflow
from tests.factories import (
    BudgetLineFactory,
    IndicatorFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectRoleFactory,
    UserFactory,
    WorkPackageFactory,
)
from tests.outbox_capture import capture
from tests.worlds import built_once

pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 1, 1), dt.date(2025, 3, 31)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[SimpleNamespace]:
    with built_once(django_db_blocker):
        project = ProjectFactory(
            acronym="FLOW", slug="flow", start_date=dt.date(2025, 1, 1), end_date=dt.date(2026, 12, 31)
        )
        coordinator = UserFactory(email="coordinator.flow@example.org", preferred_language="en")
        ProjectRoleFactory(user=coordinator, project=project)
        funder = UserFactory(email="funder.flow@example.org", preferred_language="de")
        ProjectRoleFactory(user=funder, project=project, role=ProjectRole.Role.FUNDER_OFFICER)
        other = ProjectFactory(start_date=dt.date(2025, 1, 1), end_date=dt.date(2026, 12, 31))
        yield SimpleNamespace(
            project=project,
            coordinator=coordinator,
            funder=funder,
            other=other,
            work_package=WorkPackageFactory(project=project, number=1),
            indicator=IndicatorFactory(project=project, code="O1"),
            computed=IndicatorFactory(project=project, code="O2", source=Indicator.Source.PARTICIPANTS),
            budget_line=BudgetLineFactory(project=project),
        )


@pytest.fixture
def w(built, db) -> SimpleNamespace:
    return built


@pytest.fixture
def queued(monkeypatch) -> list:
    """The notices the services queued (outbox rows; their delivery is another test's business)."""
    capture(monkeypatch, [], task=workflow.STEP_NOTICE_TASK)

    class Queued:
        def __eq__(self, other: object) -> bool:
            return self.rows() == other

        def __getitem__(self, index: int) -> tuple:
            return self.rows()[index]

        def rows(self) -> list:
            return [
                tuple(args)
                for args in Message.objects.filter(task=workflow.STEP_NOTICE_TASK)
                .order_by("pk")
                .values_list("args", flat=True)
            ]

    return Queued()


def _period(w) -> ReportingPeriod:
    return workflow.reporting_period_open(project=w.project, period_start=START, period_end=END)


def _version(w, language: str = "en", version: int = 1, started: dt.datetime | None = None) -> ProgressReport:
    return ProgressReportFactory(
        project=w.project,
        period_start=START,
        period_end=END,
        language=language,
        version=version,
        done=True,
        started_at=started or timezone.now(),
    )


def test_opening_a_period_twice_finds_the_same_one(w):
    first = _period(w)
    assert _period(w) == first and first.status == "draft"


@pytest.mark.parametrize(
    "start, end",
    [(dt.date(2024, 12, 1), dt.date(2025, 1, 31)), (dt.date(2025, 3, 1), dt.date(2025, 2, 1)), (None, END)],
)
def test_a_period_must_lie_within_the_project(w, start, end):
    with pytest.raises(ValidationError):
        workflow.reporting_period_open(project=w.project, period_start=start, period_end=end)
    assert not ReportingPeriod.objects.exists()


def test_the_whole_workflow(w, queued, django_capture_on_commit_callbacks):
    period = _period(w)
    workflow.narrative_save(
        period=period, work_package=w.work_package, actor=w.coordinator, activities="Met twice.", risks_de="Hitze"
    )
    workflow.indicator_value_save(period=period, indicator=w.indicator, value=Decimal("7"), comment="", actor=None)
    workflow.budget_spend_save(period=period, budget_line=w.budget_line, amount=Decimal("1200.50"), actor=None)
    workflow.next_period_plan_save(period=period, actor=w.coordinator, text="More meetings.", text_de="")
    period.refresh_from_db()
    assert period.content_changed_at is not None and period.next_period_plan == "More meetings."
    narrative = WorkPackageNarrative.objects.get(period=period)
    assert (narrative.activities, narrative.risks_de, narrative.updated_by) == ("Met twice.", "Hitze", w.coordinator)

    english, german = _version(w, "en"), _version(w, "de")
    step = workflow.reporting_period_submit(period=period, reports=[english, german], actor=w.coordinator)
    period.refresh_from_db()
    assert period.status == "submitted"
    assert (step.action, step.actor, step.at is not None) == ("submitted", w.coordinator, True)
    assert set(step.reports.all()) == {english, german}

    returned = workflow.reporting_period_return(period=period, actor=w.funder, comment="Add the WP1 figures.")
    assert period.status == "returned" and returned.comment == "Add the WP1 figures."
    # Returned: editable again; the submitted versions stay frozen.
    workflow.narrative_save(period=period, work_package=w.work_package, actor=w.coordinator, results="Figures.")
    with pytest.raises(ValidationError, match="generate a new version first"):
        workflow.reporting_period_submit(period=period, reports=[_version(w, "en", 2, started=step.at)], actor=None)
    fresh = _version(w, "en", 3)
    workflow.reporting_period_submit(period=period, reports=[fresh], actor=w.coordinator)
    acknowledged = workflow.reporting_period_acknowledge(period=period, actor=w.funder)
    period.refresh_from_db()
    assert period.status == "acknowledged"
    trail = list(period.steps.values_list("action", "actor"))
    assert trail == [
        ("submitted", w.coordinator.pk),
        ("returned", w.funder.pk),
        ("submitted", w.coordinator.pk),
        ("acknowledged", w.funder.pk),
    ]
    assert queued == [(s.pk,) for s in ReportingStep.objects.order_by("at", "id")]
    assert acknowledged.pk == queued[-1][0]


def test_a_submitted_period_cannot_change(w, queued):
    period = _period(w)
    workflow.reporting_period_submit(period=period, reports=[_version(w)], actor=w.coordinator)
    calls = [
        lambda: workflow.narrative_save(period=period, work_package=w.work_package, actor=None, activities="x"),
        lambda: workflow.indicator_value_save(period=period, indicator=w.indicator, value=1, comment="", actor=None),
        lambda: workflow.budget_spend_save(period=period, budget_line=w.budget_line, amount=1, actor=None),
        lambda: workflow.next_period_plan_save(period=period, actor=None, text="x", text_de=""),
        lambda: workflow.reporting_period_submit(period=period, reports=[_version(w, version=2)], actor=None),
    ]
    for call in calls:
        with pytest.raises(ValidationError):
            call()
    assert not WorkPackageNarrative.objects.exists()


def test_refusals(w, queued):
    period = _period(w)
    with pytest.raises(ValidationError):
        workflow.reporting_period_acknowledge(period=period, actor=w.funder)  # a draft
    with pytest.raises(ValidationError):
        workflow.reporting_period_return(period=period, actor=w.funder, comment="x")  # a draft
    old = _version(w, started=timezone.now() - dt.timedelta(hours=1))
    workflow.budget_spend_save(period=period, budget_line=w.budget_line, amount=Decimal(5), actor=None)
    with pytest.raises(ValidationError, match="The texts or figures changed after this version was made"):
        workflow.reporting_period_submit(period=period, reports=[old], actor=w.coordinator)
    with pytest.raises(ValidationError):
        workflow.reporting_period_submit(period=period, reports=[], actor=w.coordinator)
    with pytest.raises(ValidationError):  # two English versions
        workflow.reporting_period_submit(
            period=period, reports=[_version(w, version=2), _version(w, version=3)], actor=None
        )
    unfinished = ProgressReportFactory(project=w.project, period_start=START, period_end=END, version=4)
    with pytest.raises(ValidationError):
        workflow.reporting_period_submit(period=period, reports=[unfinished], actor=None)
    other_period = ProgressReportFactory(project=w.project, done=True, started_at=timezone.now())
    with pytest.raises(ValidationError):
        workflow.reporting_period_submit(period=period, reports=[other_period], actor=None)
    with pytest.raises(ValidationError):
        workflow.indicator_value_save(period=period, indicator=w.computed, value=1, comment="", actor=None)
    with pytest.raises(ValidationError):
        workflow.budget_spend_save(
            period=period, budget_line=BudgetLineFactory(project=w.other), amount=Decimal(1), actor=None
        )
    period.refresh_from_db()
    assert period.status == "draft" and not period.steps.exists() and queued == []

    workflow.reporting_period_submit(period=period, reports=[_version(w, version=5)], actor=w.coordinator)
    for comment in ("", "   "):
        with pytest.raises(ValidationError):
            workflow.reporting_period_return(period=period, actor=w.funder, comment=comment)
    period.refresh_from_db()
    assert period.status == "submitted" and period.steps.count() == 1


def test_a_version_is_submitted_once(w, queued):
    first, second = _period(w), workflow.reporting_period_open(project=w.project, period_start=START, period_end=END)
    version = _version(w)
    workflow.reporting_period_submit(period=first, reports=[version], actor=w.coordinator)
    workflow.reporting_period_return(period=second, actor=w.funder, comment="Again")
    with pytest.raises(ValidationError, match="already submitted"):
        workflow.reporting_period_submit(period=second, reports=[version], actor=w.coordinator)


def test_clearing_a_value(w):
    period = _period(w)
    workflow.indicator_value_save(period=period, indicator=w.indicator, value=Decimal(3), comment="c", actor=None)
    assert period.indicator_values.count() == 1
    workflow.indicator_value_save(period=period, indicator=w.indicator, value=None, comment="", actor=None)
    assert period.indicator_values.count() == 0


# --- The e-mails ----------------------------------------------------------------------------


def test_a_submission_is_mailed_to_the_funders_once_in_their_language(w, queued):
    period = _period(w)
    step = workflow.reporting_period_submit(period=period, reports=[_version(w)], actor=w.coordinator)
    assert notices.reporting_step_notice_send(step_id=step.pk) == 1
    assert notices.reporting_step_notice_send(step_id=step.pk) == 0  # re-delivered: nothing more
    (message,) = mail.outbox
    assert message.to == [w.funder.email] and message.extra_headers["Content-Language"] == "de"
    assert f"/workspace/projects/flow/reports/periods/{period.pk}/" in message.body
    step.refresh_from_db()
    assert step.notified_at is not None


def test_a_return_is_mailed_to_the_coordinators_with_the_comment(w, queued):
    period = _period(w)
    workflow.reporting_period_submit(period=period, reports=[_version(w)], actor=w.coordinator)
    step = workflow.reporting_period_return(period=period, actor=w.funder, comment="Please add the risks.")
    assert notices.reporting_step_notice_send(step_id=step.pk) == 1
    (message,) = mail.outbox
    assert message.to == [w.coordinator.email] and "Please add the risks." in message.body
    assert "returned" in message.subject
    assert "Please add the risks." in message.alternatives[0][0]


def test_a_failed_send_gives_the_claim_back(w, queued, monkeypatch):
    period = _period(w)
    step = workflow.reporting_period_submit(period=period, reports=[_version(w)], actor=w.coordinator)

    def refuse(**kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notices, "reporting_step_message", refuse)
    with pytest.raises(ConnectionRefusedError):
        notices.reporting_step_notice_send(step_id=step.pk)
    step.refresh_from_db()
    assert step.notified_at is None
    monkeypatch.undo()
    assert notices.reporting_step_notice_send(step_id=step.pk) == 1
    assert notices.reporting_step_notice_send(step_id=999_999) == 0


def test_the_task_is_registered_under_the_services_name():
    from reports import tasks

    assert tasks.send_reporting_step_notice.name == workflow.STEP_NOTICE_TASK
