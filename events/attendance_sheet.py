"""The printable sign-in sheet of an in-person or hybrid meeting (PDF).

Funders' auditors ask for signed attendance sheets as evidence that a meeting took place
and who came. The sheet names the meeting, its date and time at the venue, the place and
the funding line, then lists every confirmed person with an empty signature box.
Online meetings have no sheet to sign: ``sheet_available`` says so, and
``attendance_sheet_pdf`` refuses them with NoAttendanceSheet.

The reports app calls ``attendance_sheet_pdf`` for its audit bundle; the permission
(events.permissions.can_download_attendance_sheet) is the caller's to check.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.pdf_rendering import render_pdf

from .models import Meeting, Registration

TEMPLATE = "attendance/sheet.html"


class NoAttendanceSheet(ValueError):
    """The meeting has no sign-in sheet (it is held online)."""


def sheet_available(meeting: Meeting) -> bool:
    return meeting.format in (Meeting.Format.IN_PERSON, Meeting.Format.HYBRID)


def _meeting_zone(meeting: Meeting) -> ZoneInfo:
    # The sheet is signed at the venue, so it shows the venue's clock; a row saved without
    # full_clean() may hold an unknown zone, and then the portal's own zone is used.
    try:
        return ZoneInfo(meeting.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def sheet_registrations(meeting: Meeting) -> list[Registration]:
    """The confirmed people, by surname: the order a sign-in table at the door is read in."""
    return list(
        Registration.objects.filter(meeting=meeting, status=Registration.Status.CONFIRMED)
        .select_related("user", "user__organisation")
        .order_by("user__last_name", "user__first_name", "user__email", "id")
    )


def attendance_sheet_pdf(*, meeting: Meeting) -> bytes:
    """The sign-in sheet as PDF bytes, in the active language and the meeting's time zone.

    Raises NoAttendanceSheet for an online meeting.
    """
    if not sheet_available(meeting):
        raise NoAttendanceSheet(_("An online meeting has no attendance sheet to sign."))
    meeting = Meeting.objects.select_related("project__programme__funder", "community").get(pk=meeting.pk)
    zone = _meeting_zone(meeting)
    with timezone.override(zone):
        html = render_to_string(
            TEMPLATE,
            {
                "meeting": meeting,
                "project": meeting.project,
                "programme": meeting.project.programme,
                "registrations": sheet_registrations(meeting),
                "zone": zone.key,
                "generated_at": timezone.now(),
            },
        )
    return render_pdf(html).content
