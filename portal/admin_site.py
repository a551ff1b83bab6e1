"""The admin site: Django's own, with a look at the request's values before any admin view.

Django's admin answers a few impossible values with a server error rather than a message:
an action posted with a selection that is not an id (``_selected_action=abc``), a date
hierarchy at year 9999 or 10^30 (the next year or month overflows), a list filter with an id
of thirty digits (SQLite cannot bind it). Nobody gets there by clicking; a mistyped or
crafted address does. Such a request is answered "400 Bad request" and nothing is read
or written. Every admin model here has integer ids (tests/portal/test_admin_site.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, QueryDict

from projects.date_bounds import FIRST_YEAR, LAST_YEAR

# A 64-bit integer has at most 19 digits; no id or count in the portal comes near 18.
TOO_LONG_NUMBER = re.compile(r"\A[+-]?\d{19,}\Z")
DATE_PART_RANGES = {"year": (FIRST_YEAR, LAST_YEAR), "month": (1, 12), "day": (1, 31)}


def _values(data: QueryDict) -> list[tuple[str, str]]:
    return [(key, value) for key, values in data.lists() for value in values]


def admin_request_problem(request: HttpRequest) -> str | None:
    """Why the admin cannot answer this request sensibly, or None when it can."""
    values = _values(request.GET) + (_values(request.POST) if request.method == "POST" else [])
    for key, value in values:
        if TOO_LONG_NUMBER.match(value.strip()):
            return "number too large"
        part = key.rpartition("__")[2]
        if part in DATE_PART_RANGES and key != part:
            low, high = DATE_PART_RANGES[part]
            if not value.isdigit() or not low <= int(value) <= high:
                return "date outside the admin's range"
    if request.method == "POST" and not all(value.isdigit() for value in request.POST.getlist("_selected_action")):
        return "selection is not a list of ids"
    return None


class PortalAdminSite(admin.AdminSite):
    def admin_view(self, view: Callable[..., HttpResponse], cacheable: bool = False) -> Callable[..., HttpResponse]:
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            problem = admin_request_problem(request)
            if problem:
                raise BadRequest(problem)
            return inner(request, *args, **kwargs)

        return checked
