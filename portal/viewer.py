"""A signed-in person's roles and memberships, kept between their requests.

Every signed-in page asks the permission functions, and they read the person's project
roles and community memberships (two queries, once per request: projects/permissions.py,
events/permissions.py). Both change rarely, and every change of either bumps a version the
fragments carry (portal/page_cache.py: roles with the CONTENT version, memberships with the
ACTIVITY version, saves and deletes). So they are kept like a fragment: per person, per
pair of versions, in the process's bounded local memory, for PORTAL_FRAGMENT_CACHE_SECONDS.

The user row itself (``is_active``, ``is_superuser``, the password hash that ends other
sessions) is still read on every request: only what a version guards is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import get_user
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from events.permissions import memberships_by_community, remember_memberships
from projects.permissions import Role, remember_roles, roles_by_project, staff_organisations_by_project

from . import fragments, page_cache


def _key(user: Any) -> str | None:
    if fragments.seconds() <= 0:
        return None
    content, activity = page_cache.CONTENT.current(), page_cache.ACTIVITY.current()
    if content is None or activity is None:  # the shared cache is away: read them afresh
        return None
    return f"viewer:{user.pk}:{content}:{activity}"


def with_kept_roles(user: Any) -> Any:
    """``user`` with its roles and memberships from the kept copy, or read and kept."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return user
    key = _key(user)
    if key is None:
        return user
    store = caches[page_cache.PAGES_CACHE]
    kept = store.get(key)
    if kept is not None:
        roles, organisations, memberships = kept
        remember_roles(user, roles, organisations)
        remember_memberships(user, memberships)
        return user
    roles = roles_by_project(user)
    # Only partner staff have organisations to be read (a query of its own).
    partner = any(Role.PARTNER_STAFF in held for held in roles.values())
    organisations = staff_organisations_by_project(user) if partner else {}
    remember_roles(user, roles, organisations)
    store.set(key, (roles, organisations, memberships_by_community(user)), fragments.seconds())
    return user


class KeptRolesMiddleware:
    """After AuthenticationMiddleware: ``request.user`` stays lazy, and gets its kept roles when first used."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = SimpleLazyObject(lambda: with_kept_roles(get_user(request)))
        return self.get_response(request)
