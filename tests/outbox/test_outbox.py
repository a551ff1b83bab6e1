"""The outbox: written with the change, delivered after the commit, retried, dead, retried from the admin."""

from __future__ import annotations

import datetime as dt

import pytest
from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from outbox import services
from outbox.models import Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CALLS: list[str] = []
FAILURES = {"left": 0}


@shared_task(name="tests.outbox.note")
def note(value: str) -> str:
    CALLS.append(value)
    return value


@shared_task(name="tests.outbox.flaky")
def flaky(value: str) -> str:
    if FAILURES["left"] > 0:
        FAILURES["left"] -= 1
        raise RuntimeError("mail server said no")
    CALLS.append(value)
    return value


@pytest.fixture(autouse=True)
def _fresh(settings):
    CALLS.clear()
    FAILURES["left"] = 0
    # The failures are the outbox's to record here, not the test's to raise.
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    from portal.celery import app

    before = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = before


def test_a_message_is_delivered_once_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_enqueue(task="tests.outbox.note", args=["hello"])
        assert CALLS == []  # nothing before the commit
    assert CALLS == ["hello"]
    message.refresh_from_db()
    assert message.status == Message.Status.DONE and message.attempts == 1 and message.done_at


def test_a_rolled_back_change_leaves_no_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.message_enqueue(task="tests.outbox.note", args=["never"])
        raise RuntimeError
    assert not Message.objects.exists() and CALLS == []


def test_a_second_delivery_of_a_done_message_does_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_enqueue(task="tests.outbox.note", args=["once"])
    message.refresh_from_db()
    note.apply_async(args=["once"], task_id=services.task_id_for(message))
    assert CALLS == ["once"]


def test_a_failing_consumer_is_retried_with_backoff_then_dead_then_retried_from_the_admin(
    django_capture_on_commit_callbacks, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    FAILURES["left"] = 10
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_enqueue(task="tests.outbox.flaky", args=["x"])
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING and message.attempts == 1
    assert "mail server said no" in message.last_error
    assert message.available_at > timezone.now() + dt.timedelta(seconds=20)

    # Not due yet: the relay leaves it.
    assert services.messages_relay() == 0
    later = message.available_at + dt.timedelta(seconds=1)
    assert services.messages_relay(now=later) == 1
    message.refresh_from_db()
    assert message.attempts == 2 and message.status == Message.Status.PENDING
    # The second backoff is twice the first.
    assert message.available_at - timezone.now() > dt.timedelta(seconds=50)
    services.messages_relay(now=message.available_at + dt.timedelta(seconds=1))
    message.refresh_from_db()
    # The third failure was the last try: dead, and the relay leaves it alone.
    assert message.attempts == 3 and message.status == Message.Status.DEAD and CALLS == []
    assert services.messages_relay(now=timezone.now() + dt.timedelta(days=1)) == 0

    # The operator sees it in the admin and tries again once the mail server is back.
    FAILURES["left"] = 0
    admin = UserFactory(is_staff=True, is_superuser=True)
    from django.test import Client

    client = Client()
    client.force_login(admin)
    listing = client.get(reverse("admin:outbox_message_changelist"), {"status__exact": "dead"})
    assert listing.status_code == 200 and "tests.outbox.flaky" in listing.content.decode()
    client.post(
        reverse("admin:outbox_message_changelist"), {"action": "retry", "_selected_action": [message.pk]}, follow=True
    )
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING and message.attempts == 0
    services.messages_relay()
    message.refresh_from_db()
    assert message.status == Message.Status.DONE and CALLS == ["x"]


def test_a_message_lost_after_it_was_handed_over_is_handed_over_again(settings):
    settings.OUTBOX_LEASE_SECONDS = 600
    # Handed over, then the broker lost it (Redis restarted without persistence).
    long_ago = timezone.now() - dt.timedelta(minutes=11)
    lost = Message.objects.create(
        task="tests.outbox.note", args=["late"], status=Message.Status.DISPATCHED, attempts=1, dispatched_at=long_ago
    )
    recent = Message.objects.create(
        task="tests.outbox.note",
        args=["in flight"],
        status=Message.Status.DISPATCHED,
        attempts=1,
        dispatched_at=timezone.now(),
    )
    assert services.messages_relay() == 1
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.status == Message.Status.DONE and lost.attempts == 2
    assert recent.status == Message.Status.DISPATCHED
    assert CALLS == ["late"]


def test_a_lost_message_out_of_tries_is_dead(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    lost = Message.objects.create(
        task="tests.outbox.note",
        args=["late"],
        status=Message.Status.DISPATCHED,
        attempts=2,
        dispatched_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert services.messages_relay() == 0
    lost.refresh_from_db()
    assert lost.status == Message.Status.DEAD and CALLS == []


def test_a_message_running_on_a_killed_worker_is_taken_up_after_the_lease(settings):
    settings.OUTBOX_LEASE_SECONDS = 600
    stale = Message.objects.create(
        task="tests.outbox.note",
        args=["again"],
        status=Message.Status.RUNNING,
        attempts=1,
        started_at=timezone.now() - dt.timedelta(minutes=11),
    )
    running = Message.objects.create(
        task="tests.outbox.note", args=["busy"], status=Message.Status.RUNNING, attempts=1, started_at=timezone.now()
    )
    services.messages_relay()
    # A second delivery of the one still running elsewhere does nothing.
    note.apply_async(args=["busy"], task_id=services.task_id_for(running))
    assert CALLS == ["again"]
    stale.refresh_from_db()
    assert stale.status == Message.Status.DONE


def test_the_admin_shows_the_outbox_to_superusers_only():
    from django.test import Client

    coordinator = UserFactory(is_staff=True)
    client = Client()
    client.force_login(coordinator)
    assert client.get(reverse("admin:outbox_message_changelist")).status_code == 403


def test_after_the_broker_refused_new_messages_wait_for_the_relay_without_asking_it(
    monkeypatch, django_capture_on_commit_callbacks
):
    """During an outage no request pays for asking the broker again and again."""
    from celery import current_app
    from kombu.exceptions import OperationalError

    monkeypatch.setattr(services, "_broker_down_until", 0.0)
    asked = []

    def refuse(*args, **kwargs):
        asked.append(kwargs["task_id"])
        raise OperationalError("Connection refused")

    monkeypatch.setattr(note, "apply_async", refuse)
    current_app.conf.task_always_eager = False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = services.message_enqueue(task="tests.outbox.note", args=["a"])
        with django_capture_on_commit_callbacks(execute=True):
            second = services.message_enqueue(task="tests.outbox.note", args=["b"])
    finally:
        current_app.conf.task_always_eager = True
    assert len(asked) == 1
    for message in (first, second):
        message.refresh_from_db()
        assert message.status == Message.Status.PENDING and message.attempts == 0


def test_threads_asking_for_a_task_not_yet_imported_all_find_it():
    """Celery's autodiscovery gives a second thread nothing while the first still imports
    (celery.loaders.base's _RACE_PROTECTION): each thread of a new web worker must still
    find the task, not answer its first requests with a 500 after their commit."""
    import threading
    import time
    from types import SimpleNamespace

    task = object()
    app = SimpleNamespace(tasks={})
    importing = {"now": False}

    def import_default_modules() -> list:
        if importing["now"]:
            return []  # what Celery does for a second caller meanwhile
        importing["now"] = True
        time.sleep(0.2)
        app.tasks["tests.outbox.late"] = task
        importing["now"] = False
        return []

    app.loader = SimpleNamespace(import_default_modules=import_default_modules)
    found, errors = [], []

    def ask() -> None:
        try:
            found.append(services._task(app, "tests.outbox.late"))
        except KeyError as error:
            errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and found == [task] * 4


@pytest.mark.django_db(transaction=True)
def test_the_process_hands_over_in_its_own_thread_and_a_refusal_leaves_the_row_to_the_relay(settings, monkeypatch):
    """Production hands messages to the broker from a thread, so no answer waits for the broker."""
    import threading

    from celery import current_app
    from kombu.exceptions import OperationalError

    settings.OUTBOX_HAND_OVER_IN_BACKGROUND = True
    monkeypatch.setattr(services, "_broker_down_until", 0.0)
    asked: list[tuple[str, str]] = []
    done = threading.Event()

    def accept_then_refuse(*args, **kwargs):
        asked.append((threading.current_thread().name, kwargs["task_id"]))
        if len(asked) == 2:
            raise OperationalError("Connection refused")
        done.set()

    monkeypatch.setattr(note, "apply_async", accept_then_refuse)
    current_app.conf.task_always_eager = False
    try:
        with transaction.atomic():
            first = services.message_enqueue(task="tests.outbox.note", args=["a"])
        assert done.wait(10)
        done.clear()
        with transaction.atomic():
            second = services.message_enqueue(task="tests.outbox.note", args=["b"])
        deadline = timezone.now() + dt.timedelta(seconds=10)
        while timezone.now() < deadline:
            second.refresh_from_db()
            if second.available_at <= second.created_at + dt.timedelta(seconds=5):
                break
    finally:
        current_app.conf.task_always_eager = True
    assert [name for name, _id in asked] == ["outbox-hand-over", "outbox-hand-over"]
    assert asked[0][1].startswith(f"outbox-{first.pk}-")
    # Refused: still pending, and due for the relay's next run rather than after the grace.
    assert second.status == Message.Status.PENDING
    assert second.available_at <= second.created_at + dt.timedelta(seconds=5)
