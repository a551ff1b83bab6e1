"""Re-consent: a person who accepted an older privacy notice accepts the current one before going on.

Sign-in compares the versions once (one query) and leaves a flag in the session; the
middleware reads only that flag, so a request costs no query at all. The flag goes when
the person accepts (views.PrivacyAcceptView) or signs out (the session ends).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from .selectors import privacy_notice_current_version

SESSION_KEY = "portal_privacy_reaccept"


def privacy_flag_if_outdated(request: HttpRequest, user) -> bool:
    """At sign-in: flag the session when ``user`` has not accepted the current notice."""
    outdated = getattr(user, "privacy_notice_version", "") != privacy_notice_current_version()
    if outdated:
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)
    return outdated


def privacy_flag_clear(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


@cache
def _open_prefixes() -> tuple[str, ...]:
    """What a flagged person may still reach: the notice, the page to accept it, the other
    legal pages, signing out, the language switch, static files and the health checks."""
    names = ("privacy_notice", "legal:privacy_accept", "legal:imprint", "legal:accessibility", "account_logout")
    names += ("set_language", "healthz", "readyz", "favicon")
    return (*(reverse(name) for name in names), settings.STATIC_URL)


class PrivacyReacceptMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # Anonymous visitors without a session cookie are not even looked up.
        if session is not None and session.get(SESSION_KEY) and not request.path.startswith(_open_prefixes()):
            target = reverse("legal:privacy_accept")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
