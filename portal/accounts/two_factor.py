"""Two-factor sign-in for staff (issue 15): who must have it, and sending them to set it up.

Coordinators (a coordinator role in any project), staff accounts and superusers must have
an authenticator app (allauth.mfa's TOTP, with recovery codes) before they reach the admin,
the workspace, the reports or the attendance pages; everybody else may set one up from
their profile. Once an app is active, allauth's sign-in asks for its code.

How it stays free of queries on ordinary pages:

- Signing in through allauth (the only way in: the admin's own login page sends there,
  portal/admin_site.py) writes into the session whether the person has an app: one query,
  at sign-in. Activating or removing the app (allauth's signals) updates that mark.
- On a guarded page, a session marked "no app" is checked against who the person is *now*:
  is_staff and is_superuser come with the user row; coordinator roles from
  projects.permissions.roles_by_project, cached on the user, which the page's own
  permission checks read anyway. So a coordinator role granted during a session counts
  from the next guarded page, without signing in again; a role taken away stops counting.
  Before sending somebody to set up the app, the mark is checked once more (one query),
  so an app set up in another tab counts at once.
- A session without the mark and without allauth's record of a sign-in was not opened by
  allauth (a test's ``Client.force_login``): nothing to decide there. A session allauth
  opened before this mark existed is looked at once (one query) and marked.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY, get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from projects.permissions import managed_project_ids

from .selectors import has_totp

SESSION_KEY = "portal_two_factor"
HAS_APP = "totp"
NO_APP = "none"
# Where a person sent to set up the app was going: the recovery codes page links there.
NEXT_KEY = "portal_two_factor_next"
# The URL namespaces of the back office: the admin, the workspace (dashboard, project
# pages, deliverable files), the reports below it and their files, the attendance pages.
GUARDED_NAMESPACES = frozenset({"admin", "workspace", "reporting", "attendance"})
# Leaving is always possible.
UNGUARDED_VIEWS = frozenset({"admin:logout"})


def needs_two_factor(user: Any) -> bool:
    """Staff in the issue's sense: superusers, staff accounts, coordinators of any project."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return False
    return bool(user.is_superuser or user.is_staff or managed_project_ids(user))


def mark_sign_in(request: HttpRequest, user: Any) -> str:
    """Remember in the session whether the person who just signed in has an authenticator app."""
    state = HAS_APP if has_totp(user) else NO_APP
    request.session[SESSION_KEY] = state
    return state


def signed_in_recently(request: HttpRequest | None) -> bool:
    """Whether the person signed in (password, and code if any) within allauth's reauthentication timeout.

    allauth asks for the password again before an authenticator is added or removed, even
    right after signing in; staff are sent to set up the app straight after signing in, and a
    sign-in minutes ago is proof enough (the portal's account adapter asks this).
    """
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    return bool(records) and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT


def continue_url(request: HttpRequest) -> str:
    """Where the person was going when they were sent to set up the app, or ""."""
    session = getattr(request, "session", None)
    return session.get(NEXT_KEY, "") if session is not None else ""


# --- allauth's signals: signing in, adding and removing an authenticator -----------------


def _signed_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    mark_sign_in(request, user)


def _authenticator_added(sender: Any, request: HttpRequest, authenticator: Authenticator, **kwargs: Any) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        request.session[SESSION_KEY] = HAS_APP


def _authenticator_removed(sender: Any, request: HttpRequest, authenticator: Authenticator, **kwargs: Any) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        request.session[SESSION_KEY] = NO_APP


def connect_signals() -> None:
    """Called from PortalConfig.ready()."""
    from allauth.account.signals import user_logged_in
    from allauth.mfa.signals import authenticator_added, authenticator_removed

    user_logged_in.connect(_signed_in, dispatch_uid="portal.two_factor.signed_in")
    authenticator_added.connect(_authenticator_added, dispatch_uid="portal.two_factor.added")
    authenticator_removed.connect(_authenticator_removed, dispatch_uid="portal.two_factor.removed")


# --- The middleware ---------------------------------------------------------------------


class TwoFactorEnrolmentMiddleware:
    """Sends staff without an authenticator app to set one up before a back-office page."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, *args: Any) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or GUARDED_NAMESPACES.isdisjoint(match.namespaces) or match.view_name in UNGUARDED_VIEWS:
            return None
        session = request.session
        state = session.get(SESSION_KEY)
        if state is None:
            if AUTHENTICATION_METHODS_SESSION_KEY not in session or not request.user.is_authenticated:
                return None
            state = mark_sign_in(request, request.user)
        if state == HAS_APP:
            if NEXT_KEY in session:
                del session[NEXT_KEY]
            return None
        if not needs_two_factor(request.user):
            return None
        # Set up since the mark was written (allauth's signal comes after the commit; or in
        # another tab): one query, only on the way to sending the person to set it up.
        if mark_sign_in(request, request.user) == HAS_APP:
            return None
        path = request.get_full_path()
        if request.method == "GET" and url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}):
            session[NEXT_KEY] = path
        messages.warning(
            request,
            _(
                "Coordinators and administrators sign in with a second factor. "
                "Set up an authenticator app to continue: it takes a minute."
            ),
        )
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
