"""Many people registering, and cancelling, at the same moment: a seat is never given twice.

Real PostgreSQL, each thread on its own connection, all released at once by a barrier.
The negative control runs the very same race with the meeting's row lock patched out
(events.services.registrations._lock_meeting reads the row without FOR UPDATE) and must
overbook: it shows that the race test would catch the bug it is about.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import timezone

from events.models import Meeting, Registration
from events.selectors.registrations import with_waitlist_position
from events.services import registrations, seat_statement
from events.services.registrations import NOTICE_TASK, RegistrationDetails, registration_cancel, registration_create
from tests.factories import MeetingFactory, RegistrationFactory, UserFactory
from tests.outbox_capture import capture

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

THREADS = 50
SEATS = 10
ROUNDS = 5


@pytest.fixture(autouse=True)
def no_mail(monkeypatch) -> None:
    # The notices are tested elsewhere; here they would only queue tasks for every thread.
    capture(monkeypatch, [], task=NOTICE_TASK)


def run_at_once(jobs: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Run each job in its own thread with its own connection, all released together."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def run(job: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            outcome = job()
            with lock:
                results.append(outcome)
        except BaseException as error:
            with lock:
                failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results, failures


def race(meeting: Meeting) -> list[BaseException]:
    users = [UserFactory() for _ in range(THREADS)]
    jobs = [
        (lambda user=user: registration_create(meeting=meeting, user=user, details=RegistrationDetails()))
        for user in users
    ]
    _, failures = run_at_once(jobs)
    return failures


def future_meeting(**kwargs) -> Meeting:
    return MeetingFactory(starts_at=timezone.now() + dt.timedelta(days=3), **kwargs)


def line(meeting: Meeting) -> list[Registration]:
    """The meeting's registrations in arrival order, with their waiting-list positions."""
    return list(with_waitlist_position(Registration.objects.filter(meeting=meeting)).order_by("queued_at", "id"))


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_fifty_at_once_for_ten_seats(round_):
    meeting = future_meeting(capacity=SEATS)
    failures = race(meeting)
    assert failures == []
    rows = line(meeting)
    assert len(rows) == THREADS
    statuses = [row.status for row in rows]
    # Exactly the first ten to arrive hold seats; everybody after them waits, in order.
    assert statuses == [Registration.Status.CONFIRMED] * SEATS + [Registration.Status.WAITLISTED] * (THREADS - SEATS)
    assert [row.waitlist_position for row in rows[SEATS:]] == list(range(1, THREADS - SEATS + 1))
    # Arrival order is one order: by the time in line and by the id the database gave.
    assert [row.pk for row in rows] == sorted(row.pk for row in rows)


def test_negative_control_without_the_lock_overbooks(monkeypatch):
    """The same race with the row lock off: the seats are counted before anyone writes.

    A short pause between counting and writing widens the window that a real server has
    anyway, so the control fails the same way every time.
    """
    # The lock taken away in this test only: the meeting's row is read without FOR UPDATE,
    # both by the one statement of PostgreSQL and by the Python path.
    monkeypatch.setattr(seat_statement, "LOCK_SQL", "SELECT 1 FROM events_meeting WHERE id = %s")
    monkeypatch.setattr(registrations, "_lock_meeting", lambda pk: Meeting.objects.get(pk=pk))
    counted = registrations.line_state

    def slow_count(meeting: Meeting, **kwargs) -> registrations.LineState:
        state = counted(meeting, **kwargs)
        time.sleep(0.2)
        return state

    monkeypatch.setattr(registrations, "line_state", slow_count)
    meeting = future_meeting(capacity=SEATS)
    race(meeting)
    confirmed = Registration.objects.filter(meeting=meeting, status=Registration.Status.CONFIRMED).count()
    assert confirmed > SEATS, "without the lock the race should overbook; the race test would not catch the bug"


def test_the_same_person_clicking_many_times_gets_one_registration():
    meeting = future_meeting(capacity=SEATS)
    user = UserFactory()
    jobs = [(lambda: registration_create(meeting=meeting, user=user, details=RegistrationDetails())) for _ in range(10)]
    results, failures = run_at_once(jobs)
    assert len(results) == 1
    assert {str(message) for failure in failures for message in failure.messages} == {
        "You are already registered for this meeting."
    }
    assert Registration.objects.filter(meeting=meeting, user=user).count() == 1


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_cancellations_promote_in_order(round_):
    """Ten of the seat holders cancel at once: exactly ten waiting people move up, the first ten in line."""
    meeting = future_meeting(capacity=SEATS)
    start = timezone.now() - dt.timedelta(hours=1)
    holders = [RegistrationFactory(meeting=meeting, queued_at=start + dt.timedelta(seconds=i)) for i in range(SEATS)]
    waiting = [
        RegistrationFactory(meeting=meeting, waitlisted=True, queued_at=start + dt.timedelta(minutes=1, seconds=i))
        for i in range(25)
    ]
    cancelling = holders[:8] + holders[9:]  # nine cancel…
    cancelling = cancelling + [waiting[3]]  # …and one who waits gives up too: no seat freed by that one
    jobs = [
        (lambda r=r: registration_cancel(registration=Registration.objects.get(pk=r.pk), actor=r.user))
        for r in cancelling
    ]
    _, failures = run_at_once(jobs)
    assert failures == []
    confirmed = set(Registration.objects.filter(meeting=meeting, status="confirmed").values_list("pk", flat=True))
    still_waiting = [w for w in waiting if w.pk not in confirmed and w.pk != waiting[3].pk]
    expected_promoted = [w.pk for w in waiting if w.pk != waiting[3].pk][:9]
    assert len(confirmed) == SEATS
    assert confirmed == {holders[8].pk, *expected_promoted}
    positions = {r.pk: r.waitlist_position for r in line(meeting)}
    assert [positions[w.pk] for w in still_waiting] == list(range(1, len(still_waiting) + 1))
