"""Calendar files: one meeting's .ics, a community's feed, a person's own feed and its page.

- A meeting's .ics is for whoever may see the meeting page (404 otherwise, as that page).
- A community's feed lists the community's meetings the requester may see. Calendar
  programs subscribe without a session, so for them it holds the public meetings of a
  public community; a members-only community has no feed for them (404), and its members
  get their meetings through their personal feed instead. A member who downloads it in
  the browser while signed in gets a snapshot with the members-only meetings. It never
  carries online join links (those go only to the people they are meant for).
- The personal feed is fetched without a session too: the token in its address is the
  credential. An unknown or revoked token is a 404, never a hint that it once existed.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from events.ics import CONTENT_TYPE, calendar_bytes, meeting_filename, meeting_ics
from events.permissions import (
    can_view_community,
    can_view_meeting,
    can_view_online_link,
    can_view_online_link_with_seat,
)
from events.selectors import calendar_feeds as feed_selectors
from events.services.calendar_feeds import (
    calendar_feed_token_create,
    calendar_feed_token_revoke,
    calendar_feed_token_rotate,
)
from portal.access import object_or_404

from . import selectors
from .filters import MeetingFilter

# Without a date filter the public feed holds what is to come and this many days back:
# calendar programs keep what they have already seen, and the file stays small.
PUBLIC_FEED_PAST_DAYS = 90


def _calendar_response(content: bytes, *, filename: str, download: bool, private: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # What a signed-in person (or a token holder) sees must not sit in a shared cache.
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=300"
    return response


class MeetingCalendarFileView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request.user
        meeting = object_or_404(request, lambda: feed_selectors.meeting_for_calendar_file(pk), visible=can_view_meeting)
        content = meeting_ics(meeting, show_online_link=can_view_online_link(user, meeting))
        return _calendar_response(
            content, filename=meeting_filename(meeting), download=True, private=user.is_authenticated
        )


class CommunityCalendarFeedView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        user = request.user
        community = object_or_404(request, lambda: feed_selectors.community_for_feed(slug), visible=can_view_community)
        content = calendar_bytes(
            feed_selectors.community_feed_meetings(user, community),
            # A feed to share and subscribe to: join links stay on the meeting page, in the
            # e-mails and in the personal feed, for the people they are meant for.
            show_online_link=lambda meeting: False,
            name=community.display_name,
            is_feed=True,
        )
        return _calendar_response(
            content, filename=f"{community.slug}.ics", download=False, private=user.is_authenticated
        )


class PublicCalendarFeedView(View):
    """All public meetings, with the calendar page's filters; the same for everyone.

    Calendar programs fetch it without a session, and a signed-in person who downloads it
    gets the same file: the meetings an anonymous visitor sees, so it may sit in shared caches.
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        visitor = SimpleNamespace(user=AnonymousUser())
        filterset = MeetingFilter(
            request.GET or None, queryset=selectors.calendar_meetings(visitor.user), request=visitor
        )
        if filterset.is_bound and not filterset.form.is_valid():
            problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filterset.form.errors.items())
            return HttpResponseBadRequest(
                _("The calendar's filters are not valid: %(problems)s") % {"problems": problems},
                content_type="text/plain; charset=utf-8",
            )
        meetings = filterset.qs
        if not filterset.has_date_range():
            meetings = meetings.filter(ends_at__gte=timezone.now() - dt.timedelta(days=PUBLIC_FEED_PAST_DAYS))
        content = calendar_bytes(
            meetings,
            show_online_link=lambda meeting: False,
            name=_("Public meetings (consortium portal)"),
            is_feed=True,
        )
        return _calendar_response(content, filename="meetings.ics", download=False, private=False)


class PersonalCalendarFeedView(View):
    """The feed of the token's owner; the session, if any, plays no part."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        owner = feed_selectors.feed_token_owner(token)
        if owner is None:
            raise Http404
        with translation.override(owner.preferred_language):
            content = calendar_bytes(
                feed_selectors.personal_feed_meetings(owner),
                # Every meeting listed is one the owner holds a confirmed seat for.
                show_online_link=lambda meeting: can_view_online_link_with_seat(owner, meeting),
                name=_("My meetings (consortium portal)"),
                is_feed=True,
            )
        response = _calendar_response(content, filename="my-meetings.ics", download=False, private=True)
        # The address is a secret: keep it out of search engines and other sites' logs.
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response


class CalendarFeedSettingsView(LoginRequiredMixin, TemplateView):
    """The signed-in person's feed address, with buttons to create, renew and revoke it."""

    template_name = "calendar/feed_settings.html"
    ACTIONS = {
        "create": (calendar_feed_token_create, gettext_lazy("Your calendar feed address is ready.")),
        "renew": (
            calendar_feed_token_rotate,
            gettext_lazy("Your calendar feed has a new address; the old one no longer works."),
        ),
        "revoke": (calendar_feed_token_revoke, gettext_lazy("Your calendar feed address no longer works.")),
    }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        token = feed_selectors.feed_token_for_user(self.request.user)
        feed_url = ""
        if token is not None:
            feed_url = self.request.build_absolute_uri(reverse("calendar:personal_feed", args=[token.token]))
        return super().get_context_data(
            **kwargs,
            token=token,
            feed_url=feed_url,
            webcal_url=feed_url.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        action = self.ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            return HttpResponseBadRequest(_("Unknown action."))
        service, message = action
        service(user=request.user)
        messages.success(request, message)
        return HttpResponseRedirect(reverse("calendar:feed_settings"))
