"""Deliverable deadline e-mails (portal/deadline_notices.py): due within a week, overdue; who gets
them, once per deliverable, kind and due date, and again for a new due date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core import mail

from outbox.models import Message
from portal import deadline_notices
from portal.deadline_notices import DEADLINE_NOTICE_TASK, deadline_notice_send, deadline_notices_queue
from projects.models import Deliverable, ProjectRole
from tests.factories import DeliverableFactory, ProjectRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _locmem_mail(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    monkeypatch.setattr(deadline_notices.timezone, "localdate", lambda: TODAY)


@pytest.fixture
def world():
    lead_staff = ProjectRoleFactory(partner_staff=True, user=UserFactory(preferred_language="en"))
    project, organisation = lead_staff.project, lead_staff.organisation
    coordinator = ProjectRoleFactory(project=project, user=UserFactory(preferred_language="de")).user
    # Not told: staff of another partner, a funder officer, an inactive coordinator.
    ProjectRoleFactory(project=project, partner_staff=True)
    ProjectRoleFactory(project=project, funder_officer=True)
    ProjectRoleFactory(project=project, user=UserFactory(is_active=False))
    return project, organisation, lead_staff.user, coordinator


def run_job(django_capture_on_commit_callbacks, today: dt.date = TODAY) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return deadline_notices_queue(today=today)


def test_the_job_is_in_the_beat_schedule():
    entry = django_settings.CELERY_BEAT_SCHEDULE["portal-deadline-notices"]
    assert entry["task"] == "portal.queue_deadline_notices"


def test_due_soon_and_overdue_go_to_the_lead_staff_and_coordinators(world, django_capture_on_commit_callbacks):
    project, organisation, staff, coordinator = world
    DeliverableFactory(project=project, lead_organisation=organisation, code="D1.1", due_date=TODAY + dt.timedelta(7))
    DeliverableFactory(project=project, lead_organisation=organisation, code="D1.2", due_date=TODAY - dt.timedelta(2))
    # Not due yet, delivered, and late for too long: nothing.
    DeliverableFactory(project=project, lead_organisation=organisation, due_date=TODAY + dt.timedelta(8))
    DeliverableFactory(project=project, lead_organisation=organisation, due_date=TODAY, submitted=True)
    DeliverableFactory(project=project, lead_organisation=organisation, due_date=TODAY - dt.timedelta(400))
    assert run_job(django_capture_on_commit_callbacks) == 2
    assert len(mail.outbox) == 4
    english = {m.subject: m for m in mail.outbox if m.to == [staff.email]}
    german = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(german) == 2 and all(m.extra_headers["Content-Language"] == "de" for m in german)
    soon = next(m for s, m in english.items() if "D1.1" in s)
    late = next(m for s, m in english.items() if "D1.2" in s)
    assert "due on" in soon.subject and "in 7 days" in soon.body
    assert "overdue" in late.subject and "was due on" in late.body
    for message in (soon, late):
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html" and 'lang="en"' in html
        assert "https://portal.example.org/accounts/profile/" in message.body
        assert f"/workspace/deliverables/{Deliverable.objects.get(code=message.subject.split()[2]).pk}/edit/" in (
            message.body
        )
        assert organisation.display_name in message.body  # why they get it


def test_each_notice_goes_once_until_the_due_date_changes(world, django_capture_on_commit_callbacks):
    project, organisation, _staff, _coordinator = world
    deliverable = DeliverableFactory(project=project, lead_organisation=organisation, due_date=TODAY + dt.timedelta(3))
    assert run_job(django_capture_on_commit_callbacks) == 1
    assert run_job(django_capture_on_commit_callbacks) == 0
    assert run_job(django_capture_on_commit_callbacks, TODAY + dt.timedelta(1)) == 0
    assert len(mail.outbox) == 2
    # Postponed: a new due date is news.
    Deliverable.objects.filter(pk=deliverable.pk).update(due_date=TODAY + dt.timedelta(6))
    assert run_job(django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 4
    # And once it is late, the overdue notice follows, once.
    assert run_job(django_capture_on_commit_callbacks, TODAY + dt.timedelta(7)) == 1
    assert run_job(django_capture_on_commit_callbacks, TODAY + dt.timedelta(8)) == 0
    assert len(mail.outbox) == 6


def test_a_redelivered_or_stale_task_sends_nothing(world):
    project, organisation, _staff, _coordinator = world
    deliverable = DeliverableFactory(project=project, lead_organisation=organisation, due_date=TODAY + dt.timedelta(3))
    deadline_notices_queue(today=TODAY)
    [message] = Message.objects.filter(task=DEADLINE_NOTICE_TASK)
    assert message.args == [deliverable.pk, "due_soon", deliverable.due_date.isoformat()]
    assert deadline_notice_send(deliverable_id=deliverable.pk, kind="due_soon", due_date=message.args[2]) == 2
    assert deadline_notice_send(deliverable_id=deliverable.pk, kind="due_soon", due_date=message.args[2]) == 0
    # Re-dated or delivered before the worker came: no stale notice.
    other = DeliverableFactory(project=project, lead_organisation=organisation, due_date=TODAY + dt.timedelta(2))
    assert deadline_notice_send(deliverable_id=other.pk, kind="due_soon", due_date="2026-01-01") == 0
    Deliverable.objects.filter(pk=other.pk).update(status=Deliverable.Status.SUBMITTED, submitted_on=TODAY)
    assert deadline_notice_send(deliverable_id=other.pk, kind="due_soon", due_date=other.due_date.isoformat()) == 0
    assert len(mail.outbox) == 2


def test_without_a_lead_organisation_the_coordinators_hear(world, django_capture_on_commit_callbacks):
    project, _organisation, _staff, coordinator = world
    DeliverableFactory(project=project, lead_organisation=None, due_date=TODAY)
    run_job(django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert ProjectRole.objects.filter(project=project).count() == 5
