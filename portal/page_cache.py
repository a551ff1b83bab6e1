"""Whole-page caching of the public pages for anonymous visitors.

A public page looks the same to every anonymous visitor who asks for the same URL in the
same language, so its HTML is rendered once and kept for ``PORTAL_PAGE_CACHE_SECONDS``
(60 s in production; 0, off, in the embedded default, so development and the test suite
always see fresh pages). What keeps it correct:

- **Anonymous visitors only.** A signed-in person neither gets a cached page nor fills
  the cache: their pages show the private projects, communities and meetings they may see.
  Visitors with a message waiting ("You have signed out.") get a fresh page as well.
- **No one's CSRF token is cached.** Every page carries the language form; the page is
  rendered with a placeholder in place of the token, and each response gets the
  visitor's own token, exactly as ``{% csrf_token %}`` would have given it.
- **Writes invalidate.** Saving or deleting any row the public pages show (organisations,
  projects and their parts, communities, meetings) bumps a version kept in the shared
  cache (Redis in production) once the transaction commits; keys carry the version, so
  the next request renders afresh: at once in the process that wrote, within a second
  in the others (each reads the version at most once a second). Registrations and memberships are
  not shown on the cached pages and do not invalidate them (they change all day).
  Bulk writes that send no signals (``make_dataset``) call :func:`invalidate` themselves.
- **The clock.** What depends on the time of day ("running", "upcoming") is at most
  ``PORTAL_PAGE_CACHE_SECONDS`` old.

The pages themselves live in the ``pages`` cache: local memory of each process with a
bounded number of entries, so visitors inventing query strings cannot fill the Redis that
also holds Celery's queue (``noeviction``).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

PAGES_CACHE = "pages"
VERSION_KEY = "portal:page-cache:version"
# Apps whose rows the public pages show; models listed in UNSHOWN are not on them.
SHOWN_APPS = {"partners", "projects", "events"}
UNSHOWN = {"events.registration", "events.membership", "events.calendarfeedtoken"}
# Rows the signed-in pages count (free seats, waiting lists, members) besides the reports:
# their saves bump the ACTIVITY version that cached fragments carry (portal/fragments.py).
ACTIVITY_SAVED = ("events.registration", "events.membership")
# Deleting a membership (the admin's "recorded by mistake") takes away what its person may
# see, so it bumps the version too; registrations keep Django's fast delete (millions of rows).
ACTIVITY_DELETED = ("events.membership",)
# Asking Redis for the version costs more than serving the page from memory, so each
# process re-reads it at most this often; its own writes take effect at once.
VERSION_CHECK_SECONDS = 1.0


def seconds() -> int:
    return int(getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 0) or 0)


@cache
def csrf_placeholder() -> str:
    # Unguessable, and made of characters that HTML escaping leaves alone.
    return "csrf" + salted_hmac("portal.page_cache", "csrf-placeholder").hexdigest()


class SharedVersion:
    """A number kept in the shared cache that every process's cached copies carry in their keys.

    Bumping it makes those copies stale: at once in the process that wrote, within
    VERSION_CHECK_SECONDS in the others (each asks the shared cache at most that often).
    """

    def __init__(self, key: str) -> None:
        self.key = key
        # (version, when it was read)
        self._seen: tuple[int | None, float] = (None, 0.0)

    def current(self) -> int | None:
        """The shared version; None while the shared cache is unavailable (then nothing is
        cached: another process's write could not make this process's copy stale)."""
        version, read_at = self._seen
        now = time.monotonic()
        if version is not None and now - read_at < VERSION_CHECK_SECONDS:
            return version
        version = shared_cache.get(self.key)
        if version is None:
            # Never restart at a number an older entry of some process may still carry.
            shared_cache.add(self.key, time.time_ns(), timeout=None)
            version = shared_cache.get(self.key)
        self._seen = (version, now)
        return version

    def bump(self) -> None:
        try:
            version = shared_cache.incr(self.key)
        except ValueError:  # no version yet, or the cache was emptied
            version = time.time_ns()
            shared_cache.set(self.key, version, timeout=None)
        self._seen = (version, time.monotonic())


# What the public pages show: organisations, projects and their parts, communities, meetings.
CONTENT = SharedVersion(VERSION_KEY)
# What changes all day and is counted on signed-in pages: registrations, memberships,
# roles (portal/fragments.py keys on both).
ACTIVITY = SharedVersion("portal:activity:version")
# The people who sign in: every save or delete of a user (a password, is_active, a name,
# last_login at each sign-in) bumps it, so the user rows kept by portal/viewer.py are never stale.
PEOPLE = SharedVersion("portal:people:version")
# Memberships alone: what portal/viewer.py keeps of a person's memberships must follow them,
# but not every registration. Keyed on ACTIVITY, a burst of registrations made every
# registrant's kept roles stale and cost each of their POSTs two more queries.
MEMBERS = SharedVersion("portal:members:version")


def _version() -> int | None:
    return CONTENT.current()


def invalidate() -> None:
    """Make every cached page stale: at once in this process, within a second in the others."""
    CONTENT.bump()


def invalidate_activity() -> None:
    """Make every cached fragment that counts registrations, memberships or roles stale."""
    ACTIVITY.bump()


def _once_after_commit(action: Callable[[], None]) -> None:
    # Once per transaction, however many rows it writes: a cascade may delete thousands.
    if any(callback[1] is action for callback in transaction.get_connection().run_on_commit):
        return
    transaction.on_commit(action)


def _invalidate_after_commit(sender: type, **kwargs: object) -> None:
    _once_after_commit(invalidate)


def _invalidate_activity_after_commit(sender: type, **kwargs: object) -> None:
    _once_after_commit(invalidate_activity)


def invalidate_members() -> None:
    MEMBERS.bump()


def _invalidate_members_after_commit(sender: type, **kwargs: object) -> None:
    _once_after_commit(invalidate_members)


def invalidate_people() -> None:
    PEOPLE.bump()


def _invalidate_people_after_commit(sender: type, **kwargs: object) -> None:
    _once_after_commit(invalidate_people)


def shown_models() -> list[type[Model]]:
    """The models whose rows the cached pages show."""
    return [
        model
        for label in sorted(SHOWN_APPS)
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in UNSHOWN
    ]


def connect_signals() -> None:
    """Called by PortalConfig.ready().

    Receivers are connected per model, not for every sender: a model with a delete
    receiver loses Django's fast cascade delete, which registrations (millions of rows)
    and sessions must keep.
    """
    for model in shown_models():
        for signal in (post_save, post_delete):
            signal.connect(_invalidate_after_commit, sender=model, dispatch_uid=f"page_cache.{model._meta.label_lower}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _invalidate_after_commit,
                sender=field.remote_field.through,
                dispatch_uid=f"page_cache.{model._meta.label_lower}.{field.name}",
            )
    # Registrations and memberships: saves only. A delete receiver would cost them the fast
    # cascade delete; they are anonymised, not deleted, and fragments live a minute at most.
    for label in ACTIVITY_SAVED:
        post_save.connect(
            _invalidate_activity_after_commit, sender=apps.get_model(label), dispatch_uid=f"activity.{label}"
        )
    for label in ACTIVITY_DELETED:
        post_delete.connect(
            _invalidate_activity_after_commit, sender=apps.get_model(label), dispatch_uid=f"activity.deleted.{label}"
        )
    membership = apps.get_model("events.membership")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(_invalidate_members_after_commit, sender=membership, dispatch_uid=f"members.{name}")
    for signal in (post_save, post_delete):
        signal.connect(
            _invalidate_people_after_commit, sender=apps.get_model(settings.AUTH_USER_MODEL), dispatch_uid="people"
        )
    for model in apps.get_app_config("reports").get_models():
        for signal in (post_save, post_delete):
            signal.connect(
                _invalidate_activity_after_commit, sender=model, dispatch_uid=f"activity.{model._meta.label_lower}"
            )


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or seconds() <= 0:
        return False
    if request.user.is_authenticated:
        return False
    # len() loads waiting messages without marking them as read.
    return len(messages.get_messages(request)) == 0


def key(request: HttpRequest, *vary: object) -> str | None:
    """The cache key of this request's page; None while the shared cache is away.

    ``vary``: what else the answer depends on besides the address, the content version, the
    language and the time zone (the API adds the activity version, the host and the media type).
    """
    version = _version()
    if version is None:
        return None
    url = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    extra = "".join(f":{value}" for value in vary)
    return f"page:{version}:{get_language()}:{timezone.get_current_timezone_name()}{extra}:{url}"


def _with_token(request: HttpRequest, html: str) -> str:
    marker = csrf_placeholder()
    return html.replace(marker, get_token(request)) if marker in html else html


def serve(request: HttpRequest, respond: Callable[[], HttpResponse]) -> HttpResponse:
    """The cached page for an anonymous visitor, else ``respond()`` (cached when it is a plain 200 page)."""
    if not _cacheable(request):
        return respond()
    pages = caches[PAGES_CACHE]
    page_key = key(request)
    if page_key is None:  # the shared cache is away: render, as for a signed-in person
        return respond()
    html = pages.get(page_key)
    if html is not None:
        return HttpResponse(_with_token(request, html))
    response = respond()
    if isinstance(response, TemplateResponse) and response.status_code == 200 and not response.is_rendered:
        response.context_data = {**(response.context_data or {}), "csrf_token": csrf_placeholder()}
        response.render()
        html = response.content.decode(response.charset)
        pages.set(page_key, html, seconds())
        response.content = _with_token(request, html)
    return response


class CachedForAnonymousMixin:
    """For public class-based views: anonymous visitors get the page from the page cache."""

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        return serve(request, lambda: super(CachedForAnonymousMixin, self).dispatch(request, *args, **kwargs))
