"""Writes to communities, memberships and meetings. Views parse and check; these change rows.

Each function re-checks the permission it needs (events/permissions.py), so a caller
other than a view cannot skip it, and validates with the model's own rules first
(projects/validation.py): bad input comes back as a ValidationError naming the field,
never as an IntegrityError or a half-written row.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from projects.validation import save_validated, values_of

from .models import Community, Meeting, Membership
from .permissions import (
    can_change_community,
    can_create_community,
    can_create_meeting,
    can_decide_membership,
    can_manage_meeting,
)

# The form field each database rule is about, so its message appears next to that field.
MEETING_CONSTRAINT_FIELDS = {
    "meeting_end_after_start": "ends_at",
    "meeting_capacity_positive": "capacity",
    "meeting_registration_window_ordered": "registration_closes_at",
    "meeting_unique_title_start": "title",
    "meeting_kind_valid": "kind",
    "meeting_format_valid": "format",
    "meeting_audience_valid": "audience",
    "meeting_status_valid": "status",
}
COMMUNITY_CONSTRAINT_FIELDS = {
    "community_unique_name_per_project": "name",
    "community_name_not_empty": "name",
    "community_visibility_valid": "visibility",
    "community_policy_valid": "membership_policy",
}
SLUG_MAX_LENGTH = Community._meta.get_field("slug").max_length
# How many "-2", "-3", … a made-up slug tries before asking the person for one.
SLUG_ATTEMPTS = 50


# --- Membership requests -------------------------------------------------------------------


@dataclass(frozen=True)
class MembershipDecision:
    """The membership after a decision, and whether this call made it (False: decided before)."""

    membership: Membership
    changed: bool


def _decide(*, membership: Membership, actor: Any, approve: bool) -> MembershipDecision:
    with transaction.atomic():
        # The row lock makes two decisions on one request (a double click, two facilitators
        # at once) run one after the other; the second finds it decided and changes nothing.
        # of=("self",): lock the membership only, not the community read along with it.
        locked = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("community")
            .get(pk=membership.pk)
        )
        if not can_decide_membership(actor, locked):
            raise PermissionDenied
        if locked.status != Membership.Status.PENDING:
            return MembershipDecision(membership=locked, changed=False)
        now = timezone.now()
        if approve:
            locked.status, locked.joined_at = Membership.Status.ACTIVE, now
            update_fields = ["status", "joined_at"]
        else:
            # The model has no "rejected" status: a refused request is closed as "left"
            # without ever having joined (joined_at stays empty), which keeps the one row
            # per person and community that the unique constraint asks for.
            locked.status, locked.left_at = Membership.Status.LEFT, now
            update_fields = ["status", "left_at"]
        locked.save(update_fields=update_fields)
    return MembershipDecision(membership=locked, changed=True)


def membership_approve(*, membership: Membership, actor: Any) -> MembershipDecision:
    """Let a person who asked to join into the community.

    Only a pending request changes; approving it again, or approving one that was
    rejected in the meantime, changes nothing and says so (``changed=False``). Raises
    PermissionDenied unless the actor coordinates the project or facilitates the community,
    and Membership.DoesNotExist if the request is gone.
    """
    return _decide(membership=membership, actor=actor, approve=True)


def membership_reject(*, membership: Membership, actor: Any) -> MembershipDecision:
    """Turn down a request to join; the same rules as membership_approve."""
    return _decide(membership=membership, actor=actor, approve=False)


# --- Meetings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingDetails:
    """A meeting as its organisers describe it; times are aware datetimes."""

    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str
    format: str
    audience: str
    language: str
    community: Community | None = None
    description: str = ""
    description_de: str = ""
    agenda: str = ""
    venue: str = ""
    address: str = ""
    city: str = ""
    country: str = ""
    online_link: str = ""
    capacity: int | None = None
    registration_opens_at: dt.datetime | None = None
    registration_closes_at: dt.datetime | None = None
    status: str = Meeting.Status.SCHEDULED


def meeting_create(*, project: Project, actor: Any, details: MeetingDetails) -> Meeting:
    """Schedule a meeting of the project. Coordinators only.

    Raises PermissionDenied, or ValidationError (ends before it starts, capacity below 1,
    a community of another project, the same title at the same time, …).
    """
    if not can_create_meeting(actor, project):
        raise PermissionDenied
    meeting = Meeting(project=project, **values_of(details))
    save_validated(meeting, constraint_fields=MEETING_CONSTRAINT_FIELDS)
    return meeting


def meeting_update(*, meeting: Meeting, actor: Any, details: MeetingDetails) -> Meeting:
    """Change a meeting: its coordinators, or the facilitators of its community.

    A facilitator may not move the meeting out of the communities they run, so the
    permission is asked again of the changed meeting. Returns the saved meeting; the
    object passed in is left as it was.
    """
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied
    changed = copy.copy(meeting)
    for name, value in values_of(details).items():
        setattr(changed, name, value)
    if not can_manage_meeting(actor, changed):
        raise ValidationError({"community": _("You can only choose a community you facilitate.")})
    save_validated(changed, constraint_fields=MEETING_CONSTRAINT_FIELDS)
    return changed


# --- Communities ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CommunityDetails:
    """A Community of Practice's settings; the slug is chosen once, at creation."""

    name: str
    territory: str
    country: str
    visibility: str
    membership_policy: str
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
    community = Community(project=project, slug=slug or _free_slug(details.name), **values_of(details))
    save_validated(community, constraint_fields=COMMUNITY_CONSTRAINT_FIELDS)
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
    save_validated(changed, constraint_fields=COMMUNITY_CONSTRAINT_FIELDS)
    return changed
