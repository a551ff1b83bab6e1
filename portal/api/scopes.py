"""What a personal API token may be used for, and the one check every endpoint makes.

A request signed in through the browser session carries the person's full rights (and
DRF's CSRF check for unsafe methods). A request with a personal token carries only the
scopes chosen when the token was made, and those were limited to what the person's roles
allow. Either way the permission functions still decide on each object: a scope never
grants what the person could not do in the browser.

``request.auth`` is ``None`` for a session and the token object for a token request; the
token offers ``allows(scope) -> bool``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

READ = "read"  # what the person sees in the browser, the internal project data included
REGISTER = "register"  # register for and cancel the person's own meetings
MANAGE = "manage"  # a coordinator creates and updates meetings and deliverables
REPORTS = "reports"  # a funder lists and downloads the reports of the projects it funds

SCOPE_LABELS: dict[str, Any] = {
    READ: _("Read what I can see"),
    REGISTER: _("Register me for meetings and cancel"),
    MANAGE: _("Create and update meetings and deliverables of my projects"),
    REPORTS: _("List and download the reports of the projects I fund"),
}


def token_allows(request: Any, scope: str) -> bool:
    auth = getattr(request, "auth", None)
    if auth is None:
        return True  # the browser session: the person's own rights, nothing narrower
    allows = getattr(auth, "allows", None)
    return bool(allows is not None and allows(scope))


def requires_scope(scope: str) -> type[BasePermission]:
    """A DRF permission class: the token (if any) must carry ``scope``."""

    class _RequiresScope(BasePermission):
        message = _("This token may not be used for this.")

        def has_permission(self, request: Any, view: Any) -> bool:
            return token_allows(request, scope)

    _RequiresScope.__name__ = f"RequiresScope_{scope}"
    return _RequiresScope
