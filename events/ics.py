"""Calendar files (RFC 5545) of meetings, built with the icalendar library.

One meeting is always the same event to a calendar program: its UID is stable
("meeting-<pk>@<portal host>") and SEQUENCE is the meeting's revision, which
events/services/meetings.py raises when the time, place or status changes, so a program
that imports the file again, or refreshes a feed, replaces its copy instead of adding a
second one. Times are written in the meeting's own time zone (DTSTART;TZID=Europe/Berlin)
with the matching VTIMEZONE component, so a meeting stays at 10:00 local time across a
daylight-saving change, and every program converts it correctly.

The texts (location, description) are in the active language; callers wrap the call in
translation.override() for the person the file is for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.illustrative import illustrative_text

from .absolute_urls import page_url, portal_host
from .models import Meeting

PRODID = "-//Consortium portal//Meetings//EN"
# How often calendar programs should fetch a feed again (they may choose to ignore it).
FEED_REFRESH = dt.timedelta(hours=1)
CONTENT_TYPE = "text/calendar; charset=utf-8"
# The meeting's public page (argument ``meeting_id``); the web layer registers its path (events/absolute_urls.py).
MEETING_PAGE = "meeting"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{portal_host()}"


def meeting_zone(meeting: Meeting) -> ZoneInfo:
    """The zone of the meeting's place; the portal's own for a name that is not a zone."""
    try:
        return ZoneInfo(meeting.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        # Rows saved without full_clean() may hold a bad name; the file must still be valid.
        return ZoneInfo(settings.TIME_ZONE)


def meeting_location(meeting: Meeting) -> str:
    place = ", ".join(
        part for part in (meeting.venue, meeting.address, meeting.city, str(meeting.country.name or "")) if part
    )
    if meeting.format == Meeting.Format.ONLINE:
        return _("Online")
    if meeting.format == Meeting.Format.HYBRID:
        return f"{place} / {_('Online')}" if place else _("Online")
    return place


def meeting_description(meeting: Meeting, *, show_online_link: bool) -> str:
    parts = []
    text = meeting.display_description
    if text:
        parts.append(str(text))
    agenda = meeting.display_agenda
    if agenda:
        parts.append(f"{_('Agenda')}:\n{agenda}")
    if show_online_link and meeting.online_link and meeting.format != Meeting.Format.IN_PERSON:
        parts.append(f"{_('Join online')}: {meeting.online_link}")
    # An invented time or place says so in the calendar entry, which is read without the page.
    mark = illustrative_text(meeting)
    if mark:
        parts.append(mark)
    parts.append(f"{_('Details')}: {meeting_page_url(meeting)}")
    return "\n\n".join(parts)


def meeting_page_url(meeting: Meeting) -> str:
    return page_url(MEETING_PAGE, meeting_id=meeting.pk)


def meeting_event(meeting: Meeting, *, show_online_link: bool, stamp: dt.datetime | None = None) -> icalendar.Event:
    """The VEVENT of one meeting. ``show_online_link``: the reader may see the join link."""
    zone = meeting_zone(meeting)
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", (stamp or timezone.now()).astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", str(meeting.display_title))
    location = meeting_location(meeting)
    if location:
        event.add("location", location)
    event.add("description", meeting_description(meeting, show_online_link=show_online_link))
    event.add("url", meeting_page_url(meeting))
    cancelled = meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if meeting.updated_at:
        event.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
    return event


def calendar_bytes(
    meetings: Iterable[Meeting],
    *,
    show_online_link: Callable[[Meeting], bool],
    name: str | None = None,
    is_feed: bool = False,
) -> bytes:
    """A VCALENDAR with one VEVENT per meeting and the VTIMEZONEs they use."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    if is_feed:
        calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", icalendar.vDuration(FEED_REFRESH).to_ical().decode())
    stamp = timezone.now()
    meetings = list(meetings)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, show_online_link=show_online_link(meeting), stamp=stamp))
    if meetings:
        # The zones' rules for the years the meetings fall in (and a margin), not since 1970:
        # it keeps a feed of many meetings small.
        first = min(m.starts_at for m in meetings).year - 1
        last = max(m.ends_at for m in meetings).year + 2
        calendar.add_missing_timezones(first_date=dt.date(max(first, 1970), 1, 1), last_date=dt.date(last, 1, 1))
    return calendar.to_ical()


def meeting_ics(meeting: Meeting, *, show_online_link: bool) -> bytes:
    """The .ics file of one meeting."""
    return calendar_bytes([meeting], show_online_link=lambda _meeting: show_online_link)


def meeting_filename(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}.ics"
