"""One refusal policy for every page that names an object by its slug or id.

Who may do what is decided in the apps' ``permissions.py``; this module only turns a
"no" into the right answer, the same way on every page:

- **404** for whoever may not *see* the object: a 403 would tell them that it exists
  (a private project's slug, a members-only community, somebody's registration). An
  unknown slug or id is a 404 for everybody, so the two cannot be told apart.
- **403** for whoever may see the object but may not do *this* with it (partner staff on
  the request form of a report, a funder officer on a meeting's edit form): the answer
  tells them nothing they do not know.

"See" is the object's own view permission: ``can_view_project`` for a project (public, or
a role in it), ``can_view_community``, ``can_view_meeting``, ``can_view_registration``,
``can_view_deliverable``, ``can_view_update``, ``can_view_report``, … Objects without a page
of their own are as visible as what they belong to: a request to join as its community,
an invitation as the project or community it invites to.

Pages that need a login send anonymous visitors to the login page before anything is
looked up (LoginRequiredMixin), so the rule speaks about signed-in people and about the
public pages (catalogue, calendar, directory), whose "may do" is "may see": 404 only.

Views call ``project_or_404`` for a project's slug and ``object_or_404`` for anything
else; a view that must act on a refusal (the report downloads log it) passes
``on_refusal``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from projects.models import Project
from projects.permissions import can_view_project

from . import fragments

T = TypeVar("T")
# can_<verb>_<thing>(user, obj) -> bool, from an app's permissions.py.
Permission = Callable[[Any, T], bool]


def refuse(user: Any, obj: T, *, visible: Permission[T]) -> NoReturn:
    """Refuse ``user`` something about ``obj``: 403 if they may see it, else 404."""
    if visible(user, obj):
        raise PermissionDenied
    raise Http404


def object_or_404(
    request: HttpRequest,
    find: Callable[[], T | None],
    *,
    visible: Permission[T],
    allowed: Permission[T] | None = None,
    on_refusal: Callable[[T], None] | None = None,
) -> T:
    """The object ``find()`` returns, if the person may do this with it.

    ``find`` looks the object up (a selector or ``Model.objects….get``); not found, as
    ``None`` or as ``DoesNotExist``, is a 404. ``allowed`` is the permission for this page;
    without it, seeing the object is the permission (a page that shows it). A refusal is
    403 or 404 by the module's rule, after ``on_refusal(obj)`` if given.
    """
    try:
        obj = find()
    except ObjectDoesNotExist:
        raise Http404 from None
    if obj is None:
        raise Http404
    if (allowed or visible)(request.user, obj):
        return obj
    if on_refusal is not None:
        on_refusal(obj)
    refuse(request.user, obj, visible=visible)


def project_or_404(
    request: HttpRequest,
    slug: str,
    *,
    allowed: Permission[Project],
    queryset: QuerySet[Project] | None = None,
    on_refusal: Callable[[Project], None] | None = None,
    kept: str = "",
) -> Project:
    """The project with this slug, if ``allowed(user, project)``; a refusal is 403 for
    people who may see the project (``can_view_project``), 404 for everybody else.

    ``queryset`` fetches the related rows the page needs (default: the bare project). The
    row is the same for every reader (what they may do with it is decided here), so it is
    kept like a fragment (a save of the project or its parts bumps the content version):
    the bare project always, a ``queryset`` when the caller names what it reads in ``kept``.
    """
    projects = Project.objects.all() if queryset is None else queryset
    name = "project-row" if queryset is None else kept

    def read() -> Project:
        return fragments.cached(name, (slug,), lambda: projects.get(slug=slug)) if name else projects.get(slug=slug)

    return object_or_404(
        request,
        read,
        visible=can_view_project,
        allowed=allowed,
        on_refusal=on_refusal,
    )
