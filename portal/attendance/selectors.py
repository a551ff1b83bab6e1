"""Reads for the attendance pages: a meeting's registrations by name, for its coordinators."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from events.models import Meeting, Registration

# A search longer than any name or address only makes the database work harder.
MAX_QUERY_LENGTH = 100


def meeting_for_attendance(pk: int) -> Meeting:
    """The meeting with what its attendance page shows; Meeting.DoesNotExist if there is none."""
    return Meeting.objects.select_related("project", "project__programme", "community").get(pk=pk)


def attendance_registrations(meeting: Meeting, query: str = "") -> QuerySet[Registration]:
    """The meeting's registrations with their people, by surname; ``query`` narrows them to
    those whose name, e-mail address or organisation contains it (any case)."""
    registrations = Registration.objects.filter(meeting=meeting).select_related("user", "user__organisation")
    query = query.strip()[:MAX_QUERY_LENGTH]
    if query:
        registrations = registrations.annotate(
            full_name=Concat("user__first_name", Value(" "), "user__last_name")
        ).filter(
            Q(full_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(user__organisation__name__icontains=query)
            | Q(user__organisation__short_name__icontains=query)
            | Q(user__organisation_name__icontains=query)
        )
    return registrations.order_by("user__last_name", "user__first_name", "user__email", "id")


# The columns the attendance list shows: a row's own, and its person's name, address and organisation.
_LIST_COLUMNS = (
    "id",
    "meeting_id",
    "status",
    "sector",
    "checked_in_at",
    "cancelled_at",
    "user__first_name",
    "user__last_name",
    "user__email",
    "user__organisation_name",
    "user__organisation__name",
    "user__organisation__short_name",
)


def _by_pk(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[pk])`` for many pks at the cost of one reverse (a hundred rows
    with five links each would spend more on reversing than on the rest of the page)."""
    marker = "/2147483647/"
    prefix, suffix = reverse(name, args=[2147483647]).split(marker, 1)
    return lambda pk: f"{prefix}/{pk}/{suffix}"


def attendance_sections(meeting: Meeting, query: str = "") -> dict[str, list[Registration]]:
    """:func:`attendance_registrations` by status (every status present, maybe empty), only
    the columns the list shows, each row ready for the template: ``person_name`` (the name,
    else the address), ``organisation_label`` (the person's organisation as the list names
    it), ``move_label`` and the addresses of its page and its forms."""
    urls = {
        "page_url": _by_pk("registrations:registration"),
        "check_in_url": _by_pk("attendance:check_in"),
        "cancel_url": _by_pk("attendance:cancel"),
        "restore_url": _by_pk("attendance:restore"),
        "move_url": _by_pk("attendance:move"),
    }
    sections: dict[str, list[Registration]] = {status: [] for status in Registration.Status.values}
    for registration in attendance_registrations(meeting, query).only(*_LIST_COLUMNS):
        person = registration.user
        registration.person_name = (person.get_full_name() or person.email) if person else ""
        registration.organisation_label = (person.organisation_label or "–") if person else "–"
        registration.move_label = gettext("Move %(person)s to the meeting chosen above") % {
            "person": registration.person_name
        }
        for attribute, url in urls.items():
            setattr(registration, attribute, url(registration.pk))
        sections[registration.status].append(registration)
    return sections


@dataclass(frozen=True)
class MoveTargets:
    """Where a registration can be moved: the meetings, and their <option> elements made once
    for every row's form (a hundred rows would otherwise render the same options a hundred times)."""

    meetings: list[Meeting]
    options: SafeString

    def __bool__(self) -> bool:
        return bool(self.meetings)


def move_target_options(meeting: Meeting) -> MoveTargets:
    """:func:`move_targets` with their options: the date (in the reader's time zone) and title."""
    meetings = list(move_targets(meeting))
    options = format_html_join(
        "",
        '<option value="{}">{} · {}</option>',
        (
            (
                target.pk,
                formats.date_format(timezone.localtime(target.starts_at), "SHORT_DATE_FORMAT"),
                target.display_title,
            )
            for target in meetings
        ),
    )
    return MoveTargets(meetings=meetings, options=options)


def move_targets(meeting: Meeting) -> QuerySet[Meeting]:
    """Where a registration of ``meeting`` can be moved: the project's other meetings that
    are neither over nor cancelled, soonest first."""
    return (
        Meeting.objects.filter(
            project_id=meeting.project_id, status=Meeting.Status.SCHEDULED, ends_at__gte=timezone.now()
        )
        .exclude(pk=meeting.pk)
        .order_by("starts_at", "id")
    )


def registration_for_attendance(pk: int) -> Registration:
    return Registration.objects.select_related(
        "user", "user__organisation", "meeting", "meeting__project", "meeting__community", "checked_in_by"
    ).get(pk=pk)
