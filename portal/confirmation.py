"""Confirm before you destroy: one page that asks "are you sure?" before an action that cannot be undone.

Cancelling a registration, leaving a community and revoking an invitation each take one
click in their panels; a mistaken click must not cost a seat or a membership. So the
buttons lead (GET) to a page that names the thing, says what will happen, and carries the
real POST form. It is plain HTML: it works without JavaScript and with a keyboard, and
the "keep" link returns to where the person came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


@dataclass(frozen=True)
class Confirmation:
    title: str
    question: str
    consequences: list[str]
    confirm_label: str
    keep_label: str
    action_url: str
    back_url: str
    # Extra hidden fields the action's POST needs (e.g. where to go afterwards).
    hidden: dict[str, str] = field(default_factory=dict)


def safe_back_url(request: HttpRequest, candidate: str, fallback: str) -> str:
    """``candidate`` if it is a path on this site, else ``fallback`` (never an open redirect)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def confirmation_page(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    return render(request, "portal/confirm.html", {"confirmation": confirmation})
