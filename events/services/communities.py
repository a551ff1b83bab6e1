"""Writes to Communities of Practice: founding them and changing their settings."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from audit.changes import create_record, snapshot, update_record
from projects.models import Project
from projects.validation import save_validated, values_of

from ..models import Community
from ..permissions import can_change_community, can_create_community

COMMUNITY_CONSTRAINT_FIELDS = {
    "community_unique_name_per_project": "name",
    "community_unique_name_de_per_project": "name_de",
    "community_name_given": "name",
    "community_visibility_valid": "visibility",
    "community_policy_valid": "membership_policy",
}
SLUG_MAX_LENGTH = Community._meta.get_field("slug").max_length
# How many "-2", "-3", … a made-up slug tries before asking the person for one.
SLUG_ATTEMPTS = 50


# --- Communities ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CommunityDetails:
    """A Community of Practice's settings; the slug is chosen once, at creation."""

    name: str
    territory: str
    country: str
    visibility: str
    membership_policy: str
    name_de: str = ""
    description: str = ""
    description_de: str = ""


def _free_slug(name: str) -> str:
    """A slug made from the name that no community uses yet ("cop-ravenna", "cop-ravenna-2", …)."""
    base = slugify(name)[:SLUG_MAX_LENGTH].strip("-")
    if not base:
        # A name in a script slugify drops (Arabic, Cyrillic, …) leaves nothing to use.
        raise ValidationError({"slug": _("Enter a slug: the name gives none.")})
    candidates = [base] + [
        f"{base[: SLUG_MAX_LENGTH - len(suffix)].rstrip('-')}{suffix}"
        for suffix in (f"-{n}" for n in range(2, SLUG_ATTEMPTS + 1))
    ]
    taken = set(Community.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    raise ValidationError({"slug": _("Enter a slug: the ones made from the name are taken.")})


def community_create(*, project: Project, actor: Any, details: CommunityDetails, slug: str = "") -> Community:
    """Found a Community of Practice in the project. Coordinators only.

    Without a ``slug`` one is made from the name. Raises PermissionDenied, or
    ValidationError (a name the project already uses, a slug taken by another community).
    """
    if not can_create_community(actor, project):
        raise PermissionDenied
    # A German-only community makes its slug from the German name.
    slug = slug or _free_slug(details.name or details.name_de)
    community = Community(project=project, slug=slug, **values_of(details))
    with transaction.atomic():
        save_validated(community, constraint_fields=COMMUNITY_CONSTRAINT_FIELDS)
        create_record(actor=actor, instance=community, project_id=project.pk)
    return community


def community_update(*, community: Community, actor: Any, details: CommunityDetails) -> Community:
    """Change a community's settings. Coordinators only; the slug (its address) stays.

    Returns the saved community; the object passed in is left as it was.
    """
    if not can_change_community(actor, community):
        raise PermissionDenied
    changed = copy.copy(community)
    for name, value in values_of(details).items():
        setattr(changed, name, value)
    before = snapshot(community)
    with transaction.atomic():
        save_validated(changed, constraint_fields=COMMUNITY_CONSTRAINT_FIELDS)
        update_record(actor=actor, instance=changed, before=before, project_id=changed.project_id)
    return changed
