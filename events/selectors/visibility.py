"""Reads of communities, meetings and registrations, filtered to what a user may see.

visible_communities and visible_meetings answer as permissions.can_view_community and
can_view_meeting do, as querysets, so lists never show what a detail page would refuse.
"""

from django.db.models import Q, QuerySet

from projects.permissions import Role, is_platform_admin, project_ids_with_role

from ..models import Community, Meeting, Membership, Registration
from ..permissions import memberships_by_community


def _active_community_ids(user) -> list[int]:
    return [cid for cid, (_, status) in memberships_by_community(user).items() if status == Membership.Status.ACTIVE]


def visible_communities(user) -> QuerySet[Community]:
    """Same answer as permissions.can_view_community, as a queryset."""
    queryset = Community.objects.select_related("project")
    if is_platform_admin(user):
        return queryset
    insider = project_ids_with_role(user, Role.COORDINATOR, Role.PARTNER_STAFF, Role.FUNDER_OFFICER)
    return queryset.filter(
        Q(visibility=Community.Visibility.PUBLIC, project__is_public=True)
        | Q(pk__in=_active_community_ids(user))
        | Q(project_id__in=insider)
    )


def visible_meetings(user) -> QuerySet[Meeting]:
    """Same answer as permissions.can_view_meeting, as a queryset."""
    # The community's project too: lists link a meeting's community only for those who may open it.
    queryset = Meeting.objects.select_related("project", "community", "community__project")
    if is_platform_admin(user):
        return queryset
    insider = project_ids_with_role(user, Role.COORDINATOR, Role.PARTNER_STAFF, Role.FUNDER_OFFICER)
    public_community = (
        Q(community__isnull=True)
        | Q(community__visibility=Community.Visibility.PUBLIC)
        | Q(community_id__in=_active_community_ids(user))
    )
    return queryset.filter(
        Q(project_id__in=insider)
        | (Q(audience=Meeting.Audience.PUBLIC, project__is_public=True) & public_community)
        | Q(audience=Meeting.Audience.MEMBERS, community_id__in=_active_community_ids(user))
    )


def own_registrations(user) -> QuerySet[Registration]:
    """A member's own registrations only."""
    if not getattr(user, "is_authenticated", False):
        return Registration.objects.none()
    return Registration.objects.filter(user=user).select_related(
        "meeting", "meeting__project", "meeting__community", "meeting__community__project"
    )
