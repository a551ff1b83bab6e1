"""Writes to deliverables and updates (projects/services.py) and the validation they share.

Each service checks its permission itself, reports every broken rule of the model as a
ValidationError on the field it is about, and writes nothing when it refuses.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from projects import validation
from projects.models import Deliverable, ProjectRole, Update
from projects.permissions import roles_by_project
from projects.services import (
    DeliverablePlan,
    RoleGrant,
    UpdateDetails,
    deliverable_create,
    deliverable_update,
    project_role_change,
    project_role_grant,
    project_role_revoke,
    project_roles_bulk_create,
    update_create,
    update_update,
)
from tests.factories import (
    DeliverableFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    UpdateFactory,
    UserFactory,
    WorkPackageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory(acronym="ALPHA", slug="alpha")


@pytest.fixture
def coordinator(project):
    return ProjectRoleFactory(project=project).user


@pytest.fixture
def partner(project):
    return ParticipationFactory(project=project).organisation


@pytest.fixture
def staff(project, partner):
    return ProjectRoleFactory(project=project, role="partner_staff", organisation=partner).user


def plan(**overrides) -> DeliverablePlan:
    values = {
        "code": "D2.1",
        "title": "Mapping of local services",
        "kind": Deliverable.Kind.REPORT,
        "dissemination": Deliverable.Dissemination.PUBLIC,
        "due_date": dt.date(2026, 6, 30),
        **overrides,
    }
    return DeliverablePlan(**values)


def messages_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- Creating a deliverable ----------------------------------------------------------------


def test_the_coordinator_adds_a_planned_deliverable(project, coordinator, partner):
    wp = WorkPackageFactory(project=project)
    deliverable = deliverable_create(
        project=project,
        user=coordinator,
        plan=plan(work_package=wp, lead_organisation=partner),
        description="Who offers what.",
    )
    deliverable.refresh_from_db()
    assert (deliverable.code, deliverable.work_package, deliverable.lead_organisation) == ("D2.1", wp, partner)
    assert (deliverable.status, deliverable.submitted_on, deliverable.description) == (
        "planned",
        None,
        "Who offers what.",
    )


def test_a_code_the_project_uses_is_refused_on_the_code(project, coordinator):
    DeliverableFactory(project=project, code="D2.1")
    with pytest.raises(ValidationError) as excinfo:
        deliverable_create(project=project, user=coordinator, plan=plan())
    assert messages_of(excinfo)["code"] == ["The project already has a deliverable with this code."]
    assert Deliverable.objects.count() == 1


def test_the_same_code_in_another_project_is_fine(project, coordinator):
    DeliverableFactory(code="D2.1")
    assert deliverable_create(project=project, user=coordinator, plan=plan()).pk


def test_a_work_package_of_another_project_is_refused(project, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        deliverable_create(project=project, user=coordinator, plan=plan(work_package=WorkPackageFactory()))
    assert messages_of(excinfo)["work_package"] == ["The work package belongs to another project."]


def test_a_lead_outside_the_consortium_is_refused(project, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        deliverable_create(project=project, user=coordinator, plan=plan(lead_organisation=OrganisationFactory()))
    assert "lead_organisation" in messages_of(excinfo)
    assert not Deliverable.objects.exists()


@pytest.mark.parametrize("field, value", [("code", ""), ("title", ""), ("kind", "poem"), ("dissemination", "secret")])
def test_bad_plan_values_come_back_on_their_field(project, coordinator, field, value):
    with pytest.raises(ValidationError) as excinfo:
        deliverable_create(project=project, user=coordinator, plan=plan(**{field: value}))
    assert field in messages_of(excinfo)


def test_partner_staff_and_outsiders_do_not_add_deliverables(project, staff):
    for user in (staff, ProjectRoleFactory(project=project, funder_officer=True).user, ProjectRoleFactory().user):
        with pytest.raises(PermissionDenied):
            deliverable_create(project=project, user=user, plan=plan())
    assert not Deliverable.objects.exists()


# --- Changing a deliverable -----------------------------------------------------------------


def progress(**overrides) -> dict:
    return {"status": "in_progress", "submitted_on": None, "url": "", "description": "", **overrides}


def test_the_coordinator_changes_plan_and_progress_at_once(project, coordinator, partner):
    deliverable = DeliverableFactory(project=project, code="D2.1")
    saved = deliverable_update(
        deliverable=deliverable,
        user=coordinator,
        **progress(status="submitted", submitted_on=dt.date(2026, 1, 5)),
        plan=plan(code="D2.2", title="Renamed", lead_organisation=partner, due_date=dt.date(2026, 1, 31)),
    )
    stored = Deliverable.objects.get(pk=deliverable.pk)
    assert (stored.code, stored.title, stored.lead_organisation, stored.due_date) == (
        "D2.2",
        "Renamed",
        partner,
        dt.date(2026, 1, 31),
    )
    assert (stored.status, stored.submitted_on) == ("submitted", dt.date(2026, 1, 5))
    assert saved.code == "D2.2" and deliverable.code == "D2.1"  # the object passed in is left as it was


def test_the_lead_staff_record_progress_but_not_the_plan(project, staff, partner):
    deliverable = DeliverableFactory(project=project, lead_organisation=partner, code="D2.1")
    deliverable_update(deliverable=deliverable, user=staff, **progress())
    assert Deliverable.objects.get(pk=deliverable.pk).status == "in_progress"
    with pytest.raises(PermissionDenied):
        deliverable_update(deliverable=deliverable, user=staff, **progress(), plan=plan(code="D9.9"))
    assert Deliverable.objects.get(pk=deliverable.pk).code == "D2.1"


def test_renaming_to_a_code_in_use_is_refused_and_writes_nothing(project, coordinator):
    DeliverableFactory(project=project, code="D3.1")
    deliverable = DeliverableFactory(project=project, code="D2.1")
    with pytest.raises(ValidationError) as excinfo:
        deliverable_update(
            deliverable=deliverable, user=coordinator, **progress(status="approved"), plan=plan(code="D3.1")
        )
    errors = messages_of(excinfo)
    assert errors["code"] == ["The project already has a deliverable with this code."]
    assert "submitted_on" in errors  # every problem at once, each on its field
    stored = Deliverable.objects.get(pk=deliverable.pk)
    assert (stored.code, stored.status) == ("D2.1", "planned")


def test_a_lead_who_left_the_consortium_may_stay_on_an_older_deliverable(project, coordinator):
    former = OrganisationFactory()
    deliverable = DeliverableFactory(project=project, lead_organisation=former)
    deliverable_update(deliverable=deliverable, user=coordinator, **progress(), plan=plan(lead_organisation=former))
    assert Deliverable.objects.get(pk=deliverable.pk).lead_organisation == former


def test_a_code_taken_in_between_is_a_validation_error(project, coordinator, monkeypatch):
    """full_clean() passed, then another request saved the code: the IntegrityError becomes a form error."""
    monkeypatch.setattr(validation, "full_clean_on_fields", lambda instance, constraint_fields: None)
    DeliverableFactory(project=project, code="D2.1")
    with pytest.raises(ValidationError) as excinfo:
        deliverable_create(project=project, user=coordinator, plan=plan())
    assert messages_of(excinfo)["code"] == ["The project already has a deliverable with this code."]
    assert Deliverable.objects.count() == 1


# --- Updates --------------------------------------------------------------------------------


def update_details(**overrides) -> UpdateDetails:
    values = {
        "kind": Update.Kind.NEWS,
        "published_on": dt.date(2026, 2, 14),
        "title": "Kick-off in Ravenna",
        **overrides,
    }
    return UpdateDetails(**values)


def test_the_coordinator_publishes_an_update_in_german_only(project, coordinator):
    update = update_create(
        project=project,
        user=coordinator,
        details=update_details(title="", title_de="Auftakt in Ravenna", body_de="Zwölf Partner trafen sich."),
    )
    update.refresh_from_db()
    assert (update.title, update.title_de, update.body_de) == ("", "Auftakt in Ravenna", "Zwölf Partner trafen sich.")


def test_an_update_needs_a_title_in_one_language(project, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        update_create(project=project, user=coordinator, details=update_details(title="", title_de=""))
    assert messages_of(excinfo)["title"] == ["Give the title in English, in German or in both."]
    assert not Update.objects.exists()


@pytest.mark.parametrize("field", ["title", "title_de"])
def test_the_same_title_on_the_same_day_is_refused_on_that_title(project, coordinator, field):
    UpdateFactory(project=project, published_on=dt.date(2026, 2, 14), **{field: "Kick-off"})
    with pytest.raises(ValidationError) as excinfo:
        update_create(project=project, user=coordinator, details=update_details(**{"title": "", field: "Kick-off"}))
    assert messages_of(excinfo)[field] == ["This update has already been published on this day."]


def test_the_coordinator_edits_an_update(project, coordinator):
    update = UpdateFactory(project=project, title="Old", is_public=True)
    saved = update_update(update=update, user=coordinator, details=update_details(title="New", is_public=False))
    stored = Update.objects.get(pk=update.pk)
    assert (stored.title, stored.is_public, stored.project) == ("New", False, project)
    assert saved.title == "New" and update.title == "Old"


def test_only_coordinators_write_updates(project, staff):
    update = UpdateFactory(project=project, title="Kept")
    for user in (staff, ProjectRoleFactory(project=project, funder_officer=True).user, ProjectRoleFactory().user):
        with pytest.raises(PermissionDenied):
            update_create(project=project, user=user, details=update_details())
        with pytest.raises(PermissionDenied):
            update_update(update=update, user=user, details=update_details(title="Hijacked"))
    assert list(Update.objects.values_list("title", flat=True)) == ["Kept"]


# --- The shared validation ------------------------------------------------------------------


def test_constraints_not_named_stay_non_field_errors(project):
    deliverable = Deliverable(project=project, code="D1", title="T", due_date=dt.date(2026, 1, 1), status="approved")
    with pytest.raises(ValidationError) as excinfo:
        validation.full_clean_on_fields(deliverable, constraint_fields={})
    assert NON_FIELD_ERRORS in excinfo.value.message_dict


def test_a_field_already_wrong_is_not_checked_again_by_its_constraints(project):
    """A blank code fails as a field; its constraint (code not empty) does not repeat it."""
    deliverable = Deliverable(project=project, code="", title="T", due_date=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        validation.full_clean_on_fields(deliverable, constraint_fields={"deliverable_code_not_empty": "code"})
    assert excinfo.value.message_dict == {"code": ["This field cannot be blank."]}


# --- Project roles -------------------------------------------------------------------------


def test_a_granted_role_is_stored_with_its_granter(project, coordinator):
    person = UserFactory()
    role = project_role_grant(project=project, user=person, role="funder_officer", granted_by=coordinator)
    stored = ProjectRole.objects.get(project=project, user=person)
    assert (stored.pk, stored.role, stored.granted_by, stored.organisation) == (
        role.pk,
        "funder_officer",
        coordinator,
        None,
    )


def test_granting_a_held_role_again_returns_it_unchanged(project, coordinator, partner):
    person = UserFactory()
    first = project_role_grant(
        project=project, user=person, role="partner_staff", organisation=partner, granted_by=coordinator
    )
    again = project_role_grant(
        project=project, user=person, role="partner_staff", organisation=OrganisationFactory(), granted_by=None
    )
    assert again.pk == first.pk
    assert (again.organisation, again.granted_by) == (partner, coordinator)
    assert ProjectRole.objects.filter(project=project, user=person).count() == 1


def test_a_second_role_of_the_same_person_is_a_new_row(project, coordinator):
    person = UserFactory()
    project_role_grant(project=project, user=person, role="funder_officer", granted_by=coordinator)
    project_role_grant(project=project, user=person, role="coordinator", granted_by=coordinator)
    assert set(ProjectRole.objects.filter(user=person).values_list("role", flat=True)) == {
        "funder_officer",
        "coordinator",
    }


def test_partner_staff_need_an_organisation_of_the_consortium(project, coordinator):
    person = UserFactory()
    with pytest.raises(ValidationError) as excinfo:
        project_role_grant(project=project, user=person, role="partner_staff", granted_by=coordinator)
    assert "organisation" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        project_role_grant(
            project=project, user=person, role="partner_staff", organisation=OrganisationFactory(), granted_by=None
        )
    assert not ProjectRole.objects.filter(user=person).exists()


def test_a_grant_is_seen_in_the_same_request(project, coordinator):
    """The roles cached on the user object are dropped, so the next check reads the new role."""
    person = UserFactory()
    assert roles_by_project(person) == {}
    project_role_grant(project=project, user=person, role="coordinator", granted_by=coordinator)
    assert roles_by_project(person) == {project.pk: {"coordinator"}}


def test_a_changed_role_keeps_its_row_and_records_who_changed_it(project, coordinator, partner):
    held = ProjectRoleFactory(project=project, role="funder_officer")
    changed = project_role_change(
        project_role=held,
        project=project,
        user=held.user,
        role="partner_staff",
        organisation=partner,
        changed_by=coordinator,
    )
    assert held.role == "funder_officer"  # the object passed in is left as it was
    stored = ProjectRole.objects.get(pk=held.pk)
    assert (changed.pk, stored.role, stored.organisation, stored.granted_by) == (
        held.pk,
        "partner_staff",
        partner,
        coordinator,
    )


def test_a_change_into_a_held_role_is_refused(project, coordinator):
    person = UserFactory()
    ProjectRoleFactory(project=project, user=person, role="coordinator")
    other = ProjectRoleFactory(project=project, user=person, role="funder_officer")
    with pytest.raises(ValidationError):
        project_role_change(
            project_role=other, project=project, user=person, role="coordinator", organisation=None, changed_by=None
        )
    assert ProjectRole.objects.get(pk=other.pk).role == "funder_officer"


def test_a_revoked_role_is_gone_and_revoking_again_changes_nothing(project, coordinator):
    person = UserFactory()
    role = project_role_grant(project=project, user=person, role="coordinator", granted_by=coordinator)
    assert roles_by_project(person) == {project.pk: {"coordinator"}}
    assert project_role_revoke(project_role=role, revoked_by=coordinator) is True
    assert not ProjectRole.objects.filter(user=person).exists()
    assert roles_by_project(person) == {}
    assert project_role_revoke(project_role=role, revoked_by=coordinator) is False


def test_the_bulk_path_inserts_the_roles_as_given(project, partner):
    people = UserFactory.create_batch(2)
    created = project_roles_bulk_create(
        grants=[
            RoleGrant(project=project, user=people[0], role="coordinator"),
            RoleGrant(project=project, user=people[1], role="partner_staff", organisation=partner),
        ]
    )
    assert len(created) == 2
    assert set(ProjectRole.objects.filter(user__in=people).values_list("user", "role", "organisation")) == {
        (people[0].pk, "coordinator", None),
        (people[1].pk, "partner_staff", partner.pk),
    }
