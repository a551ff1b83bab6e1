"""The database itself refuses bad programmes, projects, consortia, work packages,
deliverables and updates.

Rows are written with ``objects.create()`` (the factories), ``bulk_create()`` or
``update()``, never through ``full_clean()``, so only the database decides.
"""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from projects.models import Deliverable, FundingProgramme, Participation, Project, Update, WorkPackage
from tests.factories import (
    DeliverableFactory,
    FundingProgrammeFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    UpdateFactory,
    WorkPackageFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date


@contextmanager
def refused(model, constraint: str):
    """The block must fail with an IntegrityError from ``constraint`` and leave no row behind."""
    before = model.objects.count()
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        yield
    message = str(excinfo.value)
    # SQLite names the columns of a violated unique index, not the index.
    if not (connection.vendor == "sqlite" and message.startswith("UNIQUE constraint failed")):
        assert constraint in message
    assert model.objects.count() == before


# Funding programme ----------------------------------------------------------------------


def test_programme_short_name_unique():
    FundingProgrammeFactory(short_name="AMIF")
    with refused(FundingProgramme, "projects_fundingprogramme_short_name"):
        FundingProgrammeFactory(short_name="AMIF")


def test_programme_short_name_not_empty():
    with refused(FundingProgramme, "programme_short_name_not_empty"):
        FundingProgrammeFactory(short_name="")


# Project --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields, constraint",
    [
        ({"start_date": D(2024, 1, 1), "end_date": D(2023, 12, 31)}, "project_end_after_start"),
        ({"total_budget": Decimal("-0.01"), "funder_contribution": None}, "project_budget_not_negative"),
        ({"total_budget": None, "funder_contribution": Decimal("-1")}, "project_contribution_not_negative"),
        (
            {"total_budget": Decimal("100000.00"), "funder_contribution": Decimal("100000.01")},
            "project_contribution_within_budget",
        ),
        ({"acronym": ""}, "project_acronym_not_empty"),
        ({"slug": ""}, "project_slug_not_empty"),
    ],
)
def test_project_bad_values_are_refused(fields, constraint):
    programme = FundingProgrammeFactory()
    with refused(Project, constraint):
        ProjectFactory(programme=programme, **fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"start_date": D(2024, 3, 1), "end_date": D(2024, 3, 1)},  # a one-day project
        {"total_budget": Decimal("0"), "funder_contribution": Decimal("0")},
        {"total_budget": Decimal("250000.00"), "funder_contribution": Decimal("250000.00")},
        {"total_budget": None, "funder_contribution": Decimal("90000.00")},  # budget not public
        {"total_budget": Decimal("90000.00"), "funder_contribution": None},
        {"total_budget": None, "funder_contribution": None},
    ],
)
def test_project_edge_values_are_accepted(fields):
    assert ProjectFactory(**fields).pk


def test_project_slug_unique():
    ProjectFactory(slug="epic-up")
    with refused(Project, "projects_project_slug"):
        ProjectFactory(slug="epic-up")


def test_project_moving_the_end_before_the_start_by_update_is_refused():
    project = ProjectFactory(start_date=D(2023, 2, 1), end_date=D(2025, 1, 31))
    with refused(Project, "project_end_after_start"):
        Project.objects.filter(pk=project.pk).update(end_date=D(2023, 1, 31))
    project.refresh_from_db()
    assert project.end_date == D(2025, 1, 31)


def test_project_cutting_the_budget_below_the_contribution_by_update_is_refused():
    project = ProjectFactory(total_budget=Decimal("500000"), funder_contribution=Decimal("450000"))
    with refused(Project, "project_contribution_within_budget"):
        Project.objects.filter(pk=project.pk).update(total_budget=Decimal("400000"))


# Participation --------------------------------------------------------------------------


def test_participation_unique_per_organisation():
    participation = ParticipationFactory()
    with refused(Participation, "participation_unique_organisation"):
        Participation.objects.create(
            project=participation.project,
            organisation=participation.organisation,
            role=Participation.Role.ASSOCIATED,
        )


def test_participation_second_coordinator_is_refused():
    project = ProjectFactory()
    ParticipationFactory(project=project, role=Participation.Role.COORDINATOR)
    with refused(Participation, "participation_one_coordinator"):
        ParticipationFactory(project=project, role=Participation.Role.COORDINATOR)


def test_participation_two_coordinators_in_one_bulk_create_are_refused():
    project = ProjectFactory()
    first, second = OrganisationFactory(), OrganisationFactory()
    with refused(Participation, "participation_one_coordinator"):
        Participation.objects.bulk_create(
            [
                Participation(project=project, organisation=first, role=Participation.Role.COORDINATOR),
                Participation(project=project, organisation=second, role=Participation.Role.COORDINATOR),
            ]
        )


def test_participation_promoting_a_partner_to_second_coordinator_is_refused():
    project = ProjectFactory()
    ParticipationFactory(project=project, role=Participation.Role.COORDINATOR)
    partner = ParticipationFactory(project=project, role=Participation.Role.PARTNER)
    with refused(Participation, "participation_one_coordinator"):
        Participation.objects.filter(pk=partner.pk).update(role=Participation.Role.COORDINATOR)


def test_participation_one_coordinator_in_each_of_two_projects_is_fine():
    organisation = OrganisationFactory()
    ParticipationFactory(organisation=organisation, role=Participation.Role.COORDINATOR)
    ParticipationFactory(organisation=organisation, role=Participation.Role.COORDINATOR)
    ParticipationFactory(role=Participation.Role.COORDINATOR)
    assert Participation.objects.filter(role=Participation.Role.COORDINATOR).count() == 3


def test_participation_one_coordinator_with_many_partners_is_fine():
    project = ProjectFactory()
    ParticipationFactory(project=project, role=Participation.Role.COORDINATOR)
    for role in [Participation.Role.PARTNER, Participation.Role.PARTNER, Participation.Role.ASSOCIATED]:
        ParticipationFactory(project=project, role=role)
    assert project.participations.count() == 4


@pytest.mark.parametrize(
    "fields, constraint",
    [
        ({"role": "lead"}, "participation_role_valid"),
        ({"role": ""}, "participation_role_valid"),
        ({"contribution": Decimal("-0.01")}, "participation_contribution_not_negative"),
        ({"joined_on": D(2024, 1, 1), "left_on": D(2023, 12, 31)}, "participation_left_after_joined"),
    ],
)
def test_participation_bad_values_are_refused(fields, constraint):
    project = ProjectFactory()
    with refused(Participation, constraint):
        ParticipationFactory(project=project, **fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"joined_on": D(2024, 1, 1), "left_on": D(2024, 1, 1)},
        {"joined_on": None, "left_on": D(2024, 1, 1)},
        {"joined_on": D(2024, 1, 1), "left_on": None},
        {"contribution": Decimal("0")},
        {"contribution": None},
    ],
)
def test_participation_edge_values_are_accepted(fields):
    assert ParticipationFactory(**fields).pk


# Work package ---------------------------------------------------------------------------


def test_work_package_number_unique_per_project():
    project = ProjectFactory()
    WorkPackageFactory(project=project, number=2)
    with refused(WorkPackage, "work_package_unique_number"):
        WorkPackageFactory(project=project, number=2)


def test_work_package_same_number_in_another_project_is_fine():
    WorkPackageFactory(number=1)
    WorkPackageFactory(number=1)
    assert WorkPackage.objects.filter(number=1).count() == 2


@pytest.mark.parametrize(
    "fields, constraint",
    [
        # 0 passes the "number >= 0" check of PositiveSmallIntegerField: the model's own
        # constraint has to refuse it.
        ({"number": 0}, "work_package_number_positive"),
        ({"start_date": D(2024, 6, 1), "end_date": D(2024, 5, 31)}, "work_package_end_after_start"),
    ],
)
def test_work_package_bad_values_are_refused(fields, constraint):
    project = ProjectFactory()
    with refused(WorkPackage, constraint):
        WorkPackageFactory(project=project, **fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"number": 1},
        {"start_date": D(2024, 6, 1), "end_date": D(2024, 6, 1)},
        {"start_date": None, "end_date": D(2024, 6, 1)},
        {"start_date": D(2024, 6, 1), "end_date": None},
    ],
)
def test_work_package_edge_values_are_accepted(fields):
    assert WorkPackageFactory(**fields).pk


# Deliverable ----------------------------------------------------------------------------


def test_deliverable_code_unique_per_project():
    project = ProjectFactory()
    DeliverableFactory(project=project, code="D2.1")
    with refused(Deliverable, "deliverable_unique_code"):
        DeliverableFactory(project=project, code="D2.1")


def test_deliverable_same_code_in_another_project_is_fine():
    DeliverableFactory(code="D1.1")
    DeliverableFactory(code="D1.1")
    assert Deliverable.objects.filter(code="D1.1").count() == 2


@pytest.mark.parametrize(
    "fields, constraint",
    [
        ({"code": ""}, "deliverable_code_not_empty"),
        ({"kind": "video"}, "deliverable_kind_valid"),
        ({"dissemination": "confidential"}, "deliverable_dissemination_valid"),
        ({"status": "rejected"}, "deliverable_status_valid"),
        (
            {"status": "in_progress", "submitted_on": D(2024, 6, 30)},
            "deliverable_submitted_date_matches_status",
        ),
    ],
)
def test_deliverable_bad_values_are_refused(fields, constraint):
    project = ProjectFactory()
    with refused(Deliverable, constraint):
        DeliverableFactory(project=project, **fields)


@pytest.mark.parametrize(
    "status, submitted_on, accepted",
    [
        ("planned", None, True),
        ("in_progress", None, True),
        ("submitted", D(2025, 6, 28), True),
        ("approved", D(2025, 6, 28), True),
        ("planned", D(2025, 6, 28), False),
        ("in_progress", D(2025, 6, 28), False),
        ("submitted", None, False),
        ("approved", None, False),
    ],
)
def test_deliverable_submission_date_exactly_when_submitted_or_approved(status, submitted_on, accepted):
    project = ProjectFactory()
    if accepted:
        assert DeliverableFactory(project=project, status=status, submitted_on=submitted_on).pk
    else:
        with refused(Deliverable, "deliverable_submitted_date_matches_status"):
            DeliverableFactory(project=project, status=status, submitted_on=submitted_on)


def test_deliverable_marking_submitted_without_a_date_by_update_is_refused():
    deliverable = DeliverableFactory(status=Deliverable.Status.IN_PROGRESS)
    with refused(Deliverable, "deliverable_submitted_date_matches_status"):
        Deliverable.objects.filter(pk=deliverable.pk).update(status=Deliverable.Status.SUBMITTED)
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.IN_PROGRESS


# Update ---------------------------------------------------------------------------------


def test_update_title_unique_per_project_and_day():
    update = UpdateFactory(title="Study visit to Malmö", published_on=D(2024, 9, 12))
    with refused(Update, "update_unique_title_per_day"):
        UpdateFactory(project=update.project, title="Study visit to Malmö", published_on=D(2024, 9, 12))


def test_update_same_title_on_another_day_or_project_is_fine():
    update = UpdateFactory(title="Newsletter", published_on=D(2024, 9, 1))
    UpdateFactory(project=update.project, title="Newsletter", published_on=D(2024, 10, 1))
    UpdateFactory(title="Newsletter", published_on=D(2024, 9, 1))
    assert Update.objects.filter(title="Newsletter").count() == 3


@pytest.mark.parametrize(
    "fields, constraint",
    [
        ({"kind": "blog"}, "update_kind_valid"),
        ({"title": ""}, "update_title_not_empty"),
    ],
)
def test_update_bad_values_are_refused(fields, constraint):
    project = ProjectFactory()
    with refused(Update, constraint):
        UpdateFactory(project=project, **fields)
