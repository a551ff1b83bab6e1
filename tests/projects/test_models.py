"""Values the project models derive: status, project months, late deliverables, and
the deliverable's own validation."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects.models import Deliverable, Project
from tests.factories import DeliverableFactory, ProjectFactory, WorkPackageFactory

D = dt.date

# Project status ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "today, status",
    [
        (D(2023, 1, 31), "planned"),
        (D(2023, 2, 1), "running"),  # the first day counts as running
        (D(2024, 6, 15), "running"),
        (D(2025, 1, 31), "running"),  # and so does the last
        (D(2025, 2, 1), "closed"),
    ],
)
def test_project_status_on(today, status):
    project = ProjectFactory.build(start_date=D(2023, 2, 1), end_date=D(2025, 1, 31))
    assert project.status_on(today) == status


@pytest.mark.parametrize(
    "start, end, status, label",
    [
        (1, 30, Project.Status.PLANNED, "planned"),
        (-30, 30, Project.Status.RUNNING, "running"),
        (-60, -1, Project.Status.CLOSED, "closed"),
    ],
)
def test_project_status_uses_the_local_date(start, end, status, label):
    today = timezone.localdate()
    project = ProjectFactory.build(start_date=today + dt.timedelta(days=start), end_date=today + dt.timedelta(days=end))
    assert project.status == status
    assert project.get_status_display() == label


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today, running, planned, closed",
    [
        (D(2022, 12, 31), set(), {"A", "B", "C"}, set()),
        (D(2023, 1, 1), {"A"}, {"B", "C"}, set()),
        (D(2023, 12, 31), {"A"}, {"B", "C"}, set()),
        (D(2024, 1, 1), {"B"}, {"C"}, {"A"}),
        (D(2024, 6, 30), {"B", "C"}, set(), {"A"}),
        (D(2026, 1, 1), set(), set(), {"A", "B", "C"}),
    ],
)
def test_project_queryset_status_filters(today, running, planned, closed):
    ProjectFactory(acronym="A", start_date=D(2023, 1, 1), end_date=D(2023, 12, 31))
    ProjectFactory(acronym="B", start_date=D(2024, 1, 1), end_date=D(2025, 12, 31))
    ProjectFactory(acronym="C", start_date=D(2024, 6, 30), end_date=D(2024, 6, 30))

    def acronyms(queryset):
        return set(queryset.values_list("acronym", flat=True))

    assert acronyms(Project.objects.running(today=today)) == running
    assert acronyms(Project.objects.planned(today=today)) == planned
    assert acronyms(Project.objects.closed(today=today)) == closed
    for status, expected in [("running", running), ("planned", planned), ("closed", closed)]:
        assert acronyms(Project.objects.with_status(status, today=today)) == expected
    # The filters in the database and status_on() in Python agree on every project.
    for project in Project.objects.all():
        assert project.acronym in {"running": running, "planned": planned, "closed": closed}[project.status_on(today)]


@pytest.mark.django_db
def test_project_queryset_status_filters_default_to_today():
    today = timezone.localdate()
    day, year = dt.timedelta(days=1), dt.timedelta(days=365)
    running = ProjectFactory(start_date=today, end_date=today + year)
    planned = ProjectFactory(start_date=today + day, end_date=today + year)
    closed = ProjectFactory(start_date=today - year, end_date=today - day)
    assert list(Project.objects.running()) == [running]
    assert list(Project.objects.planned()) == [planned]
    assert list(Project.objects.closed()) == [closed]


# Project months ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, label",
    [
        (D(2020, 12, 1), "M1"),  # the start day
        (D(2020, 12, 31), "M1"),  # still the month the project starts
        (D(2021, 1, 1), "M2"),  # across the turn of the year
        (D(2021, 5, 31), "M6"),
        (D(2021, 11, 30), "M12"),
        (D(2021, 12, 1), "M13"),
        (D(2023, 11, 30), "M36"),
    ],
)
def test_project_month_label(day, label):
    project = ProjectFactory.build(start_date=D(2020, 12, 1), end_date=D(2023, 11, 30))
    assert project.month_label(day) == label


def test_project_month_label_counts_calendar_months_not_days_from_a_mid_month_start():
    project = ProjectFactory.build(start_date=D(2024, 3, 15), end_date=D(2026, 3, 14))
    assert project.month_label(D(2024, 3, 31)) == "M1"
    assert project.month_label(D(2024, 4, 1)) == "M2"
    assert project.duration_months == 25


def test_project_duration_months():
    project = ProjectFactory.build(start_date=D(2020, 12, 1), end_date=D(2023, 11, 30))
    assert project.duration_months == 36


@pytest.mark.parametrize("due, label", [(D(2021, 5, 31), "M6"), (D(2020, 12, 15), "M1"), (D(2023, 11, 30), "M36")])
def test_deliverable_due_month(due, label):
    project = ProjectFactory.build(start_date=D(2020, 12, 1), end_date=D(2023, 11, 30))
    deliverable = DeliverableFactory.build(project=project, due_date=due)
    assert deliverable.due_month == label


def test_deliverable_factory_is_due_in_m6():
    deliverable = DeliverableFactory.build(project=ProjectFactory.build(start_date=D(2020, 12, 1)))
    assert deliverable.due_date == D(2021, 5, 31)
    assert deliverable.due_month == "M6"


# Late deliverables ------------------------------------------------------------------------

DUE = D(2025, 6, 30)


@pytest.mark.parametrize(
    "status, submitted_on, today, late",
    [
        ("planned", None, D(2025, 7, 1), True),
        ("in_progress", None, D(2025, 7, 1), True),
        ("planned", None, D(2026, 1, 1), True),
        ("planned", None, DUE, False),  # due today is not late yet
        ("in_progress", None, D(2025, 6, 1), False),
        ("submitted", D(2025, 8, 15), D(2025, 9, 1), False),  # submitted late, but submitted
        ("approved", D(2025, 8, 15), D(2025, 9, 1), False),
        ("submitted", D(2025, 6, 1), D(2025, 7, 1), False),
    ],
)
def test_deliverable_is_late_on(status, submitted_on, today, late):
    deliverable = DeliverableFactory.build(
        project=ProjectFactory.build(), due_date=DUE, status=status, submitted_on=submitted_on
    )
    assert deliverable.is_late_on(today) is late


def test_deliverable_is_late_uses_the_local_date():
    today = timezone.localdate()
    project = ProjectFactory.build()
    assert DeliverableFactory.build(project=project, due_date=today - dt.timedelta(days=1)).is_late
    assert not DeliverableFactory.build(project=project, due_date=today).is_late


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today, expected",
    [
        (D(2025, 6, 29), set()),
        (DUE, set()),
        (D(2025, 7, 1), {"D1.1", "D1.2"}),
        (D(2025, 8, 1), {"D1.1", "D1.2", "D1.5"}),
    ],
)
def test_deliverable_queryset_late(today, expected):
    project = ProjectFactory()
    DeliverableFactory(project=project, code="D1.1", due_date=DUE, status="planned")
    DeliverableFactory(project=project, code="D1.2", due_date=DUE, status="in_progress")
    DeliverableFactory(project=project, code="D1.3", due_date=DUE, submitted=True)
    DeliverableFactory(project=project, code="D1.4", due_date=DUE, approved=True)
    DeliverableFactory(project=project, code="D1.5", due_date=D(2025, 7, 31), status="planned")
    late = Deliverable.objects.late(today)
    assert set(late.values_list("code", flat=True)) == expected
    # The queryset and is_late_on() agree.
    assert {d.code for d in Deliverable.objects.all() if d.is_late_on(today)} == expected


@pytest.mark.django_db
def test_deliverable_queryset_late_defaults_to_today():
    today = timezone.localdate()
    project = ProjectFactory()
    overdue = DeliverableFactory(project=project, due_date=today - dt.timedelta(days=1))
    DeliverableFactory(project=project, due_date=today)
    DeliverableFactory(project=project, due_date=today - dt.timedelta(days=1), submitted=True)
    assert list(Deliverable.objects.late()) == [overdue]


# Delivered deliverables -------------------------------------------------------------------


@pytest.mark.django_db
def test_delivered_means_submitted_or_approved_in_the_model_and_the_queryset():
    project = ProjectFactory()
    DeliverableFactory(project=project, code="D1.1", status="planned")
    DeliverableFactory(project=project, code="D1.2", status="in_progress")
    DeliverableFactory(project=project, code="D1.3", submitted=True)
    DeliverableFactory(project=project, code="D1.4", approved=True)
    assert set(Deliverable.DELIVERED) == {Deliverable.Status.SUBMITTED, Deliverable.Status.APPROVED}
    assert set(Deliverable.objects.delivered().values_list("code", flat=True)) == {"D1.3", "D1.4"}
    # The queryset and the property agree.
    assert {d.code for d in Deliverable.objects.all() if d.is_delivered} == {"D1.3", "D1.4"}


# Deliverable.clean() ----------------------------------------------------------------------


@pytest.mark.django_db
def test_deliverable_clean_refuses_a_work_package_of_another_project():
    project = ProjectFactory()
    foreign_work_package = WorkPackageFactory()
    deliverable = DeliverableFactory.build(project=project, work_package=foreign_work_package)
    with pytest.raises(ValidationError) as excinfo:
        deliverable.clean()
    assert set(excinfo.value.message_dict) == {"work_package"}
    with pytest.raises(ValidationError):
        deliverable.full_clean()


@pytest.mark.django_db
def test_deliverable_clean_accepts_its_own_project_work_package_or_none():
    project = ProjectFactory()
    work_package = WorkPackageFactory(project=project)
    DeliverableFactory.build(project=project, work_package=work_package).full_clean()
    DeliverableFactory.build(project=project, work_package=None).full_clean()
