"""A deliverable's status history (DeliverableStatusChange): who writes it, and how it is read.

Progress reports read each deliverable's status at the end of their period from this
history (projects.selectors.deliverable_statuses_as_of). Every place that saves a
deliverable records its status through projects.services.deliverable_status_record: the
workspace's services, the admin (page and inline: tests/portal/test_admin_pages.py) and
load_demo.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects.models import Deliverable
from projects.selectors import deliverable_statuses_as_of
from projects.services import DeliverablePlan, deliverable_create, deliverable_status_record, deliverable_update
from tests.factories import DeliverableFactory, ProjectFactory, ProjectRoleFactory, aware

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory(acronym="HIST", slug="hist", start_date=dt.date(2021, 1, 1), end_date=dt.date(2023, 12, 31))


@pytest.fixture
def coordinator(project):
    return ProjectRoleFactory(project=project).user


def history(deliverable: Deliverable) -> list[tuple[str, dt.datetime]]:
    return list(deliverable.status_changes.order_by("changed_at", "id").values_list("status", "changed_at"))


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def update(deliverable: Deliverable, user, status: str, submitted_on: dt.date | None = None) -> Deliverable:
    return deliverable_update(
        deliverable=deliverable, user=user, status=status, submitted_on=submitted_on, url="", description=""
    )


def test_each_change_of_status_is_recorded_once_with_who_and_when(project, coordinator):
    plan = DeliverablePlan(
        code="D1.1", title="Handbook", kind="report", dissemination="public", due_date=dt.date(2021, 6, 30)
    )
    deliverable = deliverable_create(project=project, user=coordinator, plan=plan)
    assert history(deliverable) == []  # planned: the status every deliverable starts with

    before = timezone.now()
    deliverable = update(deliverable, coordinator, Deliverable.Status.IN_PROGRESS)
    deliverable = update(deliverable, coordinator, Deliverable.Status.IN_PROGRESS)  # the link changed, say
    (row,) = deliverable.status_changes.all()
    assert (row.status, row.changed_by) == (Deliverable.Status.IN_PROGRESS, coordinator)
    assert before <= row.changed_at <= timezone.now()


def test_a_submission_counts_from_its_submission_date_and_an_approval_from_when_it_is_recorded(project, coordinator):
    deliverable = DeliverableFactory(project=project, due_date=dt.date(2021, 6, 30))
    deliverable = update(deliverable, coordinator, Deliverable.Status.SUBMITTED, dt.date(2021, 6, 28))
    before = timezone.now()
    deliverable = update(deliverable, coordinator, Deliverable.Status.APPROVED, dt.date(2021, 6, 28))

    (submitted, submitted_at), (approved, approved_at) = history(deliverable)
    assert (submitted, submitted_at) == (Deliverable.Status.SUBMITTED, midnight(dt.date(2021, 6, 28)))
    assert approved == Deliverable.Status.APPROVED and approved_at >= before


def test_a_backdated_submission_never_goes_before_the_last_change(project, coordinator):
    deliverable = DeliverableFactory(project=project)
    deliverable = update(deliverable, coordinator, Deliverable.Status.IN_PROGRESS)
    deliverable = update(deliverable, coordinator, Deliverable.Status.SUBMITTED, dt.date(2021, 6, 28))

    (_, in_progress_at), (status, submitted_at) = history(deliverable)
    assert status == Deliverable.Status.SUBMITTED and submitted_at == in_progress_at


def test_a_refused_change_records_nothing(project, coordinator):
    deliverable = DeliverableFactory(project=project)
    with pytest.raises(ValidationError):
        update(deliverable, coordinator, Deliverable.Status.SUBMITTED)  # no submission date
    assert history(deliverable) == []


def test_the_status_as_of_a_moment(project, coordinator):
    recorded = DeliverableFactory(project=project, code="D1")
    recorded = update(recorded, coordinator, Deliverable.Status.SUBMITTED, dt.date(2021, 7, 15))
    # Rows written outside the services have no history: read as the migration seeded them.
    untracked_delivered = DeliverableFactory(project=project, code="D2", approved=True, due_date=dt.date(2021, 5, 31))
    untracked_open = DeliverableFactory(project=project, code="D3", status=Deliverable.Status.IN_PROGRESS)
    deliverables = [recorded, untracked_delivered, untracked_open]

    end_of_q2 = midnight(dt.date(2021, 7, 1))
    assert deliverable_statuses_as_of(deliverables, end_of_q2) == {
        recorded.pk: Deliverable.Status.PLANNED,
        untracked_delivered.pk: Deliverable.Status.APPROVED,
        untracked_open.pk: Deliverable.Status.IN_PROGRESS,
    }
    assert deliverable_statuses_as_of(deliverables, aware(2021, 5, 31))[untracked_delivered.pk] == "planned"
    assert deliverable_statuses_as_of(deliverables, midnight(dt.date(2021, 7, 16)))[recorded.pk] == "submitted"


def test_load_demo_records_the_seed_status_from_its_submission_date(project):
    deliverable = DeliverableFactory(
        project=project,
        status=Deliverable.Status.SUBMITTED,
        submitted_on=dt.date(2021, 3, 1),
        due_date=dt.date(2021, 3, 31),
    )
    deliverable_status_record(deliverable=deliverable)
    deliverable_status_record(deliverable=deliverable)  # a second run adds nothing
    assert history(deliverable) == [(Deliverable.Status.SUBMITTED, midnight(dt.date(2021, 3, 1)))]
