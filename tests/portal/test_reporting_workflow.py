"""Reporting periods in the browser: who may open, read, write, submit, acknowledge, return.

Funders never see drafts: not a period never submitted, not a version never submitted,
not in lists, period pages or downloads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import ProjectRole
from reports.models import BudgetSpend, IndicatorValue, ReportingPeriod, ReportingStep, WorkPackageNarrative
from reports.services import workflow
from tests.factories import (
    BudgetLineFactory,
    CommunityFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectRoleFactory,
    UserFactory,
    WorkPackageFactory,
)
from tests.query_counts import count_queries
from tests.worlds import built_once

pytestmark = pytest.mark.django_db

Q1 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
Q2 = (dt.date(2025, 4, 1), dt.date(2025, 6, 30))


def _version(project, period, language="en", version=1, **extra):
    return ProgressReportFactory(
        project=project,
        period_start=period[0],
        period_end=period[1],
        language=language,
        version=version,
        done=True,
        started_at=timezone.now(),
        **extra,
    )


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[SimpleNamespace]:
    with built_once(django_db_blocker):
        project = ProjectFactory(
            acronym="WFLOW",
            slug="wflow",
            is_public=True,
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2026, 12, 31),
        )
        lead = OrganisationFactory()
        ParticipationFactory(project=project, organisation=lead)
        people = {
            name: UserFactory(email=f"{name}@example.org", preferred_language="en")
            for name in ("coordinator", "lead_staff", "staff", "funder", "funder_other", "member")
        }
        ProjectRoleFactory(user=people["coordinator"], project=project)
        ProjectRoleFactory(
            user=people["lead_staff"], project=project, role=ProjectRole.Role.PARTNER_STAFF, organisation=lead
        )
        ProjectRoleFactory(user=people["staff"], project=project, partner_staff=True)
        ProjectRoleFactory(user=people["funder"], project=project, role=ProjectRole.Role.FUNDER_OFFICER)
        ProjectRoleFactory(user=people["funder_other"], role=ProjectRole.Role.FUNDER_OFFICER)
        MembershipFactory(community=CommunityFactory(project=project), user=people["member"])
        people["anonymous"] = None
        led = WorkPackageFactory(project=project, number=1, lead_organisation=lead)
        other_wp = WorkPackageFactory(project=project, number=2, lead_organisation=OrganisationFactory())
        indicator = IndicatorFactory(project=project, code="O1")
        budget_line = BudgetLineFactory(project=project, organisation=lead)

        draft = workflow.reporting_period_open(project=project, period_start=Q1[0], period_end=Q1[1])
        draft_version = _version(project, Q1)
        submitted = workflow.reporting_period_open(project=project, period_start=Q2[0], period_end=Q2[1])
        shown = _version(project, Q2, version=1)
        workflow.reporting_period_submit(period=submitted, reports=[shown], actor=people["coordinator"])
        hidden = _version(project, Q2, version=2)  # made after the submission: a draft
        yield SimpleNamespace(
            project=project,
            people=people,
            led=led,
            other_wp=other_wp,
            indicator=indicator,
            budget_line=budget_line,
            draft=draft,
            draft_version=draft_version,
            submitted=submitted,
            shown=shown,
            hidden=hidden,
        )


@pytest.fixture
def w(built, db) -> SimpleNamespace:
    built.draft.refresh_from_db()
    built.submitted.refresh_from_db()
    return built


def period_url(period) -> str:
    return reverse("reporting:period", kwargs={"slug": period.project.slug, "pk": period.pk})


def reports_url(w) -> str:
    return reverse("workspace:reports", kwargs={"slug": w.project.slug})


def as_(client, w, person):
    client.logout()
    if w.people[person] is not None:
        client.force_login(w.people[person])
    return client


def _status(response) -> int:
    return response.status_code


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and reverse("account_login") in response["Location"]


# --- Seeing the period page -----------------------------------------------------------------


@pytest.mark.parametrize(
    "person, draft, submitted",
    [
        ("coordinator", 200, 200),
        ("lead_staff", 200, 200),
        ("staff", 403, 403),  # partner staff who lead no work package: they know the project
        ("funder", 404, 200),  # never a draft
        ("funder_other", 404, 404),
        ("member", 404, 404),
    ],
)
def test_who_sees_the_period_page(client, w, person, draft, submitted):
    as_(client, w, person)
    assert client.get(period_url(w.draft)).status_code == draft
    assert client.get(period_url(w.submitted)).status_code == submitted


def test_anonymous_visitors_are_sent_to_log_in(client, w):
    for url in (period_url(w.draft), period_url(w.submitted)):
        assert _is_login_redirect(client.get(url))
        assert _is_login_redirect(client.post(url, {"action": "return", "comment": "x"}))
    assert _is_login_redirect(client.post(reverse("reporting:period_open", args=[w.project.slug]), {}))


def test_a_period_of_another_project_is_a_404(client, w):
    as_(client, w, "coordinator")
    other = ReportingPeriod.objects.create(project=ProjectFactory(), period_start=Q1[0], period_end=Q1[1])
    assert client.get(reverse("reporting:period", kwargs={"slug": w.project.slug, "pk": other.pk})).status_code == 404


def test_funders_read_a_submitted_period_and_only_its_submitted_versions(client, w):
    WorkPackageNarrative.objects.create(period=w.submitted, work_package=w.led, activities="Met the funder twice.")
    response = as_(client, w, "funder").get(period_url(w.submitted))
    body = response.content.decode()
    assert [report.pk for report in response.context["versions"]] == [w.shown.pk]
    assert reverse("reporting:download", args=[w.shown.pk]) in body
    assert reverse("reporting:download", args=[w.hidden.pk]) not in body
    assert "Met the funder twice." in body
    context = response.context
    assert context["submit_form"] is None and context["plan_form"] is None and context["indicator_form"] is None
    assert all(row["form"] is None for row in context["packages"])
    assert context["acknowledge_form"] is not None and context["return_form"] is not None


def test_the_coordinator_sees_every_version_and_every_form(client, w):
    response = as_(client, w, "coordinator").get(period_url(w.draft))
    context = response.context
    assert [report.pk for report in context["versions"]] == [w.draft_version.pk]
    assert all(row["form"] is not None for row in context["packages"])
    assert context["submit_form"] is not None and context["acknowledge_form"] is None
    assert "draft, not seen by the funder" in response.content.decode()


def test_lead_partner_staff_edit_their_own_work_package_only(client, w):
    response = as_(client, w, "lead_staff").get(period_url(w.draft))
    forms = {row["package"].pk: row["form"] for row in response.context["packages"]}
    assert forms[w.led.pk] is not None and forms[w.other_wp.pk] is None
    assert response.context["indicator_form"] is None and response.context["submit_form"] is None


# --- Funders never see drafts: lists and downloads ------------------------------------------


def test_the_funders_reports_page_lists_no_drafts(client, w):
    response = as_(client, w, "funder").get(reports_url(w))
    assert [period.pk for period in response.context["periods"]] == [w.submitted.pk]
    assert [report.pk for report in response.context["reports"]] == [w.shown.pk]
    assert response.context["period_form"] is None
    body = response.content.decode()
    assert period_url(w.draft) not in body and period_url(w.submitted) in body
    versions = client.get(reverse("reporting:versions", args=[w.project.slug]))
    assert w.hidden.sha256 not in versions.content.decode() and w.shown.sha256 in versions.content.decode()


def test_the_coordinators_reports_page_lists_everything(client, w):
    response = as_(client, w, "coordinator").get(reports_url(w))
    assert {period.pk for period in response.context["periods"]} == {w.draft.pk, w.submitted.pk}
    assert {report.pk for report in response.context["reports"]} == {w.shown.pk, w.hidden.pk, w.draft_version.pk}
    assert response.context["period_form"] is not None


@pytest.mark.parametrize("report, status", [("shown", None), ("hidden", 404), ("draft_version", 404)])
def test_funders_cannot_download_a_draft(client, w, report, status):
    response = as_(client, w, "funder").get(reverse("reporting:download", args=[getattr(w, report).pk]))
    # The submitted version has no file in this world (404 from the storage), but it is not refused:
    # the refusal of a draft is logged like every refused download.
    from reports.models import ReportDownload

    denied = ReportDownload.objects.filter(report=getattr(w, report), outcome="denied").exists()
    assert denied is (status == 404)
    assert response.status_code == 404


# --- Opening a period -------------------------------------------------------------------------


# The project is public: whoever is signed in sees it, so the refusal is a 403 (portal/access.py).
@pytest.mark.parametrize("person, status", [("funder", 403), ("staff", 403), ("lead_staff", 403), ("member", 403)])
def test_only_coordinators_open_periods(client, w, person, status):
    data = {"open-period": "custom", "open-period_start": "2025-07-01", "open-period_end": "2025-09-30"}
    response = as_(client, w, person).post(reverse("reporting:period_open", args=[w.project.slug]), data)
    assert response.status_code == status
    assert ReportingPeriod.objects.filter(project=w.project).count() == 2


def test_opening_a_period_and_its_errors(client, w):
    as_(client, w, "coordinator")
    url = reverse("reporting:period_open", args=[w.project.slug])
    response = client.post(
        url, {"open-period": "custom", "open-period_start": "2024-07-01", "open-period_end": "2025-09-30"}
    )
    assert response.status_code == 200 and response.context["period_form"].errors
    assert "within the project" in response.content.decode()
    form = client.get(reports_url(w)).context["period_form"]
    response = client.post(url, {"open-period": form.fields["period"].initial})
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(project=w.project, pk__gt=w.submitted.pk)
    assert response["Location"] == period_url(period)
    assert client.get(url).status_code == 405  # POST only


# --- Writing ----------------------------------------------------------------------------------


def _narrative(work_package, **texts):
    data = {"action": "narrative", "work_package": work_package.pk}
    data.update({f"wp{work_package.pk}-{name}": value for name, value in texts.items()})
    return data


@pytest.mark.parametrize(
    "person, own, other",
    [("coordinator", 302, 302), ("lead_staff", 302, 403), ("staff", 403, 403), ("funder", 404, 404)],
)
def test_who_writes_which_narrative(client, w, person, own, other):
    as_(client, w, person)
    assert client.post(period_url(w.draft), _narrative(w.led, activities="Ours.")).status_code == own
    assert client.post(period_url(w.draft), _narrative(w.other_wp, activities="Theirs.")).status_code == other
    written = set(WorkPackageNarrative.objects.filter(period=w.draft).values_list("work_package_id", flat=True))
    assert written == {pk for pk, status in ((w.led.pk, own), (w.other_wp.pk, other)) if status == 302}


def test_nothing_is_written_once_submitted(client, w):
    as_(client, w, "coordinator")
    for data in (
        _narrative(w.led, activities="Late."),
        {"action": "plan", "text": "Late."},
        {"action": "indicators", f"value_{w.indicator.pk}": "3"},
        {"action": "budget", f"amount_{w.budget_line.pk}": "3"},
    ):
        assert client.post(period_url(w.submitted), data).status_code == 403
    assert not WorkPackageNarrative.objects.filter(period=w.submitted).exists()
    assert (
        as_(client, w, "lead_staff").post(period_url(w.submitted), _narrative(w.led, activities="x")).status_code == 403
    )


def test_the_coordinator_enters_figures_and_the_plan(client, w):
    as_(client, w, "coordinator")
    url = period_url(w.draft)
    response = client.post(
        url, {"action": "indicators", f"value_{w.indicator.pk}": "12.5", f"comment_{w.indicator.pk}": "Two trainings"}
    )
    assert response.status_code == 302 and response["Location"] == url
    assert IndicatorValue.objects.get(period=w.draft).value == Decimal("12.5")
    assert client.post(url, {"action": "budget", f"amount_{w.budget_line.pk}": "1000"}).status_code == 302
    assert BudgetSpend.objects.get(period=w.draft).amount == Decimal("1000")
    assert client.post(url, {"action": "plan", "text": "Next: more.", "text_de": "Weiter."}).status_code == 302
    w.draft.refresh_from_db()
    assert (w.draft.next_period_plan, w.draft.next_period_plan_de) == ("Next: more.", "Weiter.")
    # Bad input comes back on the form, nothing written.
    response = client.post(url, {"action": "budget", f"amount_{w.budget_line.pk}": "-5"})
    assert response.status_code == 200 and response.context["budget_form"].errors
    assert BudgetSpend.objects.get(period=w.draft).amount == Decimal("1000")
    assert client.post(url, {"action": "nonsense"}).status_code == 400
    for person in ("lead_staff",):
        as_(client, w, person)
        assert client.post(url, {"action": "plan", "text": "x"}).status_code == 403
        assert client.post(url, {"action": "budget", f"amount_{w.budget_line.pk}": "1"}).status_code == 403


# --- Submitting, returning, acknowledging -----------------------------------------------------


def test_the_full_round_through_the_pages(client, w, django_capture_on_commit_callbacks):
    url = period_url(w.draft)
    as_(client, w, "coordinator")
    client.post(url, _narrative(w.led, activities="Changed after the version."))
    # The version was made before the change: refused, with the reason on the form.
    response = client.post(url, {"action": "submit", "reports": [w.draft_version.pk]})
    assert response.status_code == 200 and "generate a new version first" in response.content.decode()
    assert response.context["submit_form"].errors
    fresh = _version(w.project, Q1, version=2)
    assert client.post(url, {"action": "submit", "reports": [fresh.pk]}).status_code == 302
    assert as_(client, w, "coordinator").post(url, {"action": "submit", "reports": [fresh.pk]}).status_code == 403

    as_(client, w, "funder")
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "return", "comment": "  "})
    assert response.status_code == 200 and response.context["return_form"].errors
    assert "Say what needs to change" in response.content.decode()
    assert client.post(url, {"action": "return", "comment": "Please add the risks of WP1."}).status_code == 302
    # Returned: no more answers until it is submitted again.
    assert client.post(url, {"action": "acknowledge"}).status_code == 403

    response = as_(client, w, "coordinator").get(url)
    assert response.context["funder_comments"].comment == "Please add the risks of WP1."
    assert "The funder returned the report with comments" in response.content.decode()
    client.post(url, _narrative(w.led, risks="Heat in summer."))
    again = _version(w.project, Q1, version=3)
    assert client.post(url, {"action": "submit", "reports": [again.pk]}).status_code == 302

    assert as_(client, w, "funder_other").post(url, {"action": "acknowledge"}).status_code == 404
    assert as_(client, w, "funder").post(url, {"action": "acknowledge", "comment": "Thank you."}).status_code == 302
    w.draft.refresh_from_db()
    assert w.draft.status == "acknowledged"
    trail = [(s.action, s.actor.email) for s in ReportingStep.objects.filter(period=w.draft).select_related("actor")]
    assert trail == [
        ("submitted", "coordinator@example.org"),
        ("returned", "funder@example.org"),
        ("submitted", "coordinator@example.org"),
        ("acknowledged", "funder@example.org"),
    ]
    body = as_(client, w, "coordinator").get(url).content.decode()
    assert "Thank you." in body and "Please add the risks of WP1." in body


@pytest.mark.parametrize("person, status", [("coordinator", 403), ("lead_staff", 403), ("staff", 403)])
def test_only_funders_answer(client, w, person, status):
    as_(client, w, person)
    assert client.post(period_url(w.submitted), {"action": "acknowledge"}).status_code == status
    assert client.post(period_url(w.submitted), {"action": "return", "comment": "x"}).status_code == status
    w.submitted.refresh_from_db()
    assert w.submitted.status == "submitted"


@pytest.mark.parametrize("person, status", [("lead_staff", 403), ("staff", 403), ("funder", 404)])
def test_only_coordinators_submit(client, w, person, status):
    response = as_(client, w, person).post(period_url(w.draft), {"action": "submit", "reports": [w.draft_version.pk]})
    assert response.status_code == status
    w.draft.refresh_from_db()
    assert w.draft.status == "draft"


# --- Query counts -------------------------------------------------------------------------------


def _add_rows(w, n: int, numbers) -> None:
    for _ in range(n):
        number = next(numbers)
        organisation = OrganisationFactory()
        wp = WorkPackageFactory(project=w.project, number=number, lead_organisation=organisation)
        WorkPackageNarrative.objects.create(period=w.submitted, work_package=wp, activities="Done.")
        line = BudgetLineFactory(project=w.project, organisation=organisation)
        BudgetSpend.objects.create(period=w.submitted, budget_line=line, amount=Decimal(5))
        indicator = IndicatorFactory(project=w.project, code=f"X{number}")
        IndicatorValue.objects.create(period=w.submitted, indicator=indicator, value=Decimal(1))


@pytest.mark.parametrize("person", ["coordinator", "funder", "lead_staff"])
def test_the_period_page_query_count_does_not_grow(client, w, person):
    import itertools

    numbers = itertools.count(10)
    as_(client, w, person)
    url = period_url(w.submitted)
    _add_rows(w, 1, numbers)
    few = count_queries(client, url)
    _add_rows(w, 49, numbers)
    many = count_queries(client, url)
    assert few == many <= 30
    assert len(client.get(url).context["packages"]) == 52


def test_the_draft_period_page_query_count_with_forms(client, w):
    import itertools

    numbers = itertools.count(100)
    as_(client, w, "coordinator")
    url = period_url(w.draft)
    few = count_queries(client, url)
    for _ in range(50):
        number = next(numbers)
        WorkPackageFactory(project=w.project, number=number)
        BudgetLineFactory(project=w.project)
        IndicatorFactory(project=w.project, code=f"Y{number}")
    assert count_queries(client, url) == few


def test_lead_partner_staff_find_the_periods_on_the_project_page(client, w):
    url = reverse("workspace:project", kwargs={"slug": w.project.slug})
    body = as_(client, w, "lead_staff").get(url).content.decode()
    assert period_url(w.draft) in body and period_url(w.submitted) in body
    body = as_(client, w, "staff").get(url).content.decode()
    assert period_url(w.draft) not in body


@pytest.mark.parametrize(
    "person", ["coordinator", "lead_staff", "staff", "funder", "funder_other", "member", "anonymous"]
)
def test_the_period_selector_agrees_with_the_permission(w, person):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    from reports.permissions import can_view_reporting_period
    from reports.selectors import visible_reporting_periods

    user = w.people[person]
    user = AnonymousUser() if user is None else get_user_model().objects.get(pk=user.pk)
    expected = {p.pk for p in ReportingPeriod.objects.filter(project=w.project) if can_view_reporting_period(user, p)}
    assert {p.pk for p in visible_reporting_periods(user, w.project)} == expected
