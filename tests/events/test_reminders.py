"""The 48-hour reminder (events/services/reminders.py, task events.send_due_reminders)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from events import tasks
from events.models import Meeting, Registration
from events.services import reminders
from events.services.meetings import MeetingDetails, meeting_update
from tests.factories import MeetingFactory, ProjectRoleFactory, RegistrationFactory, UserFactory


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def meeting_in(hours: float, **kwargs) -> Meeting:
    start = timezone.now() + dt.timedelta(hours=hours)
    return MeetingFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2), **kwargs)


def recipients() -> Counter:
    return Counter(address for message in mail.outbox for address in message.to)


@pytest.mark.django_db
def test_people_with_a_seat_get_one_reminder_even_if_the_task_runs_twice():
    meeting = meeting_in(30, title="Study visit: Ravenna")
    people = [RegistrationFactory(meeting=meeting, user=UserFactory(preferred_language="en")) for _ in range(3)]
    assert tasks.send_due_reminders() == 3
    assert tasks.send_due_reminders() == 0
    assert recipients() == Counter({registration.user.email: 1 for registration in people})
    message = mail.outbox[0]
    assert message.subject == "Reminder: Study visit: Ravenna"
    assert message.alternatives and any(a[0].endswith(".ics") for a in message.attachments if isinstance(a, tuple))
    assert all(Registration.objects.get(pk=r.pk).reminder_sent_at is not None for r in people)


@pytest.mark.django_db
def test_the_reminder_is_in_the_persons_language():
    RegistrationFactory(meeting=meeting_in(10), user=UserFactory(preferred_language="de"))
    reminders.reminders_send_due()
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "de"
    assert "Guten Tag," in message.body


@pytest.mark.django_db
def test_only_due_reminders_go_out():
    due = RegistrationFactory(meeting=meeting_in(47), user=UserFactory(email="due@example.org"))
    RegistrationFactory(meeting=meeting_in(49), user=UserFactory(email="too-early@example.org"))
    RegistrationFactory(meeting=meeting_in(-0.5), user=UserFactory(email="started@example.org"))
    RegistrationFactory(
        meeting=meeting_in(20, status=Meeting.Status.CANCELLED), user=UserFactory(email="cancelled-meeting@example.org")
    )
    soon = meeting_in(20)
    RegistrationFactory(meeting=soon, waitlisted=True, user=UserFactory(email="waiting@example.org"))
    RegistrationFactory(meeting=soon, cancelled=True, user=UserFactory(email="cancelled@example.org"))
    RegistrationFactory(meeting=soon, user=UserFactory(email="reminded@example.org"), reminder_sent_at=timezone.now())
    assert reminders.reminders_send_due() == 1
    assert list(recipients()) == [due.user.email]


@pytest.mark.django_db
def test_a_failed_send_releases_the_claim_and_the_others_still_go_out(monkeypatch):
    meeting = meeting_in(24)
    broken = RegistrationFactory(meeting=meeting, user=UserFactory(email="broken@example.org"))
    fine = RegistrationFactory(meeting=meeting, user=UserFactory(email="fine@example.org"))
    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send

    def send(self, fail_silently=False):
        if self.to == ["broken@example.org"]:
            raise OSError("mailbox unavailable")
        return original(self, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    assert reminders.reminders_send_due() == 1
    assert list(recipients()) == ["fine@example.org"]
    assert Registration.objects.get(pk=broken.pk).reminder_sent_at is None
    assert Registration.objects.get(pk=fine.pk).reminder_sent_at is not None
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    assert reminders.reminders_send_due() == 1
    assert recipients() == Counter({"fine@example.org": 1, "broken@example.org": 1})


@pytest.mark.django_db
def test_a_meeting_moved_out_of_the_window_is_reminded_again(django_capture_on_commit_callbacks):
    meeting = meeting_in(24)
    coordinator = ProjectRoleFactory(project=meeting.project).user
    registration = RegistrationFactory(meeting=meeting)
    reminders.reminders_send_due()
    assert Registration.objects.get(pk=registration.pk).reminder_sent_at is not None
    later = meeting.starts_at + dt.timedelta(days=7)
    values = {name: getattr(meeting, name) for name in MeetingDetails.__dataclass_fields__ if hasattr(meeting, name)}
    values.update(starts_at=later, ends_at=later + dt.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(meeting=meeting, actor=coordinator, details=MeetingDetails(**values))
    assert Registration.objects.get(pk=registration.pk).reminder_sent_at is None


def test_celery_beat_runs_the_reminder_every_15_minutes():
    from portal.celery import app

    entry = django_settings.CELERY_BEAT_SCHEDULE["events-meeting-reminders"]
    assert entry["task"] == "events.send_due_reminders" == tasks.send_due_reminders.name
    assert entry["schedule"] == 15 * 60
    assert "events.send_due_reminders" in app.tasks


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_two_runs_at_once_on_postgresql_send_each_reminder_once(monkeypatch, round_):
    """Both runs see every reminder as due before either claims one: only the claim decides."""
    assert connection.vendor == "postgresql"
    meeting = meeting_in(12)
    people = [RegistrationFactory(meeting=meeting, user=UserFactory(preferred_language="en")) for _ in range(20)]
    barrier = threading.Barrier(2, timeout=30)
    found = reminders.due_reminder_ids

    def due_then_wait(*, now):
        ids = found(now=now)
        barrier.wait()  # both runs hold the full list of 20 now
        return ids

    monkeypatch.setattr(reminders, "due_reminder_ids", due_then_wait)
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(reminders.reminders_send_due())
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sum(results) == 20
    assert recipients() == Counter({registration.user.email: 1 for registration in people})
    assert not Registration.objects.filter(meeting=meeting, reminder_sent_at__isnull=True).exists()
