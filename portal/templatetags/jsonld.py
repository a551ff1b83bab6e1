"""``{% load jsonld %}``: schema.org JSON-LD blocks for a page's ``{% block head %}`` (portal/jsonld.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from portal import jsonld

register = template.Library()


def _absolute(context: dict[str, Any]):
    request = context.get("request")
    return request.build_absolute_uri if request is not None else (lambda path: path)


@register.simple_tag(takes_context=True)
def meeting_json_ld(context: dict[str, Any], meeting) -> SafeString:
    absolute = _absolute(context)
    data = jsonld.meeting_json_ld(
        meeting,
        page_url=absolute(reverse("calendar:meeting", args=[meeting.pk])),
        project_url=absolute(reverse("catalogue:detail", args=[meeting.project.slug])),
    )
    return jsonld.script_block(data)


@register.simple_tag(takes_context=True)
def project_json_ld(context: dict[str, Any], project, consortium, openable_ids=()) -> SafeString:
    """``openable_ids``: organisations whose page the visitor may open (the others get no url)."""
    absolute = _absolute(context)
    data = jsonld.project_json_ld(
        project,
        consortium,
        page_url=absolute(reverse("catalogue:detail", args=[project.slug])),
        organisation_url=lambda organisation: (
            absolute(reverse("directory:detail", args=[organisation.pk])) if organisation.pk in openable_ids else None
        ),
    )
    return jsonld.script_block(data)


@register.simple_tag(takes_context=True)
def organisation_json_ld(context: dict[str, Any], organisation, participations) -> SafeString:
    absolute = _absolute(context)
    data = jsonld.organisation_json_ld(
        organisation,
        participations,
        page_url=absolute(reverse("directory:detail", args=[organisation.pk])),
        project_url=lambda project: absolute(reverse("catalogue:detail", args=[project.slug])),
    )
    return jsonld.script_block(data)
