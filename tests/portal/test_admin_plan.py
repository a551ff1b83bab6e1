"""The admin of the reporting plan (indicators, budget lines) and of reporting periods.

A coordinator picks a budget line's partner among the project's participants and an
indicator's work package among the project's; a reporting period's status and steps are
read-only (the workflow services move it on).
"""

from __future__ import annotations

import pytest

from projects.models import BudgetLine, Indicator, Participation, Project
from reports.models import ReportingPeriod
from tests.factories import (
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    ReportingStepFactory,
    UserFactory,
    WorkPackageFactory,
)
from tests.portal.test_admin_pages import _add_inline_row, _inline_formset, _resubmitted, admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    project = ProjectFactory(acronym="PLAN-A", is_public=False)
    other = ProjectFactory(acronym="PLAN-B", is_public=False)
    coordinator = UserFactory(is_staff=True)
    ProjectRoleFactory(user=coordinator, project=project)
    partner = ParticipationFactory(project=project, role=Participation.Role.COORDINATOR).organisation
    outsider = ParticipationFactory(project=other).organisation
    OrganisationFactory()  # in no project at all
    return {
        "project": project,
        "other": other,
        "coordinator": coordinator,
        "partner": partner,
        "outsider": outsider,
        "work_package": WorkPackageFactory(project=project),
        "other_work_package": WorkPackageFactory(project=other),
    }


def _change_page(client, project: Project):
    response = client.get(admin_url(Project, "change", project.pk))
    assert response.status_code == 200
    return response


def test_plan_choices_are_the_projects_own(client, world):
    client.force_login(world["coordinator"])
    response = _change_page(client, world["project"])
    organisations = _inline_formset(response, BudgetLine).form.base_fields["organisation"].queryset
    assert list(organisations) == [world["partner"]]
    work_packages = _inline_formset(response, Indicator).form.base_fields["work_package"].queryset
    assert list(work_packages) == [world["work_package"]]


def test_a_budget_line_for_a_participant_is_saved_and_one_for_an_outsider_refused(client, world):
    client.force_login(world["coordinator"])
    url = admin_url(Project, "change", world["project"].pk)
    for organisation, saved in ((world["outsider"], False), (world["partner"], True)):
        response = _change_page(client, world["project"])
        data = _resubmitted(response)
        _add_inline_row(
            response,
            data,
            BudgetLine,
            {"organisation": str(organisation.pk), "category": "staff", "planned": "1000", "currency": "EUR"},
        )
        answer = client.post(url, data)
        assert (answer.status_code == 302) is saved
        assert BudgetLine.objects.filter(project=world["project"], organisation=organisation).exists() is saved


def test_periods_are_read_only_in_the_admin_and_other_coordinators_get_404(client, world):
    """Periods are opened, written and moved on in the workspace, through the workflow services."""
    period = ReportingStepFactory(period__project=world["project"]).period
    client.force_login(world["coordinator"])
    url = admin_url(ReportingPeriod, "change", period.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["adminform"].form.fields  # every field is shown read-only
    client.post(url, {"status": "acknowledged", "next_period_plan": "Plan"})
    period.refresh_from_db()
    assert (period.status, period.next_period_plan) == (ReportingPeriod.Status.DRAFT, "")
    assert client.get(admin_url(ReportingPeriod, "add")).status_code == 403
    # The steps inline offers no row to add or change.
    steps = [f for f in response.context["inline_admin_formsets"] if f.formset.model.__name__ == "ReportingStep"]
    assert steps and not steps[0].has_add_permission and not steps[0].has_change_permission

    stranger = UserFactory(is_staff=True)
    ProjectRoleFactory(user=stranger, project=world["other"])
    client.force_login(stranger)
    assert client.get(url).status_code == 404
