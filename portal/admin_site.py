"""The admin site: Django's own, with a look at the request's values before any admin view.

Django's admin answers a few impossible values with a server error rather than a message:
an action posted with a selection that is not an id (``_selected_action=abc``), a date
hierarchy at year 9999 or 10^30 (the next year or month overflows), a list filter with an id
of thirty digits or a date in year 1 (SQLite cannot bind or convert it), a search of 50,000
characters or 1,000 words (SQLite gives up). Nobody gets there by clicking; a mistyped or
crafted address does. Such a request is answered "400 Bad request" and nothing is read
or written. Every admin model here has integer ids (tests/portal/test_admin_site.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse

from projects.date_bounds import FIRST_YEAR, LAST_YEAR

# A 64-bit integer has at most 19 digits; no id or count in the portal comes near 18.
TOO_LONG_NUMBER = re.compile(r"\A[+-]?\d{19,}\Z")
DATE_PART_RANGES = {"year": (FIRST_YEAR, LAST_YEAR), "month": (1, 12), "day": (1, 31)}
# A date at the start of a filter's value (``starts_at__gte=2026-01-01``): its year must be
# one the portal's dates can have, or SQLite overflows converting it from Berlin time.
LEADING_DATE = re.compile(r"\A\s*(\d+)-\d{1,2}-\d{1,2}")
# The admin's search box (``q``) and the autocomplete of select fields (``term``): Django
# searches every word in every search field, and SQLite gives up on patterns of ~50,000
# characters or ~1,000 words. Nobody searches for more than this.
SEARCH_KEYS = frozenset({"q", "term"})
MAX_SEARCH_LENGTH = 200
MAX_SEARCH_WORDS = 20


def _values(data: QueryDict) -> list[tuple[str, str]]:
    return [(key, value) for key, values in data.lists() for value in values]


def _filter_problem(key: str, value: str) -> str | None:
    if key in SEARCH_KEYS:
        if len(value) > MAX_SEARCH_LENGTH or len(value.split()) > MAX_SEARCH_WORDS:
            return "search text too long"
        return None
    if TOO_LONG_NUMBER.match(value.strip()):
        return "number too large"
    part = key.rpartition("__")[2]
    if part in DATE_PART_RANGES and key != part:
        low, high = DATE_PART_RANGES[part]
        if not value.isdigit() or not low <= int(value) <= high:
            return "date outside the admin's range"
    date = LEADING_DATE.match(value)
    if date and not FIRST_YEAR <= int(date.group(1)) <= LAST_YEAR:
        return "date outside the admin's range"
    return None


def admin_request_problem(request: HttpRequest) -> str | None:
    """Why the admin cannot answer this request sensibly, or None when it can.

    Looks at the address (filters, search, date hierarchy) and at an action's selection;
    what a person types into a change form is the form's to judge.
    """
    for key, value in _values(request.GET):
        if problem := _filter_problem(key, value):
            return problem
    if request.method == "POST":
        selected = request.POST.getlist("_selected_action")
        if not all(value.isdigit() and len(value) < 19 for value in selected):
            return "selection is not a list of ids"
    return None


class PortalAdminSite(admin.AdminSite):
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """The admin has no login form of its own: it sends to the portal's (allauth's).

        Django's admin form takes a password alone; allauth's asks for the authenticator
        code too, and sends staff without one to set it up (portal/accounts/two_factor.py).
        The page asked for comes along as ``next``; allauth accepts only local ones.
        """
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
            # Signed in without access to the admin: another login would loop back here.
            raise PermissionDenied
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, reverse("account_login"))

    def admin_view(self, view: Callable[..., HttpResponse], cacheable: bool = False) -> Callable[..., HttpResponse]:
        # Checked inside Django's wrapper, so signing in and permissions come first.
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            problem = admin_request_problem(request)
            if problem:
                raise BadRequest(problem)
            return view(request, *args, **kwargs)

        return super().admin_view(checked, cacheable)
