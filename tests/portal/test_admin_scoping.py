"""The admin for coordinators: a staff coordinator sees and changes only their projects.

Two projects, A (coordinated by the coordinator under test) and B (by somebody else),
each with one row of every project-scoped model. The coordinator's changelists show
exactly A's rows, foreign-key choices offer only A's objects and A's people, B's ids
typed into a URL answer 404, escalation attempts fail, and the admin index, the
autocomplete and the query counts say the same. The superuser's view of every admin
is tested in test_admin_pages.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db.models import Model
from django.urls import reverse

from events.models import Community, Meeting, Membership, Registration
from partners.models import Contact, Organisation
from portal.models import User
from projects.admin_scope import ProjectScopedAdmin
from projects.models import (
    Deliverable,
    FundingProgramme,
    Participation,
    Project,
    ProjectRole,
    Update,
    WorkPackage,
)
from reports.models import ProgressReport
from tests.factories import (
    CommunityFactory,
    ContactFactory,
    DeliverableFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UpdateFactory,
    UserFactory,
    WorkPackageFactory,
)
from tests.portal.test_admin_pages import _add_inline_row, _inline_formset, _resubmitted, admin_url
from tests.query_counts import assert_no_more_queries, queries

pytestmark = pytest.mark.django_db

SCOPED_MODELS = [
    Project,
    Participation,
    WorkPackage,
    Deliverable,
    Update,
    ProjectRole,
    Community,
    Membership,
    Meeting,
    Registration,
    ProgressReport,
]
PLATFORM_ADMIN_ONLY = [Group, Contact, EmailAddress, AccessAttempt, AccessLog, AccessFailureLog]
ids = {"ids": lambda model: model._meta.label}


# --- Two projects with one row of everything ------------------------------------------------


@dataclass
class Side:
    """One project and its people."""

    project: Project
    coordinator: User
    partner: User
    member: User
    registrant: User
    work_package: WorkPackage
    community: Community
    meeting: Meeting

    @property
    def people(self) -> set[int]:
        return {self.coordinator.pk, self.partner.pk, self.member.pk, self.registrant.pk}


def _side(name: str) -> Side:
    project = ProjectFactory(acronym=f"PROJECT-{name}", is_public=False)
    coordinator = UserFactory(email=f"coordinator.{name.lower()}@example.org", is_staff=True)
    ProjectRoleFactory(user=coordinator, project=project)
    ParticipationFactory(project=project, role=Participation.Role.COORDINATOR)
    partner = ProjectRoleFactory(project=project, partner_staff=True, granted_by=coordinator).user
    work_package = WorkPackageFactory(project=project, lead_organisation=OrganisationFactory())
    DeliverableFactory(project=project, work_package=work_package)
    UpdateFactory(project=project)
    community = CommunityFactory(project=project)
    member = MembershipFactory(community=community).user
    meeting = MeetingFactory(project=project, community=community)
    registrant = RegistrationFactory(meeting=meeting).user
    ProgressReportFactory(project=project, requested_by=coordinator, done=True)
    return Side(project, coordinator, partner, member, registrant, work_package, community, meeting)


@dataclass
class World:
    a: Side
    b: Side
    stranger: User


@pytest.fixture
def world() -> World:
    return World(a=_side("A"), b=_side("B"), stranger=UserFactory(email="stranger@example.org"))


@pytest.fixture
def coordinator(world) -> User:
    return world.a.coordinator


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def _rows(model: type[Model], project: Project) -> set[int]:
    path = admin.site._registry[model].project_path
    lookup = f"{path}" if path else "pk"
    return set(model.objects.filter(**{lookup: project.pk}).values_list("pk", flat=True))


def _one_row(model: type[Model], project: Project) -> Model:
    """A row of ``project``; for roles the partner's, as a coordinator's own role is read-only."""
    rows = model.objects.filter(pk__in=_rows(model, project))
    if model is ProjectRole:
        rows = rows.filter(role=ProjectRole.Role.PARTNER_STAFF)
    return rows.order_by("pk").first()


# --- Changelists --------------------------------------------------------------------------


@pytest.mark.parametrize("model", SCOPED_MODELS, **ids)
def test_changelist_shows_exactly_the_coordinators_rows(world, coordinator_client, model):
    expected = _rows(model, world.a.project)
    assert expected and not expected & _rows(model, world.b.project)

    response = coordinator_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert {obj.pk for obj in response.context["cl"].result_list} == expected


def test_every_scoped_model_uses_the_scoped_admin():
    for model in SCOPED_MODELS:
        assert isinstance(admin.site._registry[model], ProjectScopedAdmin), model
    project_admin = admin.site._registry[Project]
    assert ProjectRole in {inline.model for inline in project_admin.inlines}


def test_a_list_filter_names_only_the_coordinators_projects(world, coordinator, coordinator_client):
    # With one project the filter hides itself; a second one makes it show.
    second = ProjectRoleFactory(user=coordinator, project=ProjectFactory(acronym="PROJECT-C")).project
    RegistrationFactory(meeting=MeetingFactory(project=second))
    changelist = coordinator_client.get(admin_url(Registration, "changelist")).context["cl"]
    offered = {str(choice["display"]) for spec in changelist.filter_specs for choice in spec.choices(changelist)}
    assert {"PROJECT-A", "PROJECT-C"} <= offered and "PROJECT-B" not in offered


def test_staff_without_a_project_sees_no_scoped_changelist(client):
    client.force_login(UserFactory(is_staff=True))
    for model in SCOPED_MODELS:
        assert client.get(admin_url(model, "changelist")).status_code == 403, model


# --- Foreign-key choices -------------------------------------------------------------------

FOREIGN_KEYS = [
    (Participation, "project"),
    (WorkPackage, "project"),
    (Deliverable, "project"),
    (Deliverable, "work_package"),
    (Update, "project"),
    (ProjectRole, "project"),
    (ProjectRole, "user"),
    (Community, "project"),
    (Membership, "community"),
    (Membership, "user"),
    (Meeting, "project"),
    (Meeting, "community"),
    (Registration, "meeting"),
    (Registration, "user"),
    (ProgressReport, "project"),
    (ProgressReport, "requested_by"),
]


def _expected_choices(world: World, model: type[Model], field: str) -> tuple[set[int], set[int]]:
    """(A's choices, B's) for the foreign key ``field`` of ``model``."""
    related = model._meta.get_field(field).related_model
    if related is User:
        return world.a.people, world.b.people
    if related is Project:
        return {world.a.project.pk}, {world.b.project.pk}
    return _rows(related, world.a.project), _rows(related, world.b.project)


@pytest.mark.parametrize(("model", "field"), FOREIGN_KEYS, ids=lambda v: getattr(v, "__name__", v))
@pytest.mark.parametrize("view", ["add", "change"])
def test_foreign_key_choices_are_limited_to_the_coordinators_projects(world, coordinator_client, model, field, view):
    args = (_one_row(model, world.a.project).pk,) if view == "change" else ()
    response = coordinator_client.get(admin_url(model, view, *args))

    assert response.status_code == 200
    choices = set(response.context["adminform"].form.fields[field].queryset.values_list("pk", flat=True))
    own, other = _expected_choices(world, model, field)
    assert choices == own
    assert not choices & other


@pytest.mark.parametrize(
    ("parent", "inline_model", "field"),
    [
        (Project, Deliverable, "work_package"),
        (Project, ProjectRole, "user"),
        (Community, Membership, "user"),
        (Meeting, Registration, "user"),
    ],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_inline_foreign_key_choices_are_limited(world, coordinator_client, parent, inline_model, field):
    response = coordinator_client.get(admin_url(parent, "change", _one_row(parent, world.a.project).pk))

    formset = _inline_formset(response, inline_model)
    choices = set(formset.empty_form.fields[field].queryset.values_list("pk", flat=True))
    own, other = _expected_choices(world, inline_model, field)
    assert choices == own and not choices & other


def test_a_posted_foreign_key_to_another_project_is_refused(world, coordinator_client):
    deliverable = _one_row(Deliverable, world.a.project)
    url = admin_url(Deliverable, "change", deliverable.pk)
    data = _resubmitted(coordinator_client.get(url)) | {"work_package": str(world.b.work_package.pk)}

    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["work_package"]
    deliverable.refresh_from_db()
    assert deliverable.work_package == world.a.work_package


def test_the_coordinator_saves_their_own_project(world, coordinator_client):
    url = admin_url(Project, "change", world.a.project.pk)
    data = _resubmitted(coordinator_client.get(url)) | {"title": "A renamed project"}

    response = coordinator_client.post(url, data)

    assert response.status_code == 302
    world.a.project.refresh_from_db()
    assert world.a.project.title == "A renamed project"


# --- Another project's id typed into the URL -----------------------------------------------


@pytest.mark.parametrize("view", ["change", "delete", "history"])
@pytest.mark.parametrize("model", SCOPED_MODELS, **ids)
def test_another_projects_object_is_not_found(world, coordinator_client, model, view):
    other = _one_row(model, world.b.project)

    assert coordinator_client.get(admin_url(model, view, other.pk)).status_code == 404
    assert coordinator_client.post(admin_url(model, view, other.pk), {"post": "yes"}).status_code == 404
    assert model.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("view", ["change", "delete", "history"])
@pytest.mark.parametrize("model", SCOPED_MODELS, **ids)
def test_the_coordinators_own_object_opens(world, coordinator_client, model, view):
    own = _one_row(model, world.a.project)
    expected = 403 if (model, view) == (Project, "delete") else 200  # only the platform admin deletes projects

    assert coordinator_client.get(admin_url(model, view, own.pk)).status_code == expected


# --- Escalation ----------------------------------------------------------------------------


def _post_role(client, **values):
    data = {"role": ProjectRole.Role.FUNDER_OFFICER, "organisation": ""} | {
        key: str(value.pk) for key, value in values.items()
    }
    return client.post(admin_url(ProjectRole, "add"), data)


def test_a_coordinator_grants_a_role_in_their_project(world, coordinator_client, coordinator):
    response = _post_role(coordinator_client, user=world.a.member, project=world.a.project)

    assert response.status_code == 302
    role = ProjectRole.objects.get(user=world.a.member, project=world.a.project)
    assert (role.role, role.granted_by) == (ProjectRole.Role.FUNDER_OFFICER, coordinator)


def test_no_role_in_another_project(world, coordinator_client):
    response = _post_role(coordinator_client, user=world.a.member, project=world.b.project)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["project"]
    assert not ProjectRole.objects.filter(user=world.a.member, project=world.b.project).exists()


def test_no_role_for_oneself(world, coordinator_client, coordinator):
    response = _post_role(coordinator_client, user=coordinator, project=world.a.project)

    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["user"]
    assert "yourself" in error
    assert not ProjectRole.objects.filter(user=coordinator, role=ProjectRole.Role.FUNDER_OFFICER).exists()


def test_no_role_for_a_stranger_picked_by_id(world, coordinator_client):
    """Granting a role to any id would make the person "connected" and show their data."""
    response = _post_role(coordinator_client, user=world.stranger, project=world.a.project)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["user"]
    assert not ProjectRole.objects.filter(user=world.stranger).exists()


def test_another_persons_role_cannot_be_turned_into_ones_own(world, coordinator_client, coordinator):
    role = ProjectRole.objects.get(project=world.a.project, user=world.a.partner)
    url = admin_url(ProjectRole, "change", role.pk)
    data = _resubmitted(coordinator_client.get(url)) | {"user": str(coordinator.pk)}

    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    assert "yourself" in str(response.context["adminform"].form.errors["user"])
    role.refresh_from_db()
    assert role.user == world.a.partner


def test_the_own_role_is_read_only(world, coordinator_client, coordinator):
    own = ProjectRole.objects.get(project=world.a.project, user=coordinator)

    page = coordinator_client.get(admin_url(ProjectRole, "change", own.pk))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    changed = coordinator_client.post(
        admin_url(ProjectRole, "change", own.pk),
        {"user": coordinator.pk, "project": world.b.project.pk, "role": "coordinator"},
    )
    deleted = coordinator_client.post(admin_url(ProjectRole, "delete", own.pk), {"post": "yes"})

    assert (changed.status_code, deleted.status_code) == (403, 403)
    own.refresh_from_db()
    assert own.project == world.a.project


def test_the_project_inline_refuses_a_role_for_oneself(world, coordinator_client, coordinator):
    url = admin_url(Project, "change", world.a.project.pk)
    page = coordinator_client.get(url)
    data = _resubmitted(page)
    _add_inline_row(page, data, ProjectRole, {"user": str(coordinator.pk), "role": "funder_officer"})

    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    assert "yourself" in str(_inline_formset(response, ProjectRole).errors)
    assert not ProjectRole.objects.filter(user=coordinator, role="funder_officer").exists()


def test_the_project_inline_refuses_revoking_ones_own_role(world, coordinator_client, coordinator):
    url = admin_url(Project, "change", world.a.project.pk)
    data = _resubmitted(coordinator_client.get(url))
    own = ProjectRole.objects.get(project=world.a.project, user=coordinator)
    (prefix,) = [
        key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith("roles-") and key.endswith("-id") and value == str(own.pk)
    ]
    data[f"{prefix}-DELETE"] = "on"

    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    assert "your own role" in str(_inline_formset(response, ProjectRole).non_form_errors())
    assert ProjectRole.objects.filter(pk=own.pk).exists()


def test_the_project_inline_grants_a_role_and_records_the_granter(world, coordinator_client, coordinator):
    url = admin_url(Project, "change", world.a.project.pk)
    page = coordinator_client.get(url)
    data = _resubmitted(page)
    _add_inline_row(page, data, ProjectRole, {"user": str(world.a.registrant.pk), "role": "funder_officer"})

    response = coordinator_client.post(url, data)

    assert response.status_code == 302
    role = ProjectRole.objects.get(user=world.a.registrant)
    assert (role.project, role.granted_by) == (world.a.project, coordinator)


def test_no_project_added_or_deleted_by_a_coordinator(world, coordinator_client):
    assert coordinator_client.get(admin_url(Project, "add")).status_code == 403
    response = coordinator_client.post(admin_url(Project, "delete", world.a.project.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Project.objects.filter(pk=world.a.project.pk).exists()


def test_the_own_account_cannot_be_raised_to_superuser(coordinator_client, coordinator):
    url = admin_url(User, "change", coordinator.pk)
    page = coordinator_client.get(url)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    content = page.content.decode()
    for privilege in ("is_superuser", "is_staff", "groups", "user_permissions", "password"):
        assert f'name="{privilege}"' not in content
    assert "Superuser status" not in content

    response = coordinator_client.post(
        url,
        {"email": coordinator.email, "is_superuser": "on", "is_staff": "on", "is_active": "on"},
    )

    assert response.status_code == 403
    coordinator.refresh_from_db()
    assert not coordinator.is_superuser and coordinator.is_staff
    assert coordinator_client.post(reverse("admin:auth_user_password_change", args=[coordinator.pk])).status_code == 403


def test_user_admin_shows_only_connected_people_read_only(world, coordinator_client):
    response = coordinator_client.get(admin_url(User, "changelist"))

    assert {user.pk for user in response.context["cl"].result_list} == world.a.people
    assert coordinator_client.get(admin_url(User, "change", world.stranger.pk)).status_code == 404
    assert coordinator_client.get(admin_url(User, "change", world.b.member.pk)).status_code == 404
    assert coordinator_client.get(admin_url(User, "history", world.b.member.pk)).status_code == 404
    assert coordinator_client.get(admin_url(User, "add")).status_code == 403
    assert coordinator_client.get(admin_url(User, "delete", world.a.member.pk)).status_code == 403


def test_a_member_who_is_not_staff_cannot_reach_the_admin(world, client):
    client.force_login(world.a.member)
    for url in (reverse("admin:index"), admin_url(Project, "changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", PLATFORM_ADMIN_ONLY, **ids)
def test_platform_admin_only_models_even_with_model_permissions(coordinator, client, model):
    """A group with every permission given by mistake opens nothing: the code decides."""
    coordinator.user_permissions.set(Permission.objects.filter(content_type__app_label=model._meta.app_label))
    client.force_login(coordinator)

    assert client.get(admin_url(model, "changelist")).status_code == 403
    index_models = {
        entry["object_name"]
        for app in client.get(reverse("admin:index")).context["app_list"]
        for entry in app["models"]
    }
    assert model.__name__ not in index_models


def test_contacts_are_the_platform_admins(world, coordinator_client):
    contact = ContactFactory()
    assert coordinator_client.get(admin_url(Contact, "change", contact.pk)).status_code == 403
    page = coordinator_client.get(admin_url(Organisation, "change", contact.organisation.pk))
    assert page.status_code == 200
    assert not [inline for inline in page.context["inline_admin_formsets"] if inline.formset.model is Contact]
    assert contact.email not in page.content.decode()


def test_organisations_are_read_and_added_by_staff_changed_by_the_platform_admin(world, coordinator_client):
    organisation = OrganisationFactory(name="Welcome Desk Offenbach")
    change = admin_url(Organisation, "change", organisation.pk)

    page = coordinator_client.get(change)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert coordinator_client.post(change, {"name": "Renamed"}).status_code == 403
    assert (
        coordinator_client.post(admin_url(Organisation, "delete", organisation.pk), {"post": "yes"}).status_code == 403
    )
    added = coordinator_client.post(
        admin_url(Organisation, "add"),
        {"name": "Neighbourhood Forum Ravenna", "kind": "ngo", "country": "IT"},
    )
    assert added.status_code == 302
    assert Organisation.objects.filter(name="Neighbourhood Forum Ravenna").exists()
    organisation.refresh_from_db()
    assert organisation.name == "Welcome Desk Offenbach"


def test_funding_programmes_are_read_only_for_coordinators(world, coordinator_client):
    programme = world.a.project.programme
    assert coordinator_client.get(admin_url(FundingProgramme, "change", programme.pk)).status_code == 200
    assert (
        coordinator_client.post(
            admin_url(FundingProgramme, "change", programme.pk),
            {"short_name": "X", "name": "X", "funder": programme.funder_id},
        ).status_code
        == 403
    )
    assert coordinator_client.get(admin_url(FundingProgramme, "add")).status_code == 403
    programme.refresh_from_db()
    assert programme.short_name != "X"


# --- Admin index -----------------------------------------------------------------------------


def test_the_index_lists_only_the_scoped_models(world, coordinator_client):
    response = coordinator_client.get(reverse("admin:index"))

    listed = {
        (app["app_label"], entry["object_name"]) for app in response.context["app_list"] for entry in app["models"]
    }
    scoped = {
        (model._meta.app_label, model.__name__)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ProjectScopedAdmin)
    }
    assert {(model._meta.app_label, model.__name__) for model in SCOPED_MODELS} <= scoped
    # The organisation directory, to which any staff member may add, is the one addition.
    assert listed == scoped | {("partners", "Organisation")}


def test_staff_without_a_project_sees_only_the_directory(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("admin:index"))
    listed = {entry["object_name"] for app in response.context["app_list"] for entry in app["models"]}
    assert listed == {"Organisation"}


# --- Autocomplete ----------------------------------------------------------------------------


def _autocomplete(client, model: type[Model], field: str, term: str = "") -> set[int]:
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
            "term": term,
        },
    )
    assert response.status_code == 200, response.status_code
    return {int(result["id"]) for result in response.json()["results"]}


def test_people_autocomplete_offers_only_connected_people(world, coordinator_client):
    assert _autocomplete(coordinator_client, ProjectRole, "user") == world.a.people
    assert _autocomplete(coordinator_client, Membership, "user", "example.org") == world.a.people
    assert _autocomplete(coordinator_client, Registration, "user", "stranger") == set()


def test_project_autocomplete_offers_only_the_coordinators_projects(world, coordinator_client):
    assert _autocomplete(coordinator_client, ProjectRole, "project") == {world.a.project.pk}
    assert _autocomplete(coordinator_client, Meeting, "community") == {world.a.community.pk}
    assert _autocomplete(coordinator_client, Registration, "meeting") == {world.a.meeting.pk}


def test_organisation_and_programme_autocomplete_work_for_coordinators(world, coordinator_client):
    assert world.a.partner.project_roles.get().organisation_id in _autocomplete(
        coordinator_client, Participation, "organisation"
    )
    assert world.a.project.programme_id in _autocomplete(coordinator_client, Project, "programme")


def test_autocomplete_refuses_staff_without_a_project(world, client):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "projects", "model_name": "projectrole", "field_name": "user", "term": ""},
    )
    assert response.status_code == 403


# --- Constant queries for a coordinator -------------------------------------------------------

_versions = itertools.count(2)

ROW_BUILDERS: dict[type[Model], Callable[[Project, User], Model]] = {
    Project: lambda project, user: ProjectRoleFactory(user=user).project,
    Participation: lambda project, user: ParticipationFactory(project=project),
    WorkPackage: lambda project, user: WorkPackageFactory(project=project, lead_organisation=OrganisationFactory()),
    Deliverable: lambda project, user: DeliverableFactory(
        project=project,
        work_package=WorkPackageFactory(project=project),
        lead_organisation=OrganisationFactory(),
    ),
    Update: lambda project, user: UpdateFactory(project=project),
    ProjectRole: lambda project, user: ProjectRoleFactory(project=project, partner_staff=True, granted_by=user),
    Community: lambda project, user: CommunityFactory(project=project),
    Membership: lambda project, user: MembershipFactory(community=CommunityFactory(project=project)),
    Meeting: lambda project, user: MeetingFactory(project=project, community=CommunityFactory(project=project)),
    Registration: lambda project, user: RegistrationFactory(
        meeting=MeetingFactory(project=project, community=CommunityFactory(project=project))
    ),
    ProgressReport: lambda project, user: ProgressReportFactory(project=project, done=True, version=next(_versions)),
}


@pytest.mark.parametrize("model", SCOPED_MODELS, **ids)
def test_coordinator_changelist_queries_do_not_grow_with_rows(client, model):
    coordinator = UserFactory(is_staff=True)
    project = ProjectRoleFactory(user=coordinator).project
    ROW_BUILDERS[model](ProjectFactory(), UserFactory())  # a row elsewhere, never shown
    client.force_login(coordinator)
    url = admin_url(model, "changelist")
    if model is not Project:
        ROW_BUILDERS[model](project, coordinator)
    client.get(url)  # warms per-process caches

    with queries() as few:
        assert client.get(url).status_code == 200
    for _ in range(19):
        ROW_BUILDERS[model](project, coordinator)
    with queries() as many:
        response = client.get(url)

    assert response.context["cl"].result_count >= 20
    assert_no_more_queries(few, many)

    # A permission asked per row (as a custom column or action might) costs no query either.
    model_admin = admin.site._registry[model]
    request = response.wsgi_request
    with queries() as per_row:
        for obj in response.context["cl"].result_list:
            model_admin.has_view_permission(request, obj)
            model_admin.has_change_permission(request, obj)
            model_admin.has_delete_permission(request, obj)
    assert len(per_row) == 0, [query["sql"] for query in per_row.captured_queries]
