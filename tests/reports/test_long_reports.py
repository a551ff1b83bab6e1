"""Reports of about 10 and about 100 pages lay out in both languages, with the plan sections.

The 100-page reports take tens of seconds on the shared test machine, so they are marked
``slow``: they stay in the suite (the full run includes them); ``-m "not slow"`` leaves them
out while iterating.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from events.models import Community, Meeting, Registration
from projects.models import WorkPackage
from projects.pdf_rendering import render_pdf
from projects.plan_models import BudgetLine, Indicator
from reports.models import BudgetSpend, ReportingPeriod, WorkPackageNarrative
from reports.services.rendering import report_html
from tests.factories import (
    FundingProgrammeFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgressReportFactory,
    ProjectFactory,
    UserFactory,
    aware,
)

pytestmark = pytest.mark.django_db

PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
TEXT = "The Community of Practice met with job centres and migrant organisations to agree next steps. " * 4


def build(meetings: int, per_meeting: int):
    project = ProjectFactory(acronym=f"LONG-{meetings}", programme=FundingProgrammeFactory(eu_funded=True))
    organisations = [OrganisationFactory(name=f"Partner {n}") for n in range(8)]
    for organisation in organisations:
        ParticipationFactory(project=project, organisation=organisation)
    wps = WorkPackage.objects.bulk_create(
        WorkPackage(project=project, number=n + 1, title=f"Work package {n + 1}") for n in range(5)
    )
    period = ReportingPeriod.objects.create(
        project=project, period_start=PERIOD[0], period_end=PERIOD[1], next_period_plan=TEXT
    )
    WorkPackageNarrative.objects.bulk_create(
        WorkPackageNarrative(period=period, work_package=wp, activities=TEXT, results=TEXT, risks=TEXT) for wp in wps
    )
    Indicator.objects.bulk_create(
        Indicator(project=project, code=f"O{n}", name=f"Indicator {n}", target=Decimal(50), source=source)
        for n, source in enumerate(["manual", "participants", "participants_by_sector", "meetings_held"])
    )
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(project=project, organisation=o, category=c, planned=Decimal("20000.00"))
        for o in organisations
        for c in ("staff", "travel")
    )
    BudgetSpend.objects.bulk_create(
        BudgetSpend(period=period, budget_line=line, amount=Decimal("1234.56")) for line in lines
    )
    community = Community.objects.create(project=project, name="CoP Long", slug=f"cop-long-{meetings}", territory="T")
    users = [UserFactory() for _ in range(per_meeting)]
    span = (PERIOD[1] - PERIOD[0]).days
    rows = Meeting.objects.bulk_create(
        Meeting(
            project=project,
            community=community if n % 2 else None,
            kind="cop_meeting",
            title=f"Meeting {n}: access to the labour market",
            starts_at=aware(2025, 1, 1, 10) + dt.timedelta(days=span * n // meetings),
            ends_at=aware(2025, 1, 1, 13) + dt.timedelta(days=span * n // meetings),
            city="Ravenna",
            country="IT",
        )
        for n in range(meetings)
    )
    Meeting.objects.filter(project=project).update(created_at=aware(2024, 12, 1))
    Registration.objects.bulk_create(
        Registration(
            meeting=m,
            user=u,
            sector="public",
            status="confirmed",
            created_at=m.starts_at - dt.timedelta(days=3),
            queued_at=m.starts_at - dt.timedelta(days=3),
            checked_in_at=m.starts_at,
        )
        for m in rows
        for u in users
    )
    return project


def render(project, language):
    report = ProgressReportFactory(project=project, period_start=PERIOD[0], period_end=PERIOD[1], language=language)
    rendered = render_pdf(report_html(report=report, generated_at=timezone.now()))
    reader = PdfReader(io.BytesIO(rendered.content))
    return rendered.page_count, " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


@pytest.mark.parametrize("language", ["en", "de"])
def test_ten_page_report(language):
    project = build(meetings=90, per_meeting=3)
    pages, text = render(project, language)
    assert 6 <= pages <= 16
    assert "< 5" in text  # 3 people per meeting
    assert ("1.234,56 €" if language == "de" else "€1,234.56") in text


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "de"])
def test_hundred_page_report(language):
    project = build(meetings=2800, per_meeting=1)
    pages, text = render(project, language)
    assert pages >= 80
    assert ("31.12.2025" if language == "de" else "31/12/2025") in text
