"""E-mails about requests to join a community.

- ``requested``: a person asked to join; to the community's facilitators and the
  project's coordinators (:func:`membership_approvers`), with a link to the requests page;
- ``approved``, ``declined``: the decision, to the person who asked.

events/services/memberships.py queues the task ``NOTICE_TASK`` (events/tasks.py) in the
transaction that records the request or the decision. A notice whose moment has passed
is not sent (a request withdrawn or decided before the worker came, a decision changed
since), and each notice is sent once per recipient and state (events/branded_mail.send_once):
the key carries the moment of the request or decision, so asking again later sends again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from projects.models import ProjectRole

from .absolute_urls import page_url
from .branded_mail import branded_message, send_once
from .models import Community, Membership

NOTICE_TASK = "events.send_membership_notice"
KINDS = ("requested", "approved", "declined")
# The community page (argument ``slug``) and the page where approvers decide (argument
# ``project_slug``); the web layer registers their paths (portal/page_links.py).
COMMUNITY_PAGE = "community"
REQUESTS_PAGE = "membership_requests"

_EXPECTED = {
    "requested": Membership.Status.PENDING,
    "approved": Membership.Status.ACTIVE,
    "declined": Membership.Status.REJECTED,
}


def _approvers(community: Community) -> Any:
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(
                memberships__community=community,
                memberships__role=Membership.Role.FACILITATOR,
                memberships__status=Membership.Status.ACTIVE,
            )
            | Q(project_roles__project_id=community.project_id, project_roles__role=ProjectRole.Role.COORDINATOR)
        )
    )


def membership_approvers(community: Community) -> list[Any]:
    """Everyone who may decide on a request to join: the community's active facilitators and
    the project's coordinators (events/permissions.can_decide_membership), active accounts only."""
    return list(_approvers(community).distinct().order_by("pk"))


def community_has_approver(community: Community) -> bool:
    """Whether anybody could approve a request to join (the request would wait for ever otherwise).

    Platform administrators may decide too, but they are not who a request waits for.
    """
    return _approvers(community).exists()


def _stamp(membership: Membership, kind: str) -> str:
    moment = membership.requested_at if kind == "requested" else membership.decided_at
    return "" if moment is None else str(moment.timestamp())


def membership_notice_send(*, membership_id: int, kind: str) -> int:
    """Send the notice ``kind`` about the membership; returns how many e-mails went out."""
    if kind not in KINDS:
        raise ValueError(f"unknown membership notice {kind!r}")
    membership = (
        Membership.objects.select_related("user", "community", "community__project").filter(pk=membership_id).first()
    )
    if membership is None or membership.user_id is None or membership.status != _EXPECTED[kind]:
        # Gone, changed since, or its person erased their account: nothing to tell.
        return 0
    if kind == "approved" and membership.decided_at is None:
        # Admitted by invitation or by an administrator: no decision to announce.
        return 0
    community = membership.community
    recipients = membership_approvers(community) if kind == "requested" else [membership.user]
    key = f"events:membership:{membership.pk}:{kind}:{_stamp(membership, kind)}"

    def build(recipient: Any) -> Any:
        context = {
            "kind": kind,
            "membership": membership,
            "applicant": membership.user,
            "applicant_name": membership.user.get_full_name() or membership.user.email,
            "community": community,
            "community_name": community.name,
            "project": community.project,
            "community_url": page_url(COMMUNITY_PAGE, slug=community.slug),
            "requests_url": page_url(REQUESTS_PAGE, project_slug=community.project.slug),
        }
        return branded_message(template=f"events/email/membership_{kind}", recipient=recipient, context=context)

    return send_once(key=key, recipients=recipients, build=build)
