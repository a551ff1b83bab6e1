"""What the community and meeting pages show a person about their own participation.

The calendar's views add these to their context, and templates/registrations/_*.html
render them: join or leave, register or cancel, one's status and place in line, and the
participant list for those who take part. Every decision is a permission function or
the registration service's own rule, so the buttons never offer what the service refuses.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from events.languages import language_name
from events.membership_notices import community_has_approver
from events.models import Community, Meeting, Membership, Registration
from events.permissions import (
    can_cancel_registration,
    can_manage_meeting,
    can_register_for_meeting,
    memberships_by_community,
)
from events.selectors.registrations import consented_participants, with_waitlist_position
from events.selectors.statistics import meeting_needs
from events.services.registrations import audience_refusal, registration_closed_reason
from portal import fragments


def community_panel(user: Any, community: Community) -> dict[str, Any]:
    """The person's membership state and which button the community page offers."""
    if not getattr(user, "is_authenticated", False):
        return {"membership_state": "anonymous"}
    state = memberships_by_community(user).get(community.pk, ("", ""))[1]
    if state in (Membership.Status.ACTIVE, Membership.Status.PENDING):
        # The person can leave, or withdraw their request.
        return {"membership_state": state}
    if community.membership_policy == Community.Policy.INVITATION:
        return {"membership_state": "invitation_only"}
    if community.membership_policy == Community.Policy.APPROVAL and not _has_approver(community):
        # Nobody may approve a request here (no facilitator, no coordinator): membership_join
        # refuses it, so the page offers none.
        return {"membership_state": "no_approver"}
    return {
        "membership_state": "can_join",
        "join_is_request": community.membership_policy == Community.Policy.APPROVAL,
        "asked_before": state == Membership.Status.REJECTED,
    }


def meeting_panel(user: Any, meeting: Meeting) -> dict[str, Any]:
    """Registration on the meeting page: the person's registration, or whether and how to register."""
    now = timezone.now()
    closed = registration_closed_reason(meeting, now=now)
    panel: dict[str, Any] = {"registration_closed": closed, "participants": None}
    if not getattr(user, "is_authenticated", False):
        return panel
    mine = _own_active_registration(user, meeting)
    panel["my_registration"] = mine
    if mine is not None:
        panel["can_cancel"] = can_cancel_registration(user, mine, now=now)
    elif not closed:
        allowed = can_register_for_meeting(user, meeting)
        panel["can_register"] = allowed
        panel["audience_refusal"] = "" if allowed else audience_refusal(meeting)
        seats_left = getattr(meeting, "seats_left", None)
        panel["full"] = seats_left is not None and seats_left <= 0
        panel["full_no_waitlist"] = panel["full"] and not meeting.waitlist_enabled
    # Those who take part see who else agreed to be listed; so do the organisers.
    attending = mine is not None and mine.status == Registration.Status.CONFIRMED
    organiser = can_manage_meeting(user, meeting)
    if attending or organiser:
        # The same list for everybody allowed to see it (the check above is the visitor's own).
        panel["participants"] = fragments.cached(
            "meeting-participants", (meeting.pk,), lambda: list(consented_participants(meeting))
        )
    if organiser:
        # What to prepare (ramps, interpreters), never who needs it: a facilitator opens no
        # registration of somebody else; the coordinators have the attendance page.
        needs = meeting_needs(meeting)
        panel["needs"] = {
            "access_needs": needs.access_needs,
            "languages": [(language_name(code), count) for code, count in needs.languages],
        }
    return panel


_UNREAD = object()


def _own_active_registration(user: Any, meeting: Meeting) -> Registration | None:
    """The person's confirmed or waitlisted registration, its meeting being ``meeting``.

    Read through the meeting's manager, so ``registration.meeting`` is this meeting and the
    permission checks do not read it again. The place in line (a correlated subquery) is
    read only for somebody on the waiting list, the rare case.
    """
    # The calendar's meeting_for_page read the id already (None: nobody registered); it was
    # annotated for this same user, the page's visitor.
    known = getattr(meeting, "own_registration_id", _UNREAD)
    if known is None:
        return None

    def read() -> Registration | None:
        queryset = meeting.registrations.filter(user=user, status__in=Registration.ACTIVE).order_by("pk")
        mine = queryset.first()
        if mine is not None and mine.status == Registration.Status.WAITLISTED:
            mine = with_waitlist_position(queryset).first()
        return mine

    # Kept for this person alone until a registration anywhere changes the activity version.
    mine = fragments.cached("own-registration", (user.pk, meeting.pk), read)
    if mine is not None:
        mine.meeting = meeting  # the page's own meeting object, as the docstring says
    return mine


def _has_approver(community: Community) -> bool:
    # The same answer for every visitor; kept like a fragment (memberships bump the activity
    # version, project roles the content version), so the community page asks once a minute.
    return fragments.cached("community-has-approver", (community.pk,), lambda: community_has_approver(community))
