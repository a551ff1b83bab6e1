"""Project-level permissions, and selectors that agree with them row by row."""

import pytest

from projects import permissions as perms
from projects import selectors
from projects.models import Project, ProjectRole
from tests.factories import ProjectRoleFactory, UserFactory
from tests.permission_world import build_world, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


VIEW_PROJECT = {
    # person: projects they may see (B and C are public)
    "anonymous": {"B", "C"},
    "admin": {"A", "B", "C"},
    "coordinator_A": {"A", "B", "C"},
    "staff_A": {"A", "B", "C"},
    "funder_A": {"A", "B", "C"},
    "coordinator_B": {"B", "C"},
    "member_A": {"B", "C"},
    "outsider": {"B", "C"},
}


@pytest.mark.parametrize("person", sorted(VIEW_PROJECT))
def test_who_sees_which_project(world, person):
    user = fresh(world.users[person])
    seen = {key for key, project in world.projects.items() if perms.can_view_project(user, project)}
    assert seen == VIEW_PROJECT[person]


@pytest.mark.parametrize("person", sorted(VIEW_PROJECT))
def test_visible_projects_selector_agrees_with_the_permission(world, person):
    user = fresh(world.users[person])
    listed = set(selectors.visible_projects(user))
    allowed = {project for project in Project.objects.all() if perms.can_view_project(user, project)}
    assert listed == allowed


@pytest.mark.parametrize(
    "person, internal, figures, manage",
    [
        ("admin", True, True, True),
        ("coordinator_A", True, True, True),
        ("staff_A", True, True, False),
        ("funder_A", False, True, False),
        ("coordinator_B", False, False, False),
        ("member_A", False, False, False),
        ("anonymous", False, False, False),
    ],
)
def test_internal_pages_figures_and_management_of_project_a(world, person, internal, figures, manage):
    user, project = fresh(world.users[person]), world.projects["A"]
    assert perms.can_view_project_internal(user, project) is internal
    assert perms.can_view_project_figures(user, project) is figures
    assert perms.can_change_project(user, project) is manage
    assert perms.can_manage_roles(user, project) is manage


@pytest.mark.parametrize("person", sorted(VIEW_PROJECT))
def test_managed_selector_agrees_with_the_permission(world, person):
    user = fresh(world.users[person])
    assert set(selectors.managed_projects(user)) == {
        p for p in Project.objects.all() if perms.can_change_project(user, p)
    }


def test_partner_staff_edit_only_deliverables_their_organisation_leads(world):
    staff = fresh(world.users["staff_A"])
    assert perms.can_change_deliverable(staff, world.deliverables["A_x"])
    assert not perms.can_change_deliverable(staff, world.deliverables["A_y"])
    coordinator = fresh(world.users["coordinator_A"])
    assert perms.can_change_deliverable(coordinator, world.deliverables["A_y"])
    assert not perms.can_change_deliverable(fresh(world.users["funder_A"]), world.deliverables["A_x"])


@pytest.mark.parametrize(
    "person, sensitive_a, public_b, sensitive_b",
    [
        ("anonymous", False, True, False),
        ("funder_A", True, True, False),
        ("staff_A", True, True, False),
        ("coordinator_B", False, True, True),
    ],
)
def test_sensitive_deliverables_stay_inside_the_project_and_its_funder(
    world, person, sensitive_a, public_b, sensitive_b
):
    user = fresh(world.users[person])
    d = world.deliverables
    assert perms.can_view_deliverable(user, d["A_x"]) is sensitive_a
    assert perms.can_view_deliverable(user, d["B_public"]) is public_b
    assert perms.can_view_deliverable(user, d["B_sensitive"]) is sensitive_b


def test_coordinators_grant_roles_in_their_project_but_never_to_themselves(world):
    coordinator = fresh(world.users["coordinator_A"])
    A, B = world.projects["A"], world.projects["B"]
    assert perms.can_grant_role(coordinator, A, world.users["outsider"])
    assert not perms.can_grant_role(coordinator, A, coordinator)
    assert not perms.can_grant_role(coordinator, B, world.users["outsider"])
    own_role = ProjectRole.objects.get(user=coordinator, project=A)
    assert not perms.can_revoke_role(coordinator, own_role)
    staff_role = ProjectRole.objects.get(user=world.users["staff_A"], project=A)
    assert perms.can_revoke_role(coordinator, staff_role)
    assert not perms.can_revoke_role(fresh(world.users["coordinator_B"]), staff_role)


def test_inactive_accounts_lose_every_role(world):
    coordinator = fresh(world.users["coordinator_A"])
    coordinator.is_active = False
    assert not perms.can_change_project(coordinator, world.projects["A"])
    assert not perms.can_view_project(coordinator, world.projects["A"])


def test_roles_are_read_once_per_user_object(django_assert_num_queries, world):
    user = fresh(world.users["coordinator_A"])
    with django_assert_num_queries(1):
        for _ in range(20):
            for project in world.projects.values():
                perms.can_change_project(user, project)
                perms.can_view_project_internal(user, project)


def test_a_granted_role_counts_after_forget_roles():
    user, project = UserFactory(), ProjectRoleFactory().project
    assert not perms.can_change_project(user, project)
    ProjectRoleFactory(user=user, project=project)
    perms.forget_roles(user)
    assert perms.can_change_project(user, project)


@pytest.mark.parametrize(
    "person, coordinates",
    [
        ("admin", True),
        ("coordinator_A", True),
        ("staff_A", False),
        ("funder_A", False),
        ("coordinator_B", False),
        ("facilitator_A", False),
        ("anonymous", False),
    ],
)
def test_only_coordinators_add_deliverables_and_updates_and_plan_deliverables(world, person, coordinates):
    user, project = fresh(world.users[person]), world.projects["A"]
    assert perms.can_create_deliverable(user, project) is coordinates
    assert perms.can_create_update(user, project) is coordinates
    # Partner staff record the progress of what they lead, never the plan.
    assert perms.can_plan_deliverable(user, world.deliverables["A_x"]) is coordinates
