"""Writes to communities, memberships, meetings and registrations, one module per subject.

Views parse and check; these change rows. Each function re-checks the permission it
needs (events/permissions.py), so a caller other than a view cannot skip it.
The names below are the package's public face; newer code imports from the modules.
"""

from .communities import CommunityDetails, community_create, community_update
from .meetings import MeetingDetails, meeting_create, meeting_update
from .memberships import MembershipDecision, membership_approve, membership_join, membership_leave, membership_reject

__all__ = [
    "CommunityDetails",
    "MeetingDetails",
    "MembershipDecision",
    "community_create",
    "community_update",
    "meeting_create",
    "meeting_update",
    "membership_approve",
    "membership_join",
    "membership_leave",
    "membership_reject",
]
