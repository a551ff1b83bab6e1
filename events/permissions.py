"""Who may do what with communities, memberships, meetings and registrations.

Community roles come from Membership (facilitator/member); project roles from
projects.permissions. Funder officers see figures, never the names of participants.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from projects import permissions as project_permissions
from projects.models import Project
from projects.permissions import Role, is_platform_admin

from .models import Community, Meeting, Membership, Registration

Status = Membership.Status


def memberships_by_community(user: Any) -> dict[int, tuple[str, str]]:
    """{community id: (role, status)}; one query per request, cached on the user object."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return {}
    attr = "_portal_memberships"
    cached = getattr(user, attr, None)
    if cached is None:
        cached = {
            community_id: (role, status)
            # No ordering: the default one joins the communities, projects and users only to sort a dict's input.
            for community_id, role, status in Membership.objects.filter(user=user)
            .order_by()
            .values_list("community_id", "role", "status")
        }
        setattr(user, attr, cached)
    return cached


def remember_memberships(user: Any, memberships: dict[int, tuple[str, str]]) -> None:
    """Give the user object memberships read elsewhere (portal/viewer.py keeps them between requests)."""
    user._portal_memberships = memberships


def forget_memberships(user: Any) -> None:
    if hasattr(user, "_portal_memberships"):
        delattr(user, "_portal_memberships")


def is_active_member(user: Any, community_id: int | None) -> bool:
    if community_id is None or not getattr(user, "is_active", False):
        return False
    return memberships_by_community(user).get(community_id, ("", ""))[1] == Status.ACTIVE


def is_facilitator(user: Any, community_id: int | None) -> bool:
    if community_id is None or not getattr(user, "is_active", False):
        return False
    return memberships_by_community(user).get(community_id) == (Membership.Role.FACILITATOR, Status.ACTIVE)


def facilitated_community_ids(user: Any) -> set[int]:
    """The communities this person facilitates (active facilitator memberships)."""
    if not getattr(user, "is_active", False):
        return set()
    return {
        community_id
        for community_id, held in memberships_by_community(user).items()
        if held == (Membership.Role.FACILITATOR, Status.ACTIVE)
    }


def _project_insider(user: Any, project_id: int) -> bool:
    return is_platform_admin(user) or bool(
        project_permissions.roles_by_project(user).get(project_id, set()) & {Role.COORDINATOR, Role.PARTNER_STAFF}
    )


# --- Communities --------------------------------------------------------------------


def can_view_community(user: Any, community: Community) -> bool:
    if community.visibility == Community.Visibility.PUBLIC and community.project.is_public:
        return True
    return (
        is_active_member(user, community.pk)
        or _project_insider(user, community.project_id)
        or project_permissions.can_view_project_figures(user, community.project)
    )


def can_view_members(user: Any, community: Community) -> bool:
    """Names of members: the community's facilitators and the project's coordinators."""
    return can_manage_community(user, community)


def can_manage_community(user: Any, community: Community) -> bool:
    return project_permissions.can_manage_project(user, community.project_id) or is_facilitator(user, community.pk)


def can_change_community(user: Any, community: Community) -> bool:
    """Settings of the community itself (name, policy): the project's coordinators."""
    return project_permissions.can_manage_project(user, community.project_id)


def can_create_community(user: Any, project: Project) -> bool:
    return project_permissions.can_manage_project(user, project.pk)


def can_invite_to_community(user: Any, community: Community) -> bool:
    return can_manage_community(user, community)


def can_appoint_facilitator(user: Any, community: Community) -> bool:
    """Make somebody a facilitator (by invitation or otherwise): the project's coordinators only.

    A facilitator reads the names of the people asking to join and may let members in; who
    holds that trust is for the people answerable for the project, not for facilitators
    to pass on among themselves.
    """
    return project_permissions.can_manage_project(user, community.project_id)


def can_decide_membership(user: Any, membership: Membership) -> bool:
    """Approve or reject a request to join: the project's coordinators and the community's facilitators."""
    return can_manage_community(user, membership.community)


def can_view_membership_requests(user: Any, project: Project) -> bool:
    """The people asking to join the project's communities, by name.

    The project's coordinators see every request; a facilitator sees the requests for the
    communities they facilitate, so the page opens for them when they facilitate one here.
    """
    if project_permissions.can_manage_project(user, project.pk):
        return True
    facilitated = facilitated_community_ids(user)
    # Asked only of facilitators: everybody else is answered without a query.
    return bool(facilitated) and Community.objects.filter(project=project, pk__in=facilitated).exists()


# --- Meetings -----------------------------------------------------------------------


def can_view_meeting(user: Any, meeting: Meeting) -> bool:
    project = meeting.project
    # Most meetings people open are public meetings of public projects outside any
    # members-only community: answered without reading anybody's roles.
    if (
        meeting.audience == Meeting.Audience.PUBLIC
        and project.is_public
        and (
            meeting.community_id is None
            or (
                meeting.community.visibility == Community.Visibility.PUBLIC
                and meeting.community.project_id == project.pk
            )
        )
    ):
        return True
    if _project_insider(user, project.pk) or project_permissions.can_view_project_figures(user, project):
        return True
    if meeting.audience == Meeting.Audience.PUBLIC:
        community_ok = meeting.community_id is None or can_view_community(user, meeting.community)
        return project.is_public and community_ok
    if meeting.audience == Meeting.Audience.MEMBERS:
        return is_active_member(user, meeting.community_id)
    return False  # project partners only: insiders, handled above


def can_view_online_link(user: Any, meeting: Meeting) -> bool:
    if meeting.audience == Meeting.Audience.PUBLIC and meeting.community_id is None:
        return can_view_meeting(user, meeting) and getattr(user, "is_authenticated", False)
    if (
        can_manage_meeting(user, meeting)
        or is_active_member(user, meeting.community_id)
        or _project_insider(user, meeting.project_id)
    ):
        return True
    # A public meeting of a community: people with a confirmed seat get the link too (the
    # page promises it). A members-only meeting stays for active members only.
    return (
        meeting.audience == Meeting.Audience.PUBLIC
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and Registration.objects.filter(meeting=meeting, user=user, status=Registration.Status.CONFIRMED).exists()
    )


def can_create_meeting(user: Any, project: Project) -> bool:
    """A new meeting of the project, from its workspace: the project's coordinators."""
    return project_permissions.can_manage_project(user, project.pk)


def can_manage_meeting(user: Any, meeting: Meeting) -> bool:
    if project_permissions.can_manage_project(user, meeting.project_id):
        return True
    return meeting.community_id is not None and is_facilitator(user, meeting.community_id)


def can_view_registration(user: Any, registration: Registration) -> bool:
    """One registration with everything in it (sector, access needs, interpretation, the QR code).

    The registrant and the project's coordinators. Not a community's facilitators: access
    needs may be health data, and a facilitator sees only the names on the participant list
    (those who agreed to it) and counts without names, like the attendance page they cannot open.
    """
    # An anonymised registration (no person) is nobody's own, not even an anonymous visitor's.
    own = registration.user_id is not None and registration.user_id == getattr(user, "pk", None)
    return own or project_permissions.can_manage_project(user, registration.meeting.project_id)


def can_change_registration(user: Any, registration: Registration) -> bool:
    return can_manage_meeting(user, registration.meeting)


def can_register_for_meeting(user: Any, meeting: Meeting) -> bool:
    """Whether the meeting's audience includes this person.

    Public: anybody signed in; project partners: the project's coordinators and partner
    staff; community members: the community's active members. Whether registration is
    open right now (window, start, cancellation, seats) is for the service to say.
    """
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return False
    if not can_view_meeting(user, meeting):
        return False
    if meeting.audience == Meeting.Audience.PUBLIC:
        return True
    if meeting.audience == Meeting.Audience.PARTNERS:
        return _project_insider(user, meeting.project_id)
    return is_active_member(user, meeting.community_id)


def can_cancel_registration(user: Any, registration: Registration, *, now: dt.datetime | None = None) -> bool:
    """The attendee until the meeting starts; the people running the meeting at any time."""
    if registration.status == Registration.Status.CANCELLED:
        return False
    own = (
        registration.user_id is not None
        and registration.user_id == getattr(user, "pk", None)
        and getattr(user, "is_active", False)
    )
    # The attendee's own answer first: it needs no query for roles ("My meetings" lists only
    # the person's own registrations).
    if own and (now or timezone.now()) < registration.meeting.starts_at:
        return True
    return can_change_registration(user, registration)


# --- Check-in, attendance sheets, exports ---------------------------------------------
# Names, e-mail addresses and access needs of everyone registered, and the power to say
# who was there (evidence for the funder): the project's coordinators, nobody else. Not a
# community's facilitators, not the attendee holding their own QR code.


def can_check_in(user: Any, meeting: Meeting) -> bool:
    """The attendance page of a meeting and the check-in a scanned QR code opens."""
    return project_permissions.can_manage_project(user, meeting.project_id)


def can_download_attendance_sheet(user: Any, meeting: Meeting) -> bool:
    return project_permissions.can_manage_project(user, meeting.project_id)


def can_export_registrations(user: Any, meeting: Meeting) -> bool:
    return project_permissions.can_manage_project(user, meeting.project_id)


def can_view_community_statistics(user: Any, community: Community) -> bool:
    """Members over time and the attendance rate: figures for the people running the community."""
    return can_manage_community(user, community)


# --- Calendar files -------------------------------------------------------------------


def can_view_online_link_with_seat(user: Any, meeting: Meeting) -> bool:
    """can_view_online_link for a person known to hold a confirmed seat at the meeting.

    A personal calendar feed lists only such meetings; this gives the same answer without
    asking the database about the seat once per meeting (the feed's queries stay constant).
    """
    if meeting.audience == Meeting.Audience.PUBLIC and meeting.community_id is not None:
        return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))
    # Other meetings: can_view_online_link decides without looking at registrations.
    return can_view_online_link(user, meeting)
