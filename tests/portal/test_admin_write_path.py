"""The admin writes project roles and memberships through their domain services.

projects/services.py and events/services/memberships.py are the one write path for these
rows (tests/portal/test_architecture.py checks the code outside those apps); the admin
lives inside them, so these tests prove that its forms, inlines, delete pages and bulk
delete action call the services rather than saving the rows themselves.
"""

from __future__ import annotations

import pytest

import events.admin
import projects.admin
from events.models import Community, Membership
from projects.models import Project, ProjectRole
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    ProjectFactory,
    ProjectRoleFactory,
    UserFactory,
    aware,
)
from tests.portal.test_admin_pages import _add_inline_row, _resubmitted, admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(email="admin@example.org", password="unused"))
    return client


@pytest.fixture
def calls(monkeypatch):
    """The service calls the admin makes, by service name; each call still does its work."""
    made: dict[str, list[dict]] = {}
    for module, name in [
        (projects.admin, "project_role_grant"),
        (projects.admin, "project_role_change"),
        (projects.admin, "project_role_revoke"),
        (events.admin, "membership_record"),
        (events.admin, "membership_remove"),
    ]:
        service = getattr(module, name)

        def spy(*, _service=service, _name=name, **kwargs):
            made.setdefault(_name, []).append(kwargs)
            return _service(**kwargs)

        monkeypatch.setattr(module, name, spy)
    return made


def _rows(data: dict, prefix: str) -> dict[str, str]:
    """{row id: form prefix} of the inline rows named ``prefix`` ("roles", "memberships")."""
    return {
        value: key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith(f"{prefix}-") and key.endswith("-id")
    }


def test_adding_a_role_grants_it(admin_client, calls):
    project, person = ProjectFactory(), UserFactory()
    response = admin_client.post(
        admin_url(ProjectRole, "add"),
        {"user": person.pk, "project": project.pk, "role": "funder_officer", "organisation": ""},
    )
    assert response.status_code == 302
    role = ProjectRole.objects.get(user=person)
    assert (role.project, role.role, role.granted_by.email) == (project, "funder_officer", "admin@example.org")
    assert [call["user"] for call in calls["project_role_grant"]] == [person]


def test_changing_a_role_keeps_its_row(admin_client, calls):
    role = ProjectRoleFactory(role="funder_officer")
    url = admin_url(ProjectRole, "change", role.pk)
    response = admin_client.post(url, _resubmitted(admin_client.get(url)) | {"role": "coordinator"})
    assert response.status_code == 302
    stored = ProjectRole.objects.get(pk=role.pk)
    assert (stored.role, stored.granted_by.email) == ("coordinator", "admin@example.org")
    assert len(calls["project_role_change"]) == 1 and "project_role_grant" not in calls


def test_deleting_a_role_revokes_it(admin_client, calls):
    role = ProjectRoleFactory()
    response = admin_client.post(admin_url(ProjectRole, "delete", role.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not ProjectRole.objects.filter(pk=role.pk).exists()
    assert [call["project_role"].pk for call in calls["project_role_revoke"]] == [role.pk]


def test_the_bulk_delete_action_revokes_role_by_role(admin_client, calls):
    roles = ProjectRoleFactory.create_batch(2)
    response = admin_client.post(
        admin_url(ProjectRole, "changelist"),
        {"action": "delete_selected", "_selected_action": [role.pk for role in roles], "post": "yes"},
    )
    assert response.status_code == 302
    assert not ProjectRole.objects.filter(pk__in=[role.pk for role in roles]).exists()
    assert sorted(call["project_role"].pk for call in calls["project_role_revoke"]) == sorted(r.pk for r in roles)


def test_the_project_inline_grants_changes_and_revokes(admin_client, calls):
    project = ProjectFactory()
    kept, dropped = ProjectRoleFactory.create_batch(2, project=project, role="funder_officer")
    newcomer = UserFactory()
    url = admin_url(Project, "change", project.pk)
    page = admin_client.get(url)
    data = _resubmitted(page)
    rows = {
        value: key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith("roles-") and key.endswith("-id")
    }
    data[f"{rows[str(kept.pk)]}-role"] = "coordinator"
    data[f"{rows[str(dropped.pk)]}-DELETE"] = "on"
    _add_inline_row(page, data, ProjectRole, {"user": str(newcomer.pk), "role": "funder_officer"})

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert set(ProjectRole.objects.filter(project=project).values_list("pk", "user", "role")) == {
        (kept.pk, kept.user_id, "coordinator"),
        (ProjectRole.objects.get(user=newcomer).pk, newcomer.pk, "funder_officer"),
    }
    assert {name: len(made) for name, made in calls.items()} == {
        "project_role_grant": 1,
        "project_role_change": 1,
        "project_role_revoke": 1,
    }


def test_adding_and_deleting_a_membership_go_through_the_services(admin_client, calls):
    community, person = CommunityFactory(), UserFactory()
    added = admin_client.post(
        admin_url(Membership, "add"),
        {
            "community": community.pk,
            "user": person.pk,
            "role": "member",
            "status": "active",
            "requested_at_0": "2025-03-01",
            "requested_at_1": "09:00",
            "joined_at_0": "2025-03-02",
            "joined_at_1": "09:00",
            "left_at_0": "",
            "left_at_1": "",
        },
    )
    assert added.status_code == 302, added.context["adminform"].form.errors
    membership = Membership.objects.get(community=community, user=person)
    assert (membership.status, membership.joined_at) == ("active", aware(2025, 3, 2, 9))

    deleted = admin_client.post(admin_url(Membership, "delete", membership.pk), {"post": "yes"})

    assert deleted.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert (len(calls["membership_record"]), len(calls["membership_remove"])) == (1, 1)


def test_the_community_inline_records_and_removes_memberships(admin_client, calls):
    community = CommunityFactory()
    kept, dropped = MembershipFactory.create_batch(2, community=community)
    newcomer = UserFactory()
    url = admin_url(Community, "change", community.pk)
    page = admin_client.get(url)
    data = _resubmitted(page)
    rows = _rows(data, "memberships")
    data[f"{rows[str(kept.pk)]}-role"] = "facilitator"
    data[f"{rows[str(dropped.pk)]}-DELETE"] = "on"
    _add_inline_row(
        page,
        data,
        Membership,
        {"user": str(newcomer.pk), "role": "member", "status": "pending", "requested_at_0": "2025-03-01"},
    )
    data[
        next(key for key in data if key.endswith("-requested_at_1") and key.startswith(f"memberships-{len(rows)}"))
    ] = "09:00"

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert set(Membership.objects.filter(community=community).values_list("user", "role", "status")) == {
        (kept.user_id, "facilitator", "active"),
        (newcomer.pk, "member", "pending"),
    }
    assert (len(calls["membership_record"]), len(calls["membership_remove"])) == (2, 1)
