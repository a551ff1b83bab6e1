"""Calendar files of meetings (events/ics.py): valid RFC 5545, parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import override_settings
from django.utils import translation

from events.ics import calendar_bytes, meeting_ics, meeting_uid
from events.models import Meeting
from events.services.meetings import MeetingDetails, meeting_update
from projects.models import ProjectRole
from tests.factories import MeetingFactory, ProjectFactory, ProjectRoleFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(year: int, month: int, day: int, hour: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=BERLIN)


def parse(content: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return calendar


def only_event(content: bytes) -> icalendar.Event:
    events = parse(content).events
    assert len(events) == 1
    return events[0]


@pytest.mark.parametrize("month, utc_hour", [(1, 9), (7, 8)], ids=["winter: CET is UTC+1", "summer: CEST is UTC+2"])
def test_a_berlin_meeting_at_ten_is_written_in_berlin_time(month, utc_hour):
    meeting = MeetingFactory(starts_at=berlin(2026, month, 15, 10), ends_at=berlin(2026, month, 15, 12))
    content = meeting_ics(meeting, show_online_link=False)
    event = only_event(content)
    start = event.decoded("dtstart")
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert (start.hour, start.utcoffset()) == (10, dt.timedelta(hours=10 - utc_hour))
    assert start.astimezone(dt.UTC).hour == utc_hour
    assert event.decoded("dtend").astimezone(dt.UTC).hour == utc_hour + 2
    # The zone's rules travel with the file, so programs without a zone database agree.
    timezones = parse(content).walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Berlin"]
    assert b"DTSTART;TZID=Europe/Berlin:2026" in content


def test_a_meeting_abroad_keeps_its_own_zone():
    zone = ZoneInfo("America/New_York")
    meeting = MeetingFactory(
        timezone="America/New_York",
        starts_at=dt.datetime(2026, 1, 15, 9, tzinfo=zone),
        ends_at=dt.datetime(2026, 1, 15, 11, tzinfo=zone),
    )
    event = only_event(meeting_ics(meeting, show_online_link=False))
    assert event["dtstart"].params["TZID"] == "America/New_York"
    assert event.decoded("dtstart").astimezone(dt.UTC).hour == 14


@override_settings(PORTAL_BASE_URL="https://portal.example.org")
def test_the_event_carries_uid_summary_place_description_url_and_stamp():
    meeting = MeetingFactory(
        title="CoP meeting: housing",
        description="Local housing offices and tenants' groups.",
        agenda="1. Welcome\n2. Cases",
        venue="Haus der Vereine",
        address="Hauptstr. 1",
        city="Offenbach",
    )
    event = only_event(meeting_ics(meeting, show_online_link=False))
    assert str(event["uid"]) == f"meeting-{meeting.pk}@portal.example.org" == meeting_uid(meeting)
    assert str(event["summary"]) == "CoP meeting: housing"
    assert "Haus der Vereine" in str(event["location"]) and "Offenbach" in str(event["location"])
    description = str(event["description"])
    assert "Local housing offices" in description and "2. Cases" in description
    assert str(event["url"]) == f"https://portal.example.org/meetings/{meeting.pk}/"
    assert event.decoded("dtstamp").tzinfo is not None
    assert str(event["status"]) == "CONFIRMED"
    assert int(event["sequence"]) == 0


def test_the_online_link_is_only_in_files_for_people_who_may_see_it():
    meeting = MeetingFactory(format=Meeting.Format.ONLINE, online_link="https://meet.example.org/secret-room")
    assert b"secret-room" not in meeting_ics(meeting, show_online_link=False)
    event = only_event(meeting_ics(meeting, show_online_link=True))
    assert "https://meet.example.org/secret-room" in str(event["description"])


def test_the_texts_follow_the_language():
    meeting = MeetingFactory(description="In English", description_de="Auf Deutsch", agenda="x")
    with translation.override("de"):
        german = str(only_event(meeting_ics(meeting, show_online_link=False))["description"])
    with translation.override("en"):
        english = str(only_event(meeting_ics(meeting, show_online_link=False))["description"])
    assert "Auf Deutsch" in german and "Tagesordnung" in german
    assert "In English" in english and "Agenda" in english


def test_a_cancelled_meeting_is_marked_cancelled():
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED)
    assert str(only_event(meeting_ics(meeting, show_online_link=False))["status"]) == "CANCELLED"


def _details(meeting: Meeting, **changes) -> MeetingDetails:
    values = {name: getattr(meeting, name) for name in MeetingDetails.__dataclass_fields__ if hasattr(meeting, name)}
    values.update(changes)
    return MeetingDetails(**values)


def test_the_uid_stays_and_sequence_rises_after_a_change(django_capture_on_commit_callbacks):
    project = ProjectFactory()
    coordinator = ProjectRoleFactory(project=project, role=ProjectRole.Role.COORDINATOR).user
    meeting = MeetingFactory(project=project, starts_at=berlin(2030, 3, 2, 10), ends_at=berlin(2030, 3, 2, 12))
    before = only_event(meeting_ics(meeting, show_online_link=False))
    with django_capture_on_commit_callbacks(execute=True):
        moved = meeting_update(
            meeting=meeting,
            actor=coordinator,
            details=_details(meeting, starts_at=berlin(2030, 3, 3, 10), ends_at=berlin(2030, 3, 3, 12)),
        )
    after = only_event(meeting_ics(Meeting.objects.get(pk=meeting.pk), show_online_link=False))
    assert str(after["uid"]) == str(before["uid"])
    assert (int(before["sequence"]), int(after["sequence"])) == (0, 1) and moved.sequence == 1
    assert after.decoded("dtstart") == berlin(2030, 3, 3, 10)
    # A new title is no change of time, place or status: the revision stays.
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(meeting=moved, actor=coordinator, details=_details(moved, title="Renamed"))
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(meeting=moved, actor=coordinator, details=_details(moved, status=Meeting.Status.CANCELLED))
    cancelled = only_event(meeting_ics(Meeting.objects.get(pk=meeting.pk), show_online_link=False))
    assert (int(cancelled["sequence"]), str(cancelled["status"])) == (2, "CANCELLED")


def test_a_feed_holds_one_event_per_meeting_and_each_zone_once():
    meetings = [
        MeetingFactory(starts_at=berlin(2026, 1, day, 10), ends_at=berlin(2026, 1, day, 12)) for day in (5, 6, 7)
    ]
    content = calendar_bytes(meetings, show_online_link=lambda m: False, name="CoP Offenbach", is_feed=True)
    calendar = parse(content)
    assert len(calendar.events) == 3
    assert len({str(event["uid"]) for event in calendar.events}) == 3
    assert len(calendar.walk("VTIMEZONE")) == 1
    assert str(calendar["X-WR-CALNAME"]) == "CoP Offenbach"


def test_an_empty_feed_is_still_valid():
    calendar = parse(calendar_bytes([], show_online_link=lambda m: False, is_feed=True))
    assert calendar.events == []


def test_a_feed_asks_to_be_refreshed_hourly():
    content = calendar_bytes([], show_online_link=lambda m: False, is_feed=True)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in content
    assert b"X-PUBLISHED-TTL:PT1H" in content


def test_a_page_the_web_layer_did_not_register_is_a_clear_error():
    from django.core.exceptions import ImproperlyConfigured

    from events.absolute_urls import page_url

    with pytest.raises(ImproperlyConfigured, match="no-such-page"):
        page_url("no-such-page", meeting_id=1)
