"""A member's side of communities and meetings: joining, registering, cancelling.

Thin views: they find the object, answer 404 to people who may not see it (a URL does
not reveal whether a members-only community or meeting exists; portal/access.py), call a
service and report its outcome as a message. Everything works with plain forms, without
JavaScript.
"""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from audit.models import AccessKind
from audit.services import personal_data_access_record
from events.checkin_codes import checkin_code
from events.models import Community, Membership, Registration
from events.permissions import (
    can_cancel_registration,
    can_register_for_meeting,
    can_view_community,
    can_view_meeting,
    can_view_registration,
)
from events.selectors.registrations import (
    active_registration_id,
    own_registrations_with_meetings,
    registration_for_page,
)
from events.services import membership_join, membership_leave
from events.services.registrations import (
    DUPLICATE_CODE,
    REFUSAL_CODES,
    audience_refusal,
    registration_cancel,
    registration_closed_reason,
    registration_create,
)
from portal import fragments
from portal.access import object_or_404
from portal.calendar.selectors import meeting_for_form
from portal.confirmation import Confirmation, confirmation_page, safe_back_url
from projects.permissions import can_view_project

from .forms import RegistrationForm


def _messages_of(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _community_or_404(request: HttpRequest, slug: str) -> Community:
    return object_or_404(
        request, lambda: Community.objects.select_related("project").get(slug=slug), visible=can_view_community
    )


# --- Communities -------------------------------------------------------------------------------


class CommunityJoinView(LoginRequiredMixin, View):
    """Join an open community, or ask to join one that admits members on approval (POST)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        community = _community_or_404(request, slug)
        try:
            membership = membership_join(community=community, user=request.user)
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            if membership.status == Membership.Status.ACTIVE:
                messages.success(
                    request,
                    gettext("Welcome: you are now a member of %(community)s.") % {"community": community.display_name},
                )
            else:
                messages.success(
                    request,
                    gettext("Your request to join %(community)s has been sent. A facilitator will decide on it.")
                    % {"community": community.display_name},
                )
        return HttpResponseRedirect(reverse("calendar:community", kwargs={"slug": community.slug}))


class CommunityLeaveView(LoginRequiredMixin, View):
    """Leave a community, or withdraw a request to join: asks first (GET), then acts (POST)."""

    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        community = _community_or_404(request, slug)
        membership = Membership.objects.filter(community=community, user=request.user).first()
        back = reverse("calendar:community", kwargs={"slug": community.slug})
        if membership is None:
            messages.error(request, gettext("You are not a member of this community."))
            return HttpResponseRedirect(back)
        names = {"community": community.display_name}
        if membership.status == Membership.Status.PENDING:
            confirmation = Confirmation(
                title=gettext("Withdraw your request to join %(community)s?") % names,
                question=gettext("The facilitators will no longer see your request."),
                consequences=[gettext("You can ask again later.")],
                confirm_label=gettext("Withdraw my request"),
                keep_label=gettext("Keep my request"),
                action_url=request.path,
                back_url=back,
            )
        else:
            consequences = [gettext("You will no longer see the community's members-only meetings.")]
            if Registration.objects.filter(
                meeting__community=community, user=request.user, meeting__starts_at__gte=timezone.now()
            ).exists():
                consequences.append(
                    gettext("Your registrations for its coming meetings stay as they are; cancel them separately.")
                )
            confirmation = Confirmation(
                title=gettext("Leave %(community)s?") % names,
                question=gettext("You will stop being a member of this community."),
                consequences=consequences,
                confirm_label=gettext("Leave the community"),
                keep_label=gettext("Stay a member"),
                action_url=request.path,
                back_url=back,
            )
        return confirmation_page(request, confirmation)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        community = _community_or_404(request, slug)
        membership = Membership.objects.filter(community=community, user=request.user).first()
        if membership is None:
            messages.error(request, gettext("You are not a member of this community."))
        else:
            was_pending = membership.status == Membership.Status.PENDING
            try:
                membership_leave(membership=membership, actor=request.user)
            except ValidationError as error:
                messages.error(request, _messages_of(error))
            else:
                text = (
                    gettext("Your request to join %(community)s was withdrawn.")
                    if was_pending
                    else gettext("You have left %(community)s.")
                )
                messages.success(request, text % {"community": community.display_name})
        if not can_view_community(request.user, community):
            # A members-only community is hidden from former members.
            return HttpResponseRedirect(reverse("registrations:my_meetings"))
        return HttpResponseRedirect(reverse("calendar:community", kwargs={"slug": community.slug}))


# --- Registering ----------------------------------------------------------------------------------


class RegisterView(LoginRequiredMixin, FormView):
    """The registration form of a meeting. When registration is not possible, the page says why."""

    template_name = "registrations/register.html"
    form_class = RegistrationForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.meeting = object_or_404(
            request,
            lambda: meeting_for_form(kwargs["pk"]),
            visible=can_view_meeting,
        )
        self.refusal = ""
        if request.method == "POST":
            # The service checks the window, the audience and an earlier registration under
            # the meeting's lock anyway; asking here too would cost queries at the moment a
            # popular meeting opens and everybody sends the form at once.
            return super().dispatch(request, *args, **kwargs)
        existing = active_registration_id(request.user, self.meeting)
        if existing is not None:
            return self._already_registered(existing)
        self.refusal = self._refusal()
        return super().dispatch(request, *args, **kwargs)

    def _refusal(self) -> str:
        return registration_closed_reason(self.meeting) or (
            "" if can_register_for_meeting(self.request.user, self.meeting) else audience_refusal(self.meeting)
        )

    def _already_registered(self, registration_id: int) -> HttpResponse:
        messages.info(self.request, gettext("You are already registered for this meeting."))
        return HttpResponseRedirect(reverse("registrations:registration", kwargs={"pk": registration_id}))

    def form_invalid(self, form: RegistrationForm) -> HttpResponse:
        # A form sent to a closed meeting explains the closure rather than the fields.
        self.refusal = self._refusal()
        return super().form_invalid(form)

    def get_initial(self) -> dict[str, Any]:
        # The sector the person gave in their profile, if any: one question fewer.
        sector = getattr(self.request.user, "sector", "")
        return {"sector": sector} if sector else {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs, meeting=self.meeting, refusal=self.refusal)

    def form_valid(self, form: RegistrationForm) -> HttpResponse:
        try:
            result = registration_create(meeting=self.meeting, user=self.request.user, details=form.details)
        except PermissionDenied:
            # The service's own can_view_meeting, asked again under the lock: not seen, so 404.
            raise Http404 from None
        except ValidationError as error:
            if error.code == DUPLICATE_CODE:
                existing = active_registration_id(self.request.user, self.meeting)
                if existing is not None:
                    return self._already_registered(existing)
            if error.code in REFUSAL_CODES:
                self.refusal = _messages_of(error)
                return self.render_to_response(self.get_context_data())
            form.add_error(None, error)
            return super().form_invalid(form)
        if result.confirmed:
            messages.success(self.request, gettext("You are registered: your seat is confirmed."))
        else:
            messages.info(
                self.request,
                gettext("The meeting is full: you are on the waiting list, number %(position)s in line.")
                % {"position": result.position},
            )
        return HttpResponseRedirect(reverse("registrations:registration", kwargs={"pk": result.registration.pk}))


class RegistrationView(LoginRequiredMixin, TemplateView):
    """One registration: its status, place in line, and for a confirmed seat the QR code for check-in."""

    template_name = "registrations/registration.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        registration = object_or_404(
            self.request, lambda: registration_for_page(self.kwargs["pk"]), visible=can_view_registration
        )
        user = self.request.user
        # A coordinator opening somebody's registration (access needs, sector, the QR code);
        # the registrant's own look is not logged (the service skips it).
        personal_data_access_record(
            viewer=user,
            kind=AccessKind.REGISTRATION_PAGE,
            project_id=registration.meeting.project_id,
            meeting_id=registration.meeting_id,
            subject_id=registration.user_id,
            people=1,
        )
        qr_svg = ""
        if registration.status == Registration.Status.CONFIRMED:
            scan_url = self.request.build_absolute_uri(reverse("attendance:scan", args=[checkin_code(registration)]))
            # Inline SVG: no image file to serve, prints sharply, works offline once loaded.
            qr_svg = segno.make(scan_url, error="m").svg_inline(
                scale=4, title=gettext("QR code for the check-in at the meeting"), svgclass="qr-code"
            )
        return super().get_context_data(
            **kwargs,
            registration=registration,
            meeting=registration.meeting,
            own=registration.user_id == user.pk,
            can_cancel=can_cancel_registration(user, registration),
            qr_svg=qr_svg,
        )


class RegistrationCancelView(LoginRequiredMixin, View):
    """Cancel a registration: asks first (GET), then acts (POST); a freed seat goes to the next person at once."""

    http_method_names = ["get", "post"]

    @staticmethod
    def _registration(request: HttpRequest, pk: int) -> Registration:
        return object_or_404(
            request,
            lambda: Registration.objects.select_related("meeting", "meeting__project", "meeting__community").get(pk=pk),
            visible=can_view_registration,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        registration = self._registration(request, pk)
        back = safe_back_url(
            request, request.GET.get("next", ""), reverse("registrations:registration", kwargs={"pk": registration.pk})
        )
        if not can_cancel_registration(request.user, registration, now=timezone.now()):
            messages.error(request, gettext("This registration can no longer be cancelled here."))
            return HttpResponseRedirect(back)
        meeting = registration.meeting
        consequences = []
        if registration.status == Registration.Status.CONFIRMED:
            consequences.append(gettext("Your seat goes to the next person on the waiting list, if there is one."))
            consequences.append(
                gettext("If you change your mind, you register again and may be put on the waiting list.")
            )
        else:
            consequences.append(gettext("You lose your place on the waiting list."))
        confirmation = Confirmation(
            title=gettext("Cancel your registration?"),
            question=gettext("You are cancelling your registration for “%(meeting)s” on %(when)s.")
            % {
                "meeting": meeting.display_title,
                "when": date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT"),
            },
            consequences=consequences,
            confirm_label=gettext("Yes, cancel my registration"),
            keep_label=gettext("Keep my registration"),
            action_url=request.path,
            back_url=back,
            hidden={"next": back},
        )
        return confirmation_page(request, confirmation)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        registration = self._registration(request, pk)
        try:
            # PermissionDenied (403) for a person who sees the registration but may not cancel it.
            result = registration_cancel(registration=registration, actor=request.user)
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            text = gettext("Your registration for “%(meeting)s” is cancelled.") % {
                "meeting": registration.meeting.display_title
            }
            if result.promoted:
                text += " " + ngettext(
                    "The seat went to the next person on the waiting list.",
                    "%(count)d seats went to the next people on the waiting list.",
                    len(result.promoted),
                ) % {"count": len(result.promoted)}
            messages.success(request, text)
        return HttpResponseRedirect(self._next_url(request))

    @staticmethod
    def _next_url(request: HttpRequest) -> str:
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return reverse("registrations:my_meetings")


class MyMeetingsView(LoginRequiredMixin, TemplateView):
    """The person's registrations: upcoming and past, with status, place in line and cancel buttons."""

    template_name = "registrations/my_meetings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        now = timezone.now()
        upcoming, past = [], []
        # Personal: one query, and each row ready for the template (the links it may show
        # decided here, not by a filter and two includes per row).
        # Kept for this person alone until a registration anywhere changes the activity version.
        rows = fragments.cached("my-meetings", (user.pk,), lambda: list(own_registrations_with_meetings(user)))
        for registration in rows:
            registration.can_cancel = can_cancel_registration(user, registration, now=now)
            registration.project_link = can_view_project(user, registration.meeting.project)
            (upcoming if registration.meeting.ends_at >= now else past).append(registration)
        # Soonest first for what is ahead; the most recent first for what is behind.
        upcoming.reverse()
        return super().get_context_data(
            **kwargs, upcoming=upcoming, past=past, back_here=reverse("registrations:my_meetings")
        )
