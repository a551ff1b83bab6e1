"""Handing tasks to Celery by name, on commit (projects/task_queue.py)."""

from __future__ import annotations

import pytest
from celery import current_app
from django.db import transaction

from events.services.meetings import CHANGE_NOTICE_TASK
from events.services.registrations import NOTICE_TASK as REGISTRATION_NOTICE_TASK
from projects import task_queue
from reports.services.rendering import NOTICE_TASK as REPORT_NOTICE_TASK
from reports.services.requesting import RENDER_TASK


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, tuple]]:
    queued: list[tuple[str, tuple]] = []
    monkeypatch.setattr(task_queue, "send", lambda name, args: queued.append((name, args)))
    return queued


def test_the_names_the_services_queue_are_registered_tasks():
    current_app.autodiscover_tasks(force=True)
    for name in (RENDER_TASK, REPORT_NOTICE_TASK, REGISTRATION_NOTICE_TASK, CHANGE_NOTICE_TASK):
        assert name in current_app.tasks, name


@pytest.mark.django_db
def test_a_task_goes_out_when_the_transaction_commits(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task_queue.enqueue_on_commit(RENDER_TASK, 7)
        assert sent == []  # not before the commit
    assert sent == [(RENDER_TASK, (7,))]


@pytest.mark.django_db
def test_nothing_goes_out_for_a_transaction_that_rolled_back(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        task_queue.enqueue_on_commit(RENDER_TASK, 7)
        raise RuntimeError("rolled back")
    assert sent == []


def test_send_runs_the_task_by_name_even_before_its_module_was_imported(monkeypatch):
    """A web process has not imported the task modules; send() loads them, then runs the task."""
    ran = []
    monkeypatch.setattr(current_app.Task, "apply_async", lambda task, args: ran.append((task.name, args)))
    task_queue.send(RENDER_TASK, (7,))
    assert ran == [(RENDER_TASK, (7,))]
