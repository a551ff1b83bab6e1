"""Check-in: a meeting's attendance page, the page a scanned QR code opens, the attendance
sheet, the exports of registrations, and a community's statistics.

Everything here shows people by name or says who was there, so it is for the meeting's
project coordinators only (events.permissions.can_check_in and friends); a community's
statistics are figures, for its coordinators and facilitators. Refusals follow
portal/access.py: 403 for people who may see the meeting (the registration, the
community) anyway, 404 for everybody else, so a URL does not reveal a private project.
Every page and file that shows people is written to the access log of personal data
(audit.services.personal_data_access_record) once it is allowed; refusals are not.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from audit.models import AccessKind
from audit.services import personal_data_access_record
from events.attendance_sheet import NoAttendanceSheet, attendance_sheet_pdf, sheet_available
from events.checkin_codes import registration_id_from_code
from events.exports import registrations_csv, registrations_xlsx
from events.models import Community, Meeting, Registration
from events.permissions import (
    can_check_in,
    can_download_attendance_sheet,
    can_export_registrations,
    can_manage_meeting,
    can_view_community,
    can_view_community_statistics,
    can_view_meeting,
    can_view_registration,
)
from events.selectors.statistics import (
    community_attendance,
    community_members_over_time,
    community_past_meetings,
    meeting_statistics,
)
from events.selectors.visibility import visible_meetings
from events.services.checkin import registration_check_in
from events.services.registrations import registration_cancel, registration_move, registration_restore
from portal import fragments
from portal.access import object_or_404
from portal.lazy_context import lazy_values
from portal.permissions import can_view_personal_data_access
from projects.permissions import can_view_project_changes, can_view_project_figures

from . import selectors

# The community statistics page lists this many of the latest past meetings.
PAST_MEETINGS_SHOWN = 24


def _meeting_or_refuse(request: HttpRequest, pk: int, allowed: Any, *, kept: bool = False) -> Meeting:
    """``kept``: the row as kept for every reader (the page); the actions read it afresh."""
    if kept:
        read = lambda: fragments.cached("attendance-meeting-row", (pk,), lambda: selectors.meeting_for_attendance(pk))  # noqa: E731
    else:
        read = lambda: selectors.meeting_for_attendance(pk)  # noqa: E731
    return object_or_404(request, read, visible=can_view_meeting, allowed=allowed)


def _registration_or_refuse(request: HttpRequest, pk: int) -> Registration:
    return object_or_404(
        request,
        lambda: selectors.registration_for_attendance(pk),
        visible=can_view_registration,
        allowed=lambda user, registration: can_check_in(user, registration.meeting),
    )


def _person(registration: Registration) -> str:
    if registration.user is None:
        return gettext("anonymised")
    return registration.user.get_full_name() or registration.user.email


def _private(response: HttpResponse) -> HttpResponse:
    # Names and e-mail addresses: never kept by a browser or proxy cache.
    add_never_cache_headers(response)  # no-store, private
    return response


def _log_meeting_access(request: HttpRequest, meeting: Meeting, kind: str, people: int) -> None:
    # After the permission check and once the page or file is ready: refusals leave no entry.
    personal_data_access_record(
        viewer=request.user, kind=kind, project_id=meeting.project_id, meeting_id=meeting.pk, people=people
    )


def _registrations_named(meeting: Meeting, **filters: Any) -> int:
    """How many people a file of the meeting names (the access log's count; one COUNT query)."""
    return Registration.objects.filter(meeting=meeting, **filters).count()


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# --- The attendance page -----------------------------------------------------------------------


class MeetingAttendanceView(LoginRequiredMixin, TemplateView):
    """The coordinator's list of a meeting: search, check in, counters, cancel/restore/move."""

    template_name = "attendance/meeting.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _private(super().get(request, *args, **kwargs))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        meeting = _meeting_or_refuse(self.request, kwargs["pk"], can_check_in, kept=True)
        query = self.request.GET.get("q", "").strip()[: selectors.MAX_QUERY_LENGTH]
        # The list is one fragment for everybody with the same roles (the project's
        # coordinators), keyed by the meeting and the search: the rows are read only when it
        # is rendered. The access log gets its entry on every view all the same, with the
        # number of people the list shows, kept alongside the fragment.
        sections = functools.cache(lambda: selectors.attendance_sections(meeting, query))
        people = fragments.cached(
            "attendance-people", (meeting.pk, query), lambda: sum(len(rows) for rows in sections().values())
        )
        _log_meeting_access(self.request, meeting, AccessKind.ATTENDANCE_PAGE, people)

        def page() -> dict[str, Any]:
            rows = sections()
            confirmed = rows[Registration.Status.CONFIRMED]
            # Type a name, press Enter, press Enter again: when the search leaves one person to
            # check in, their button takes the focus instead of the search field.
            to_check_in = [r for r in confirmed if r.checked_in_at is None]
            return {
                "confirmed": confirmed,
                "waitlisted": rows[Registration.Status.WAITLISTED],
                "cancelled": rows[Registration.Status.CANCELLED],
                "focus_pk": to_check_in[0].pk if query and len(to_check_in) == 1 else None,
                "statistics": meeting_statistics(meeting),
                "move_targets": selectors.move_target_options(meeting),
                "sheet_available": sheet_available(meeting),
            }

        return super().get_context_data(
            **kwargs,
            meeting=meeting,
            project=meeting.project,
            query=query,
            **lazy_values(page, *ATTENDANCE_PAGE_VALUES),
            can_download_sheet=can_download_attendance_sheet(user, meeting),
            can_export=can_export_registrations(user, meeting),
            can_view_community_statistics=meeting.community is not None
            and can_view_community_statistics(user, meeting.community),
            # can_view_registration for somebody else's registration, asked once for every row.
            can_open_registrations=can_manage_meeting(user, meeting),
            # "Who looked at this list" (portal/access_log).
            can_view_access_log=can_view_personal_data_access(user, meeting.project),
            can_view_changes=can_view_project_changes(user, meeting.project),
        )


# What the attendance page's list shows (MeetingAttendanceView.get_context_data's page()).
ATTENDANCE_PAGE_VALUES = (
    "confirmed",
    "waitlisted",
    "cancelled",
    "focus_pk",
    "statistics",
    "move_targets",
    "sheet_available",
)


def _back_to_list(registration: Registration, query: str) -> HttpResponseRedirect:
    """Back to the list: to a fresh search after a search, else to the row just changed."""
    url = reverse("attendance:meeting", kwargs={"pk": registration.meeting_id})
    if query:
        return HttpResponseRedirect(url)
    return HttpResponseRedirect(f"{url}#registration-{registration.pk}")


class _RegistrationActionView(LoginRequiredMixin, View):
    """A POST from a row of the attendance page, which it returns to with a message."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        registration = _registration_or_refuse(request, pk)
        try:
            text = self.act(request, registration)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        except Registration.DoesNotExist:
            messages.info(request, gettext("This registration no longer exists."))
        else:
            if text:
                messages.success(request, text)
        return _back_to_list(registration, request.POST.get("q", "").strip())

    def act(self, request: HttpRequest, registration: Registration) -> str:
        raise NotImplementedError


class CheckInView(_RegistrationActionView):
    def act(self, request: HttpRequest, registration: Registration) -> str:
        attended = request.POST.get("attended", "1") != "0"
        result = registration_check_in(registration=registration, actor=request.user, attended=attended)
        names = {"person": _person(registration)}
        if not result.changed:
            if attended:
                return gettext("%(person)s was already checked in.") % names
            return gettext("%(person)s was not checked in.") % names
        if attended:
            return gettext("%(person)s is checked in.") % names
        return gettext("The check-in of %(person)s was taken back.") % names


class CancelView(_RegistrationActionView):
    def act(self, request: HttpRequest, registration: Registration) -> str:
        if registration.checked_in_at is not None:
            # Attended is evidence: it is taken back on purpose, never as a side effect.
            raise ValidationError(
                gettext("%(person)s is checked in: take the check-in back first.") % {"person": _person(registration)}
            )
        result = registration_cancel(registration=registration, actor=request.user)
        text = gettext("The registration of %(person)s is cancelled.") % {"person": _person(registration)}
        if result.promoted:
            promoted = ", ".join(_person(r) for r in result.promoted)
            text += " " + gettext("Moved up from the waiting list: %(people)s.") % {"people": promoted}
        return text


class RestoreView(_RegistrationActionView):
    def act(self, request: HttpRequest, registration: Registration) -> str:
        result = registration_restore(registration=registration, actor=request.user)
        names = {"person": _person(registration)}
        if result.confirmed:
            return gettext("The registration of %(person)s is restored and confirmed.") % names
        return gettext("The registration of %(person)s is restored, on the waiting list (position %(position)s).") % {
            **names,
            "position": result.position,
        }


class MoveView(_RegistrationActionView):
    def act(self, request: HttpRequest, registration: Registration) -> str:
        try:
            to_meeting = selectors.move_targets(registration.meeting).get(pk=int(request.POST.get("to_meeting", "")))
        except (ValueError, Meeting.DoesNotExist):
            raise ValidationError(gettext("Choose one of the project's upcoming meetings.")) from None
        result = registration_move(registration=registration, actor=request.user, to_meeting=to_meeting)
        return gettext("%(person)s is moved to %(meeting)s (%(status)s).") % {
            "person": _person(registration),
            "meeting": to_meeting.display_title,
            "status": result.registration.get_status_display(),
        }


# --- The QR code --------------------------------------------------------------------------------


class ScanView(LoginRequiredMixin, TemplateView):
    """What a registration's QR code opens: that person's check-in card.

    GET shows the card and never changes anything (a link preview or a second look must
    not check anybody in); the button on it POSTs. Holding a code proves nothing: only
    the coordinators of the meeting's project get the card, everyone else 403/404, and a
    code that was not made here is a 404.
    """

    template_name = "attendance/scan.html"

    def _load(self, request: HttpRequest, code: str) -> Registration:
        pk = registration_id_from_code(code)
        if pk is None:
            raise Http404
        return _registration_or_refuse(request, pk)

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        registration = self._load(request, code)
        personal_data_access_record(
            viewer=request.user,
            kind=AccessKind.CHECK_IN_CARD,
            project_id=registration.meeting.project_id,
            meeting_id=registration.meeting_id,
            subject_id=registration.user_id,
            people=1,
        )
        context = self.get_context_data(
            registration=registration,
            meeting=registration.meeting,
            code=code,
            can_be_checked_in=registration.status == Registration.Status.CONFIRMED
            and registration.meeting.status == Meeting.Status.SCHEDULED,
        )
        return _private(self.render_to_response(context))

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        registration = self._load(request, code)
        attended = request.POST.get("attended", "1") != "0"
        names = {"person": _person(registration)}
        try:
            result = registration_check_in(registration=registration, actor=request.user, attended=attended)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            if attended:
                done = (
                    gettext("%(person)s is checked in.")
                    if result.changed
                    else gettext("%(person)s was already checked in.")
                )
            else:
                done = (
                    gettext("The check-in of %(person)s was taken back.")
                    if result.changed
                    else gettext("%(person)s was not checked in.")
                )
            messages.success(request, done % names)
        return HttpResponseRedirect(reverse("attendance:scan", kwargs={"code": code}))


# --- Files: the attendance sheet and the exports --------------------------------------------------


def _file_name(meeting: Meeting, extension: str) -> str:
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    return f"{meeting.project.slug}-{day}-{meeting.pk}.{extension}"


class AttendanceSheetView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = _meeting_or_refuse(request, pk, can_download_attendance_sheet)
        try:
            content = attendance_sheet_pdf(meeting=meeting)
        except NoAttendanceSheet as error:
            messages.info(request, str(error))
            return HttpResponseRedirect(reverse("attendance:meeting", kwargs={"pk": meeting.pk}))
        # The sheet lists the confirmed people (events.attendance_sheet.sheet_registrations).
        confirmed = _registrations_named(meeting, status=Registration.Status.CONFIRMED)
        _log_meeting_access(request, meeting, AccessKind.SIGN_IN_SHEET, confirmed)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="attendance-{_file_name(meeting, "pdf")}"'
        return _private(response)


class ExportCsvView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = _meeting_or_refuse(request, pk, can_export_registrations)
        # Logged before the stream starts: a download cut short has still shown its first rows.
        _log_meeting_access(request, meeting, AccessKind.ATTENDANCE_CSV, _registrations_named(meeting))
        response = StreamingHttpResponse(registrations_csv(meeting), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="registrations-{_file_name(meeting, "csv")}"'
        return _private(response)


class ExportXlsxView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = _meeting_or_refuse(request, pk, can_export_registrations)
        content = registrations_xlsx(meeting)
        _log_meeting_access(request, meeting, AccessKind.ATTENDANCE_XLSX, _registrations_named(meeting))
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="registrations-{_file_name(meeting, "xlsx")}"'
        return _private(response)


# --- Community statistics ----------------------------------------------------------------------------


class CommunityStatisticsView(LoginRequiredMixin, TemplateView):
    """Members month by month and the attendance rate of a community: figures, no names."""

    template_name = "attendance/community_statistics.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        community = object_or_404(
            self.request,
            lambda: Community.objects.select_related("project").get(slug=kwargs["slug"]),
            visible=can_view_community,
            allowed=can_view_community_statistics,
        )
        months = community_members_over_time(community)
        past = list(community_past_meetings(community)[:PAST_MEETINGS_SHOWN])
        return super().get_context_data(
            **kwargs,
            community=community,
            project=community.project,
            months=months,
            peak=max((month.active for month in months), default=0),
            attendance=community_attendance(community),
            past_meetings=past,
            # A facilitator runs the community without necessarily seeing the project's workspace
            # or its partners-only meetings: names link only where the page opens for them.
            project_visible=can_view_project_figures(self.request.user, community.project),
            visible_meeting_ids=set(
                visible_meetings(self.request.user).filter(community=community).values_list("pk", flat=True)
            ),
        )
