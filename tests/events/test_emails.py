"""E-mails to registered people (events/emails.py, events/tasks.py): kinds, language, parts, files.

The test settings send mail to Django's locmem backend (django.core.mail.outbox), and
Celery runs tasks eagerly, so a task enqueued with delay_on_commit runs when the
captured on-commit callbacks are executed.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from events import emails, tasks
from events.checkin_codes import checkin_code, registration_id_from_code
from events.models import Meeting, Registration
from events.services.meetings import MeetingDetails, meeting_update
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.org"


def person(language: str, **kwargs) -> object:
    return UserFactory(preferred_language=language, **kwargs)


def meeting(**kwargs) -> Meeting:
    kwargs.setdefault("title", "CoP meeting: housing")
    kwargs.setdefault("starts_at", dt.datetime(2030, 5, 14, 10, tzinfo=BERLIN))
    kwargs.setdefault("ends_at", dt.datetime(2030, 5, 14, 13, tzinfo=BERLIN))
    return MeetingFactory(**kwargs)


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def attachment(message, suffix: str):
    found = [a for a in message.attachments if _name(a).endswith(suffix)]
    assert len(found) == 1, [_name(a) for a in message.attachments]
    return found[0]


def _name(item) -> str:
    if hasattr(item, "get_filename"):
        return item.get_filename() or ""
    return item[0]


def ics_of(message) -> icalendar.Event:
    _, content, mimetype = attachment(message, ".ics")
    assert mimetype.startswith("text/calendar")
    [event] = icalendar.Calendar.from_ical(content).events
    return event


# --- Language and parts -----------------------------------------------------------------------------


def test_the_confirmation_is_in_german_for_a_german_user_with_both_parts_the_ics_and_the_qr_code():
    registration = RegistrationFactory(
        meeting=meeting(), user=person("de", email="anna@example.org", first_name="Anna", last_name="Schmidt")
    )
    assert emails.registration_notice_send(registration_id=registration.pk, kind="confirmed")
    [message] = mail.outbox
    assert message.to == ["anna@example.org"]
    assert message.extra_headers["Content-Language"] == "de"
    assert "CoP meeting: housing" in message.subject
    # German words and the German date format, in the text and in the HTML part.
    for body in (message.body, html_of(message)):
        assert "Guten Tag," in body
        assert "14. Mai 2030" in body
        assert "Projekt" in body
    assert '<html lang="de">' in html_of(message)
    event = ics_of(message)
    assert str(event["uid"]) == f"meeting-{registration.meeting.pk}@portal.example.org"
    assert event.decoded("dtstart") == dt.datetime(2030, 5, 14, 10, tzinfo=BERLIN)
    qr = attachment(message, ".png")
    assert qr.get_content_type() == "image/png"
    assert qr.get_payload(decode=True).startswith(b"\x89PNG")
    assert qr["Content-ID"] == f"<{emails.QR_CONTENT_ID}>"
    assert f'src="cid:{emails.QR_CONTENT_ID}"' in html_of(message)


def test_the_confirmation_is_in_english_for_an_english_user():
    registration = RegistrationFactory(meeting=meeting(), user=person("en"))
    emails.registration_notice_send(registration_id=registration.pk, kind="confirmed")
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "en"
    assert message.subject == "Registration confirmed: CoP meeting: housing"
    for body in (message.body, html_of(message)):
        assert "Hello," in body and "Guten Tag" not in body
        assert "May 14, 2030" in body
        assert "your registration is confirmed" in body
    assert '<html lang="en">' in html_of(message)


def test_times_are_in_the_readers_zone_and_at_the_venue():
    venue = meeting(
        timezone="Europe/Lisbon",
        starts_at=dt.datetime(2030, 1, 10, 10, tzinfo=ZoneInfo("Europe/Lisbon")),
        ends_at=dt.datetime(2030, 1, 10, 12, tzinfo=ZoneInfo("Europe/Lisbon")),
    )
    registration = RegistrationFactory(meeting=venue, user=person("en"))
    emails.registration_notice_send(registration_id=registration.pk, kind="confirmed")
    body = mail.outbox[0].body
    assert "11 a.m." in body and "(Europe/Berlin)" in body  # the reader's (portal's) zone
    assert "10 a.m." in body and "(Europe/Lisbon)" in body  # the clock at the venue


def test_the_qr_code_encodes_the_absolute_check_in_address():
    registration = RegistrationFactory()
    url = emails.checkin_url(registration)
    code = checkin_code(registration)
    assert url == "https://portal.example.org" + reverse("attendance:scan", args=[code])
    assert registration_id_from_code(code) == registration.pk
    assert emails.qr_png(url).startswith(b"\x89PNG")


# --- Each kind ---------------------------------------------------------------------------------------


def test_the_waitlisted_notice_gives_the_position():
    event = meeting(capacity=1)
    RegistrationFactory(meeting=event)
    now = dt.datetime(2030, 1, 1, 9, tzinfo=dt.UTC)
    first = RegistrationFactory(meeting=event, waitlisted=True, queued_at=now)
    second = RegistrationFactory(
        meeting=event, waitlisted=True, queued_at=now + dt.timedelta(seconds=1), user=person("en")
    )
    assert first.pk
    emails.registration_notice_send(registration_id=second.pk, kind="waitlisted")
    [message] = mail.outbox
    assert message.subject == "On the waiting list: CoP meeting: housing"
    assert "in position 2" in message.body and "in position 2" in html_of(message)
    assert not [a for a in message.attachments if _name(a).endswith((".ics", ".png"))]


def test_the_promoted_notice_hands_over_the_seat():
    registration = RegistrationFactory(meeting=meeting(), user=person("en"))
    emails.registration_notice_send(registration_id=registration.pk, kind="promoted")
    [message] = mail.outbox
    assert message.subject == "A seat is free for you: CoP meeting: housing"
    assert "moved up from the waiting list" in message.body
    ics_of(message)
    attachment(message, ".png")


@pytest.mark.parametrize("by_organiser", [False, True], ids=["by the person", "by a coordinator"])
def test_the_cancelled_notice_says_who_cancelled(by_organiser):
    user = person("en")
    event = meeting()
    canceller = ProjectRoleFactory(project=event.project).user if by_organiser else user
    registration = RegistrationFactory(meeting=event, user=user, cancelled=True, cancelled_by=canceller)
    emails.registration_notice_send(registration_id=registration.pk, kind="cancelled")
    [message] = mail.outbox
    assert message.subject == "Registration cancelled: CoP meeting: housing"
    expected = "the organisers have cancelled your registration" if by_organiser else "is cancelled, as you asked"
    assert expected in message.body and expected in html_of(message)


def test_the_online_link_is_only_sent_to_people_who_may_see_it():
    project = ProjectFactory()
    community = CommunityFactory(project=project)
    online = meeting(
        project=project,
        community=community,
        format=Meeting.Format.ONLINE,
        audience=Meeting.Audience.MEMBERS,
        online_link="https://meet.example.org/room-42",
    )
    member = MembershipFactory(community=community, user=person("en")).user
    # Registered while a member, then left: a members-only link is for active members only.
    outsider = MembershipFactory(community=community, user=person("en"), left=True).user
    for user in (member, outsider):
        registration = RegistrationFactory(meeting=online, user=user)
        emails.registration_notice_send(registration_id=registration.pk, kind="confirmed")
    to_member, to_outsider = mail.outbox
    assert "room-42" in to_member.body and "room-42" in str(ics_of(to_member)["description"])
    assert "room-42" not in to_outsider.body + html_of(to_outsider) + str(ics_of(to_outsider)["description"])


# --- Harmless twice, and never wrong ------------------------------------------------------------------


def test_a_notice_task_run_twice_sends_one_e_mail():
    registration = RegistrationFactory(user=person("en"))
    assert tasks.send_registration_notice(registration.pk, "confirmed")
    assert not tasks.send_registration_notice(registration.pk, "confirmed")
    assert len(mail.outbox) == 1


def test_a_notice_overtaken_by_events_is_not_sent():
    registration = RegistrationFactory(cancelled=True)
    assert not emails.registration_notice_send(registration_id=registration.pk, kind="confirmed")
    assert not emails.registration_notice_send(registration_id=registration.pk, kind="promoted")
    assert mail.outbox == []


def test_the_registered_notice_tells_where_the_person_stands_when_it_is_sent():
    """Queued before the registration was written, it names the meeting and the person."""
    event = meeting(capacity=1)
    seated = RegistrationFactory(meeting=event, user=person("en"))
    waiting = RegistrationFactory(meeting=event, user=person("en"), waitlisted=True)
    assert tasks.send_registered_notice(event.pk, seated.user_id)
    assert tasks.send_registered_notice(event.pk, waiting.user_id)
    to_seated, to_waiting = mail.outbox
    assert to_seated.to == [seated.user.email] and to_seated.subject.startswith("Registration confirmed")
    assert to_waiting.to == [waiting.user.email] and to_waiting.subject == "On the waiting list: CoP meeting: housing"


def test_a_person_promoted_before_the_registered_notice_hears_of_the_seat_once():
    event = meeting(capacity=1)
    registration = RegistrationFactory(meeting=event, user=person("en"), waitlisted=True)
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CONFIRMED)
    assert tasks.send_registered_notice(event.pk, registration.user_id)  # says: a seat
    assert not tasks.send_registration_notice(registration.pk, "promoted")  # the same seat
    [message] = mail.outbox
    assert message.subject.startswith("Registration confirmed")
    # The other way round: the promotion went first, the registered notice stays silent.
    other = RegistrationFactory(meeting=meeting(capacity=1), user=person("en"))
    assert tasks.send_registration_notice(other.pk, "promoted")
    assert not tasks.send_registered_notice(other.meeting_id, other.user_id)
    assert len(mail.outbox) == 2


def test_the_registered_notice_of_a_person_who_cancelled_meanwhile_is_not_sent():
    registration = RegistrationFactory(cancelled=True, user=person("en"))
    assert not tasks.send_registered_notice(registration.meeting_id, registration.user_id)
    assert not tasks.send_registered_notice(registration.meeting_id, UserFactory().pk)
    assert mail.outbox == []


def test_a_deleted_registration_is_no_error():
    registration = RegistrationFactory()
    pk = registration.pk
    registration.delete()
    assert tasks.send_registration_notice(pk, "confirmed") is False
    assert mail.outbox == []


def test_a_failed_send_can_be_retried(monkeypatch):
    registration = RegistrationFactory(user=person("en"))

    def fail(self, fail_silently=False):
        raise OSError("SMTP server away")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMultiAlternatives.send", fail)
        with pytest.raises(OSError):
            emails.registration_notice_send(registration_id=registration.pk, kind="confirmed")
    assert emails.registration_notice_send(registration_id=registration.pk, kind="confirmed")
    assert len(mail.outbox) == 1


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        emails.registration_notice_send(registration_id=1, kind="congratulations")


# --- Meeting changed or cancelled by the coordinator ---------------------------------------------------


def _details(meeting: Meeting, **changes) -> MeetingDetails:
    values = {name: getattr(meeting, name) for name in MeetingDetails.__dataclass_fields__ if hasattr(meeting, name)}
    values.update(changes)
    return MeetingDetails(**values)


@pytest.fixture
def registered():
    """A meeting with a German and an English confirmed person, one waiting and one cancelled."""
    event = meeting(capacity=2)
    coordinator = ProjectRoleFactory(project=event.project).user
    german = RegistrationFactory(meeting=event, user=person("de", email="de@example.org"))
    english = RegistrationFactory(meeting=event, user=person("en", email="en@example.org"))
    waiting = RegistrationFactory(meeting=event, user=person("en", email="waiting@example.org"), waitlisted=True)
    RegistrationFactory(meeting=event, user=person("en", email="gone@example.org"), cancelled=True)
    return event, coordinator, (german, english, waiting)


def test_a_change_of_place_tells_everyone_registered(registered, django_capture_on_commit_callbacks):
    event, coordinator, _ = registered
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(meeting=event, actor=coordinator, details=_details(event, venue="Rathaus, Saal 2"))
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"de@example.org", "en@example.org", "waiting@example.org"}
    english = by_address["en@example.org"]
    assert english.subject == "Meeting changed: CoP meeting: housing"
    assert "Rathaus, Saal 2" in english.body and "place" in english.body
    assert "Guten Tag," in by_address["de@example.org"].body
    assert "still on the waiting list" in by_address["waiting@example.org"].body
    for message in mail.outbox:
        event_in_file = ics_of(message)
        assert int(event_in_file["sequence"]) == 1 and "Rathaus" in str(event_in_file["location"])
        html_of(message)


def test_a_cancellation_by_the_coordinator_tells_everyone(registered, django_capture_on_commit_callbacks):
    event, coordinator, _ = registered
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(meeting=event, actor=coordinator, details=_details(event, status=Meeting.Status.CANCELLED))
    assert len(mail.outbox) == 3
    assert {message.subject for message in mail.outbox} >= {"Meeting cancelled: CoP meeting: housing"}
    assert all(str(ics_of(message)["status"]) == "CANCELLED" for message in mail.outbox)


def test_a_new_title_sends_nothing(registered, django_capture_on_commit_callbacks):
    event, coordinator, _ = registered
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(meeting=event, actor=coordinator, details=_details(event, title="Housing, again"))
    assert mail.outbox == []


def test_a_change_notice_for_an_older_revision_is_skipped(registered):
    event, _, _ = registered
    Meeting.objects.filter(pk=event.pk).update(sequence=3)
    assert emails.meeting_notices_send(meeting_id=event.pk, sequence=2) == 0
    assert emails.meeting_notices_send(meeting_id=event.pk, sequence=3) == 3
    # Delivered twice: the second run sends nothing.
    assert tasks.send_meeting_notices(event.pk, 3) == 0
    assert len(mail.outbox) == 3
    assert tasks.send_meeting_notices(event.pk + 10_000, 0) == 0


def test_an_invalid_change_sends_nothing(registered, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    event, coordinator, _ = registered
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        meeting_update(
            meeting=event,
            actor=coordinator,
            details=_details(event, venue="Elsewhere", ends_at=event.starts_at - dt.timedelta(hours=1)),
        )
    assert mail.outbox == []
    assert Meeting.objects.get(pk=event.pk).sequence == 0


def test_more_seats_go_to_the_waiting_list(registered, django_capture_on_commit_callbacks):
    event, coordinator, (_, _, waiting) = registered
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(meeting=event, actor=coordinator, details=_details(event, capacity=3))
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert [message.to for message in mail.outbox] == [["waiting@example.org"]]
    assert mail.outbox[0].subject == "A seat is free for you: CoP meeting: housing"


def test_mail_dates_parse():
    registration = RegistrationFactory(user=person("en"))
    emails.registration_notice_send(registration_id=registration.pk, kind="confirmed")
    message = mail.outbox[0].message()
    assert email.utils.parsedate_to_datetime(message["Date"])
    assert message["Auto-Submitted"] == "auto-generated"


@pytest.fixture(autouse=True)
def _forget_sent_notices():
    # Notices sent are remembered in the shared cache (Redis in the real run) by registration id.
    cache.clear()
    yield


def test_a_deactivated_account_gets_no_mail():
    registration = RegistrationFactory(user=person("en", is_active=False))
    assert not emails.registration_notice_send(registration_id=registration.pk, kind="confirmed")
    assert mail.outbox == []


# --- Through the registration services (events/services/registrations.py) ------------------------


def test_register_wait_cancel_and_promote_send_the_right_notices(django_capture_on_commit_callbacks):
    from events.services.registrations import RegistrationDetails, registration_cancel, registration_create

    event = meeting(capacity=1)
    first, second = person("en", email="first@example.org"), person("de", email="second@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        seat = registration_create(meeting=event, user=first, details=RegistrationDetails()).registration
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(meeting=event, user=second, details=RegistrationDetails())
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=seat, actor=first)
    sent = [(message.to[0], message.subject) for message in mail.outbox]
    assert sent == [
        ("first@example.org", "Registration confirmed: CoP meeting: housing"),
        ("second@example.org", mail.outbox[1].subject),
        ("first@example.org", "Registration cancelled: CoP meeting: housing"),
        ("second@example.org", mail.outbox[3].subject),
    ]
    waitlisted, promoted = mail.outbox[1], mail.outbox[3]
    assert waitlisted.extra_headers["Content-Language"] == promoted.extra_headers["Content-Language"] == "de"
    assert "1" in waitlisted.body  # first in line
    ics_of(promoted)
    attachment(promoted, ".png")


def test_a_failed_change_notice_is_retried_for_that_person_only(registered, monkeypatch):
    event, _, _ = registered
    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send

    def send(self, fail_silently=False):
        if self.to == ["en@example.org"]:
            raise OSError("mailbox full")
        return original(self, fail_silently)

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", send)
        with pytest.raises(emails.NoticeNotSent):
            emails.meeting_notices_send(meeting_id=event.pk, sequence=0)
    assert sorted(message.to[0] for message in mail.outbox) == ["de@example.org", "waiting@example.org"]
    assert emails.meeting_notices_send(meeting_id=event.pk, sequence=0) == 1
    everyone = ["de@example.org", "en@example.org", "waiting@example.org"]
    assert sorted(message.to[0] for message in mail.outbox) == everyone


def test_a_change_in_the_admin_also_raises_the_sequence_and_tells_everyone(
    registered, client, django_capture_on_commit_callbacks
):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    event, coordinator, _ = registered
    model_admin = site._registry[Meeting]
    request = RequestFactory().post("/")
    request.user = coordinator
    event.city = "Offenbach am Main"
    form = model_admin.get_form(request, event, change=True)
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.save_model(request, event, form, change=True)
    assert Meeting.objects.get(pk=event.pk).sequence == 1
    assert len(mail.outbox) == 3 and all("Offenbach am Main" in message.body for message in mail.outbox)
    # Each in the person's own language: the German one says "Ort", the others "place".
    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert "Ort" in by_address["de@example.org"] and "place" in by_address["en@example.org"]
