"""E-mails to registered people, in their own language, with a text and an HTML part.

Kinds and what they carry (templates/events/email/<kind>.txt, .html, _subject.txt):

- ``confirmed``, ``promoted``, ``reminder``: the seat is theirs; the meeting's .ics and
  the check-in QR code (which encodes the address of the check-in page, CHECKIN_PAGE) are attached;
- ``waitlisted``: their position in line;

  a new registration's notice is one of these two, chosen when it is sent
  (:func:`registered_notice_send`);
- ``cancelled``: their registration was cancelled (by them or a coordinator);
- ``meeting_changed``, ``meeting_cancelled``: the coordinator changed the time, place,
  format or status; sent to everyone registered (confirmed and waitlisted), with the
  updated .ics (same UID, higher SEQUENCE, so calendars replace their copy).

Tasks may run twice (a worker lost after sending: acks_late re-delivers), so sending is
made harmless to repeat: a notice whose moment has passed is not sent (a "confirmed"
for a registration cancelled meanwhile, a change notice for an older revision), and the
same notice for the same state is sent once, remembered in the shared cache. The
reminder is claimed in the database instead (events/services/reminders.py).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from email.mime.image import MIMEImage
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import segno
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext

from . import ics
from .absolute_urls import base_url, page_url
from .branded_mail import branding_context
from .checkin_codes import checkin_code
from .models import Meeting, Registration
from .permissions import can_view_online_link

logger = logging.getLogger(__name__)

Status = Registration.Status

REGISTRATION_KINDS = ("confirmed", "waitlisted", "promoted", "cancelled")
MEETING_KINDS = ("meeting_changed", "meeting_cancelled")
REMINDER = "reminder"
# The registration status a notice is about; when the registration has moved on (a
# "confirmed" arriving after the person cancelled), the notice would be wrong: skip it.
EXPECTED_STATUS = {
    "confirmed": Status.CONFIRMED,
    "waitlisted": Status.WAITLISTED,
    "promoted": Status.CONFIRMED,
    "cancelled": Status.CANCELLED,
    REMINDER: Status.CONFIRMED,
}
# Kinds that hand over a seat: they carry the check-in QR code and the calendar file.
WITH_TICKET = {"confirmed", "promoted", REMINDER}
WITH_CALENDAR_FILE = WITH_TICKET | set(MEETING_KINDS)
QR_CONTENT_ID = "checkin-qr"
# How long a sent notice is remembered against a repeated task (the broker re-delivers
# within the visibility timeout, an hour; a day is ample).
SENT_MEMORY_SECONDS = 24 * 3600
# The page a coordinator's scan of a check-in code opens (argument ``code``); the web layer
# registers its path (events/absolute_urls.py).
CHECKIN_PAGE = "checkin"


# --- Public entry points (called by events/tasks.py and the reminder service) ----------------


def registration_notice_send(*, registration_id: int, kind: str) -> bool:
    """Send the notice of ``kind`` about the registration; False when there was nothing to send.

    A registration deleted meanwhile, a notice overtaken by events, or one already sent
    for the same state is skipped without error.
    """
    if kind not in REGISTRATION_KINDS:
        raise ValueError(f"unknown registration notice {kind!r}")
    return _registration_notice(_registrations().filter(pk=registration_id).first(), kind)


def registered_notice_send(*, meeting_id: int, user_id: int) -> bool:
    """Tell a person who has just registered where they stand: a seat ("confirmed") or a
    place on the waiting list ("waitlisted"); False when there was nothing to send.

    The service queues this before it writes the registration (events/services/registrations.py
    says why), so the message names the meeting and the person, and the notice tells what
    is true when it is sent: a person promoted meanwhile hears of their seat, not of a
    waiting list they have left. Nothing is sent once they have cancelled.
    """
    registration = (
        _registrations().filter(meeting_id=meeting_id, user_id=user_id, status__in=Registration.ACTIVE).first()
    )
    if registration is None:
        return False
    return _registration_notice(registration, "confirmed" if registration.status == Status.CONFIRMED else "waitlisted")


# Both announce a seat. A person promoted before their registration notice went out would
# otherwise hear of the one seat twice: whichever of the two is sent first, the other is
# skipped (the key below also holds the place in line, so a seat got again is announced again).
SEAT_KINDS = frozenset({"confirmed", "promoted"})


def _registration_notice(registration: Registration | None, kind: str) -> bool:
    if registration is None or registration.status != EXPECTED_STATUS[kind] or not reachable(registration.user):
        return False
    state = f"{registration.status}:{registration.queued_at.timestamp()}:{_stamp(registration.cancelled_at)}"
    topic = "seat" if kind in SEAT_KINDS else kind
    return _send_once(f"events:notice:{registration.pk}:{topic}:{state}", partial(_message, registration, kind))


def meeting_notices_send(*, meeting_id: int, sequence: int, changed: list[str] | None = None) -> int:
    """Tell everyone registered (confirmed and waitlisted) that the meeting changed or was
    cancelled; returns how many e-mails went out.

    ``sequence`` is the revision the change produced. When the meeting has been changed
    again since, this notice is skipped: the newer change sends its own, with the newer
    facts, so nobody gets two e-mails for one state.
    """
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None or meeting.sequence != sequence:
        return 0
    kind = "meeting_cancelled" if meeting.status == Meeting.Status.CANCELLED else "meeting_changed"
    registrations = (
        Registration.objects.filter(meeting_id=meeting_id, status__in=Registration.ACTIVE)
        .select_related("user", "meeting", "meeting__project", "meeting__community")
        .order_by("pk")
    )
    sent, failed = 0, []
    # One connection for the whole list: an SMTP login per recipient would be slow.
    with get_connection() as connection:
        for registration in registrations:
            if not reachable(registration.user):
                continue
            key = f"events:notice:{registration.pk}:{kind}:{sequence}"
            build = partial(_message, registration, kind, changed=changed or [])
            try:
                if _send_once(key, build, connection=connection):
                    sent += 1
            except OSError as error:
                # One refused address must not keep the others from hearing of the change.
                logger.warning("change notice to registration %s failed: %s", registration.pk, error)
                failed.append(registration.pk)
    if failed:
        # The task retries; those already told are remembered and skipped.
        raise NoticeNotSent(f"change notice not sent to registrations {failed}")
    return sent


class NoticeNotSent(OSError):
    """Some e-mails of a batch failed (a transient mail server error); retrying is safe."""


def reminder_message(registration: Registration) -> EmailMultiAlternatives | None:
    """The 48-hour reminder (the caller has claimed it); None when it no longer applies."""
    if registration.status != EXPECTED_STATUS[REMINDER] or not reachable(registration.user):
        return None
    return _message(registration, REMINDER)


def reachable(user: Any) -> bool:
    """A deactivated account (or one without an address) gets no more mail."""
    # An anonymised registration has no person left to tell.
    return bool(user is not None and user.is_active and user.email)


# --- Building a message ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Times:
    when: str
    local_when: str
    zone_name: str


def _registrations() -> QuerySet[Registration]:
    return Registration.objects.select_related("user", "meeting", "meeting__project", "meeting__community")


def _stamp(moment: dt.datetime | None) -> str:
    return "" if moment is None else str(moment.timestamp())


def _zone(name: str, fallback: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or fallback)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(fallback)


def _span(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> str:
    """ "14 May 2025, 10:00 – 13:00" in ``zone`` and the active language."""
    start, end = start.astimezone(zone), end.astimezone(zone)
    first = f"{date_format(start, 'DATE_FORMAT')}, {time_format(start, 'TIME_FORMAT')}"
    if start.date() == end.date():
        return f"{first} – {time_format(end, 'TIME_FORMAT')}"
    return f"{first} – {date_format(end, 'DATE_FORMAT')}, {time_format(end, 'TIME_FORMAT')}"


def _times(meeting: Meeting, user: Any) -> _Times:
    # In the reader's own zone, as the portal's pages show times; and at the venue's
    # clock too when that differs, so nobody misses a meeting abroad.
    reader_zone = _zone(getattr(user, "time_zone", ""), settings.TIME_ZONE)
    venue_zone = ics.meeting_zone(meeting)
    local = "" if venue_zone.key == reader_zone.key else _span(meeting.starts_at, meeting.ends_at, venue_zone)
    when = _span(meeting.starts_at, meeting.ends_at, reader_zone)
    return _Times(when=when, local_when=local, zone_name=reader_zone.key)


def _waitlist_position(registration: Registration) -> int:
    """1 for the next in line: first come (queued_at), then first saved (id)."""
    waiting = Registration.objects.filter(meeting_id=registration.meeting_id, status=Status.WAITLISTED)
    ahead = waiting.filter(queued_at__lt=registration.queued_at).count()
    same_moment = waiting.filter(queued_at=registration.queued_at, pk__lt=registration.pk).count()
    return ahead + same_moment + 1


def checkin_url(registration: Registration) -> str:
    """What the registration's QR code encodes: the check-in page a coordinator's scan opens."""
    return page_url(CHECKIN_PAGE, code=checkin_code(registration))


def qr_png(data: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


def _message(registration: Registration, kind: str, *, changed: list[str] | None = None) -> EmailMultiAlternatives:
    user = registration.user
    meeting = registration.meeting
    language = user.preferred_language or settings.LANGUAGE_CODE
    show_link = can_view_online_link(user, meeting)
    with translation.override(language):
        times = _times(meeting, user)
        context = {
            **branding_context(user),
            "kind": kind,
            "name": user.get_full_name() or user.email,
            "registration": registration,
            "meeting": meeting,
            "project": meeting.project,
            "times": times,
            "location": ics.meeting_location(meeting),
            "online_link": meeting.online_link if show_link and meeting.format != Meeting.Format.IN_PERSON else "",
            "meeting_url": ics.meeting_page_url(meeting),
            "portal_url": base_url(),
            "changed": [_changed_label(name) for name in changed or []],
            "position": _waitlist_position(registration) if kind == "waitlisted" else None,
            "with_ticket": kind in WITH_TICKET,
            "checkin_url": checkin_url(registration) if kind in WITH_TICKET else "",
            "qr_content_id": QR_CONTENT_ID,
        }
        subject = " ".join(render_to_string(f"events/email/{kind}_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"events/email/{kind}.txt", context),
            to=[user.email],
            headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(render_to_string(f"events/email/{kind}.html", context), "text/html")
        if kind in WITH_CALENDAR_FILE:
            content = ics.meeting_ics(meeting, show_online_link=show_link).decode()
            message.attach(ics.meeting_filename(meeting), content, "text/calendar")
    if kind in WITH_TICKET:
        image = MIMEImage(qr_png(context["checkin_url"]), "png")
        # Shown in the HTML part (cid:) and, for text-only readers, as an attachment.
        image.add_header("Content-ID", f"<{QR_CONTENT_ID}>")
        image.add_header("Content-Disposition", "inline", filename="check-in-qr-code.png")
        message.attach(image)
    return message


def _changed_label(name: str) -> str:
    labels = {
        "time": gettext("date and time"),
        "place": gettext("place"),
        "format": gettext("format"),
        "online_link": gettext("online link"),
        "status": gettext("status"),
    }
    return labels.get(name, name)


# --- Sending at most once -------------------------------------------------------------------------


def _send_once(key: str, build: Callable[[], EmailMultiAlternatives], *, connection: Any = None) -> bool:
    """Send the message ``build()`` makes unless ``key`` says it went out already.

    cache.add is atomic (SET NX in Redis): of two copies of a task at the same moment,
    one sends. If sending fails, the key is dropped again so a retry may send.
    """
    if not cache.add(key, timezone.now().isoformat(), timeout=SENT_MEMORY_SECONDS):
        logger.info("notice %s was sent already; skipped", key)
        return False
    try:
        message = build()
        if connection is not None:
            message.connection = connection
        message.send()
    except BaseException:
        cache.delete(key)
        raise
    return True
