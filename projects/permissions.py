"""Who may do what with projects. Views, admin, templates and selectors ask these functions.

A person's project roles are read once per request and kept on the user object, so a
page that checks fifty rows still runs one query for the roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from partners.models import Organisation

from .models import Deliverable, Project, ProjectRole, Update

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

Role = ProjectRole.Role
_CACHE_ATTR = "_portal_project_roles"


def roles_by_project(user: AnyUser) -> dict[int, set[str]]:
    """{project id: {role, …}} for this user; one query, cached on the user object."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = {}
        # No ordering: the default one joins the projects and users only to sort a dict's input.
        for project_id, role in ProjectRole.objects.filter(user=user).order_by().values_list("project_id", "role"):
            cached.setdefault(project_id, set()).add(role)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def staff_organisations_by_project(user: AnyUser) -> dict[int, set[int]]:
    """{project id: {organisation id, …}} the user works for as partner staff."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return {}
    attr = "_portal_staff_organisations"
    cached = getattr(user, attr, None)
    if cached is None:
        cached = {}
        rows = ProjectRole.objects.filter(user=user, role=Role.PARTNER_STAFF).values_list(
            "project_id", "organisation_id"
        )
        for project_id, organisation_id in rows:
            cached.setdefault(project_id, set()).add(organisation_id)
        setattr(user, attr, cached)
    return cached


def remember_roles(user: AnyUser, roles: dict[int, set[str]], staff_organisations: dict[int, set[int]]) -> None:
    """Give the user object roles read elsewhere (portal/viewer.py keeps them between requests)."""
    setattr(user, _CACHE_ATTR, roles)
    user._portal_staff_organisations = staff_organisations


def forget_roles(user: AnyUser) -> None:
    """Drop the cached roles, e.g. right after a role was granted in the same request."""
    for attr in (_CACHE_ATTR, "_portal_staff_organisations"):
        if hasattr(user, attr):
            delattr(user, attr)


def is_platform_admin(user: AnyUser) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def _has_role(user: AnyUser, project_id: int | None, roles: Iterable[str]) -> bool:
    if project_id is None or not getattr(user, "is_active", False):
        return False
    return bool(roles_by_project(user).get(project_id, set()) & set(roles))


def project_ids_with_role(user: AnyUser, *roles: str) -> set[int]:
    if not getattr(user, "is_active", False):
        return set()
    wanted = set(roles)
    return {pid for pid, held in roles_by_project(user).items() if held & wanted}


def managed_project_ids(user: AnyUser) -> set[int]:
    """Projects this user coordinates (every project for the platform admin is handled by callers)."""
    return project_ids_with_role(user, Role.COORDINATOR)


def is_coordinator(user: AnyUser, project: Project | int) -> bool:
    return _has_role(user, _pk(project), {Role.COORDINATOR})


def _pk(obj: Project | int | None) -> int | None:
    return obj if isinstance(obj, int) or obj is None else obj.pk


# --- Projects -----------------------------------------------------------------------


def can_view_project(user: AnyUser, project: Project) -> bool:
    return project.is_public or is_platform_admin(user) or bool(roles_by_project(user).get(project.pk))


def can_view_project_internal(user: AnyUser, project: Project) -> bool:
    """Internal pages: work in progress, sensitive deliverables, meeting figures."""
    return is_platform_admin(user) or _has_role(user, project.pk, {Role.COORDINATOR, Role.PARTNER_STAFF})


def can_view_project_figures(user: AnyUser, project: Project) -> bool:
    """Aggregate figures (registrations, attendance by sector): never names."""
    return is_platform_admin(user) or _has_role(
        user, project.pk, {Role.COORDINATOR, Role.PARTNER_STAFF, Role.FUNDER_OFFICER}
    )


def can_change_project(user: AnyUser, project: Project) -> bool:
    return is_platform_admin(user) or is_coordinator(user, project)


def can_add_project(user: AnyUser) -> bool:
    return is_platform_admin(user)


def can_delete_project(user: AnyUser, project: Project) -> bool:
    return is_platform_admin(user)


def can_manage_project(user: AnyUser, project_id: int) -> bool:
    """Coordinate anything inside the project: partners, work packages, updates, meetings."""
    return is_platform_admin(user) or _has_role(user, project_id, {Role.COORDINATOR})


def can_view_project_changes(user: AnyUser, project: Project) -> bool:
    """The project's change history (who changed what, old and new values): its coordinators only."""
    return can_manage_project(user, project.pk)


def can_manage_any_project(user: AnyUser) -> bool:
    return is_platform_admin(user) or bool(managed_project_ids(user))


# --- Organisations in the public directory ---------------------------------------------


def can_view_organisation_page(user: AnyUser, organisation: Organisation) -> bool:
    """The public organisation page: only for people who may see one of its projects.

    partners.permissions lets everyone read the shared directory entry (the admin needs
    that); the public page also lists where the organisation works, so an organisation
    active only in private projects must not reveal that it exists or where it works.
    One query for the projects; can_view_project reads the roles cached on the user.
    """
    projects = Project.objects.filter(participations__organisation=organisation).only("pk", "is_public")
    return any(can_view_project(user, project) for project in projects)


# --- Consortium, work packages, updates -----------------------------------------------


def can_create_update(user: AnyUser, project: Project) -> bool:
    return can_manage_project(user, project.pk)


def can_change_update(user: AnyUser, update: Update) -> bool:
    return can_manage_project(user, update.project_id)


def can_view_update(user: AnyUser, update: Update) -> bool:
    return (update.is_public and update.project.is_public) or can_view_project_internal(user, update.project)


# --- Deliverables -------------------------------------------------------------------


def can_view_deliverable(user: AnyUser, deliverable: Deliverable) -> bool:
    if deliverable.dissemination == Deliverable.Dissemination.PUBLIC and deliverable.project.is_public:
        return True
    # Sensitive deliverables go to the consortium and to the funder, as in EU grants.
    return can_view_project_figures(user, deliverable.project)


def can_change_deliverable(user: AnyUser, deliverable: Deliverable) -> bool:
    if can_manage_project(user, deliverable.project_id):
        return True
    led_by = deliverable.lead_organisation_id
    return led_by is not None and led_by in staff_organisations_by_project(user).get(deliverable.project_id, set())


def can_create_deliverable(user: AnyUser, project: Project) -> bool:
    return can_manage_project(user, project.pk)


def can_plan_deliverable(user: AnyUser, deliverable: Deliverable) -> bool:
    """Change the grant's facts of a deliverable (code, title, due date, lead): the coordinators.

    The lead organisation's staff record progress (can_change_deliverable), not the plan.
    """
    return can_manage_project(user, deliverable.project_id)


# --- Roles --------------------------------------------------------------------------


def can_manage_roles(user: AnyUser, project: Project | int) -> bool:
    return can_manage_project(user, _pk(project))


def can_grant_role(user: AnyUser, project: Project | int, target_user: AnyUser | None = None) -> bool:
    """Coordinators grant roles in their own projects, never to themselves (no self-escalation)."""
    if is_platform_admin(user):
        return True
    if target_user is not None and getattr(target_user, "pk", None) == getattr(user, "pk", None):
        return False
    return can_manage_roles(user, project)


def can_revoke_role(user: AnyUser, role: ProjectRole) -> bool:
    if is_platform_admin(user):
        return True
    return role.user_id != getattr(user, "pk", None) and can_manage_roles(user, role.project_id)
