"""A signed-in person's roles and memberships, kept between their requests.

Every signed-in page asks the permission functions, and they read the person's project
roles and community memberships (two queries, once per request: projects/permissions.py,
events/permissions.py). Both change rarely, and every change of either bumps a version
(portal/page_cache.py: roles the CONTENT version, memberships the MEMBERS version, saves
and deletes; registrations, which change all day, bump neither). So they are kept like a
fragment: per person, per pair of versions, for PORTAL_FRAGMENT_CACHE_SECONDS, in the
process's bounded local memory and in the shared cache, so that the next worker to serve
the person finds them too (portal/fragments.py, ``shared``).

The user row is kept the same way, in the process's memory only (it holds the password
hash), under the PEOPLE version that every save or delete of
a user bumps (a new password, ``is_active``, ``last_login`` at each sign-in), and the
session is verified against it exactly as ``django.contrib.auth.get_user`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, _get_user_session_key, load_backend
from django.contrib.auth.middleware import get_user
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from events.permissions import memberships_by_community, remember_memberships
from projects.permissions import Role, remember_roles, roles_by_project, staff_organisations_by_project

from . import fragments, page_cache


def _key(user: Any) -> str | None:
    if fragments.seconds() <= 0:
        return None
    content, members = page_cache.CONTENT.current(), page_cache.MEMBERS.current()
    if content is None or members is None:  # the shared cache is away: read them afresh
        return None
    return f"viewer:{user.pk}:{content}:{members}"


def with_kept_roles(user: Any) -> Any:
    """``user`` with its roles and memberships from the kept copy, or read and kept."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return user
    key = _key(user)
    if key is None:
        return user
    # Shared between the workers (fragments.kept): a person's next request often reaches
    # another one, and these are three small dictionaries.
    kept = fragments.kept(key, shared=True)
    if kept is not fragments.MISSING:
        roles, organisations, memberships = kept
        remember_roles(user, roles, organisations)
        remember_memberships(user, memberships)
        return user
    roles = roles_by_project(user)
    # Only partner staff have organisations to be read (a query of its own).
    partner = any(Role.PARTNER_STAFF in held for held in roles.values())
    organisations = staff_organisations_by_project(user) if partner else {}
    remember_roles(user, roles, organisations)
    fragments.keep(key, (roles, organisations, memberships_by_community(user)), shared=True)
    return user


_NOBODY = "nobody"


def kept_user(request: HttpRequest) -> Any:
    """``django.contrib.auth.get_user``, with the user row from the kept copy.

    The same steps as Django's (the backend named in the session, the session's hash of the
    password verified, the fallback secrets, a flushed session on a mismatch), only the row
    is read once per PEOPLE version instead of on every request.
    """
    if fragments.seconds() <= 0:
        return get_user(request)
    people = page_cache.PEOPLE.current()
    if people is None:  # the shared cache is away: read the row
        return get_user(request)
    try:
        user_id = _get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    key = f"user:{backend_path}:{user_id}:{people}"
    user = fragments.kept(key)  # this worker's memory only: the row holds the password hash
    if user is fragments.MISSING:
        user = load_backend(backend_path).get_user(user_id) or _NOBODY
        fragments.keep(key, user)
    if isinstance(user, str):  # _NOBODY: no such user, or one who may not sign in (is_active off)
        return AnonymousUser()
    session_hash = request.session.get(HASH_SESSION_KEY)
    session_auth_hash = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, session_auth_hash):
        return user
    if session_hash and any(
        constant_time_compare(session_hash, fallback) for fallback in user.get_session_auth_fallback_hash()
    ):
        request.session.cycle_key()
        request.session[HASH_SESSION_KEY] = session_auth_hash
        return user
    request.session.flush()
    return AnonymousUser()


def _cached_user(request: HttpRequest) -> Any:
    # Once per request, where AuthenticationMiddleware keeps it (login() and logout() replace it).
    if not hasattr(request, "_cached_user"):
        request._cached_user = kept_user(request)
    return request._cached_user


class KeptRolesMiddleware:
    """After AuthenticationMiddleware: ``request.user`` stays lazy, and gets its kept roles when first used."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = SimpleLazyObject(lambda: with_kept_roles(_cached_user(request)))
        return self.get_response(request)
