"""Names that link to their page for whoever may open it, and stay plain text for the rest.

``{% load links %}`` then ``{% if request.user|may_open:community %}…{% endif %}`` asks the
permission function of the thing's kind. The answers read the roles and memberships cached
on the user (one query each per request) and the relations the selectors already joined
(a meeting's project and community, a community's project), so a list of names never
costs a query per row. Lists built from the visibility selectors need no check at all:
everything in them may be opened.
"""

from __future__ import annotations

from typing import Any

from django import template

from events.models import Community, Meeting
from events.permissions import can_view_community, can_view_meeting
from projects.models import Project
from projects.permissions import can_view_project

register = template.Library()


@register.filter
def may_open(user: Any, thing: object) -> bool:
    """Whether ``user`` may open the page of ``thing`` (a project, community or meeting)."""
    if thing is None:
        return False
    if isinstance(thing, Project):
        return can_view_project(user, thing)
    if isinstance(thing, Community):
        return can_view_community(user, thing)
    if isinstance(thing, Meeting):
        return can_view_meeting(user, thing)
    return False


@register.inclusion_tag("_breadcrumbs.html", takes_context=True)
def breadcrumbs(context: template.Context, *steps: object) -> dict[str, object]:
    """The trail from the home page to this page: ``{% breadcrumbs label url … current %}``.

    Steps come in pairs of a label and its URL; a pair whose URL is empty stays plain text
    (a page the viewer may not open); the last label, alone, is the current page. Labels
    keep their language (a German name shown on an English page gets its lang attribute).
    """
    *pairs, current = steps
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes pairs of a label and a URL, then the current page")
    trail = [{"label": pairs[i], "url": pairs[i + 1]} for i in range(0, len(pairs), 2)]
    return {"trail": trail, "current": current, "request": context.get("request")}
