"""Dates a person types are kept to the years 2000–2099, in forms and in the database.

Year 1 typed in Berlin time is stored by PostgreSQL as a date BC that psycopg cannot read
back, so a single coordinator form took every page listing the meeting down; year 9999
overflowed calendar files, time zone conversions and PDFs. Now the form says what is
wrong, and the database refuses what gets past a form.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from events.models import Meeting
from projects import date_bounds
from projects.date_bounds import validate_plausible_date
from projects.models import Deliverable, Project
from reports.services import requesting as report_requesting
from tests.factories import DeliverableFactory, MeetingFactory, ProjectFactory, ProjectRoleFactory
from tests.portal.test_workspace import ws  # noqa: F401  (a fixture)
from tests.portal.test_workspace_coordinator import meeting_data, url

UTC = dt.UTC


@pytest.mark.parametrize(
    "value, ok",
    [
        (dt.date(2000, 1, 1), True),
        (dt.date(2099, 12, 31), True),
        (dt.date(1999, 12, 31), False),
        (dt.date(2100, 1, 1), False),
        (dt.datetime(1, 1, 1, tzinfo=UTC), False),
        (dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC), False),
        (None, True),
    ],
)
def test_the_validator_reads_the_year(value, ok):
    if ok:
        validate_plausible_date(value)
    else:
        with pytest.raises(ValidationError) as error:
            validate_plausible_date(value)
        assert error.value.messages == ["Enter a date between 2000 and 2099."]


def test_the_message_names_the_years_the_rule_uses():
    assert str(date_bounds.FIRST_YEAR) in str(date_bounds.MESSAGE)
    assert str(date_bounds.LAST_YEAR) in str(date_bounds.MESSAGE)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model_factory, field, value",
    [
        (MeetingFactory, "starts_at", dt.datetime(1, 1, 2, tzinfo=UTC)),
        (MeetingFactory, "ends_at", dt.datetime(9999, 12, 31, tzinfo=UTC)),
        (MeetingFactory, "registration_opens_at", dt.datetime(1990, 1, 1, tzinfo=UTC)),
        (ProjectFactory, "start_date", dt.date(1, 1, 1)),
        (ProjectFactory, "end_date", dt.date(9999, 12, 31)),
        (DeliverableFactory, "due_date", dt.date(2150, 1, 1)),
    ],
)
def test_the_database_refuses_what_gets_past_a_form(model_factory, field, value):
    instance = model_factory()
    model = type(instance)
    with pytest.raises(IntegrityError, match=f"{field}_plausible"), transaction.atomic():
        model.objects.filter(pk=instance.pk).update(**{field: value})


@pytest.mark.django_db
@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "9999-12-31T20:00", "2100-01-01T10:00"])
def test_the_meeting_form_explains_a_far_off_date_and_saves_nothing(client, ws, moment):
    client.force_login(ws.users["coordinator"])
    count = Meeting.objects.count()
    response = client.post(
        url("meeting_create", ws.project.slug),
        meeting_data(starts_at=moment, ends_at=moment, timezone="Pacific/Kiritimati"),
    )
    assert response.status_code == 200
    assert "Enter a date between 2000 and 2099." in response.content.decode()
    assert Meeting.objects.count() == count


@pytest.mark.django_db
def test_a_year_one_deadline_in_the_admin_is_a_form_error(admin_client):
    deliverable = DeliverableFactory()
    due = deliverable.due_date
    response = admin_client.get(reverse("admin:projects_deliverable_change", args=[deliverable.pk]))
    assert response.status_code == 200
    data = {key: value for key, value in response.context["adminform"].form.initial.items() if value is not None}
    form = response.context["adminform"].form.__class__(data={**data, "due_date": "0001-01-01"}, instance=deliverable)
    assert not form.is_valid() and "due_date" in form.errors
    assert Deliverable.objects.get(pk=deliverable.pk).due_date == due


@pytest.mark.django_db
def test_a_report_for_a_far_off_period_is_refused():
    role = ProjectRoleFactory()
    with pytest.raises(ValidationError) as error:
        report_requesting.report_request(
            project=role.project,
            actor=role.user,
            language="en",
            period_start=dt.date(1, 1, 1),
            period_end=dt.date(9999, 12, 31),
        )
    assert error.value.message_dict["period_start"] == ["Enter a date between 2000 and 2099."]
    assert not role.project.progress_reports.exists()


@pytest.mark.django_db
def test_the_calendar_explains_a_far_off_date_filter(client):
    MeetingFactory()
    response = client.get(reverse("calendar:list"), {"date_from": "9999-01-01"})
    assert response.status_code == 200
    assert "Enter a date between 2000 and 2099." in response.content.decode()


def test_every_project_is_within_the_years():
    # The rule is the database's: a project outside it cannot exist, so the timeline and
    # the reports never meet year 1 or 9999.
    names = {constraint.name for constraint in Project._meta.constraints}
    assert {"project_start_date_plausible", "project_end_date_plausible"} <= names
