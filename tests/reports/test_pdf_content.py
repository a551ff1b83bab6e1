"""The progress report a funder's AMIF programme officer reads: sections, figures, formats, small numbers.

One world, built once for the module: an EU-funded project with two work packages, their
narratives for the second half of 2025, manual and computed indicators, budget lines in
two currencies with spending over two periods, a piece of press coverage, and meetings
whose sectors and communities are small. Each test lays the report out with WeasyPrint
and reads its text back with pypdf.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from decimal import Decimal

import pytest
from django.utils import translation
from pypdf import PdfReader

from events.models import Meeting, Registration
from projects.models import Project
from projects.pdf_rendering import render_pdf
from reports.content import report_content
from reports.disclosure import Cell
from reports.services.rendering import report_html
from tests.factories import (
    BudgetLineFactory,
    BudgetSpendFactory,
    CommunityFactory,
    DeliverableFactory,
    FundingProgrammeFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgressReportFactory,
    ProjectFactory,
    RegistrationFactory,
    ReportingPeriodFactory,
    UpdateFactory,
    WorkPackageFactory,
    WorkPackageNarrativeFactory,
    aware,
)
from tests.worlds import built_once

pytestmark = pytest.mark.django_db

H1 = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
H2 = (dt.date(2025, 7, 1), dt.date(2025, 12, 31))
SECTIONS = [
    "1. Summary",
    "2. Activities and results per work package",
    "3. Indicators against targets",
    "4. Deliverables and milestones",
    "5. Events and participation",
    "6. Dissemination",
    "7. Budget execution",
    "8. Risks",
    "9. Next period",
]


def _registrations(meeting: Meeting, sector: str, count: int, checked_in: bool = True) -> None:
    for _ in range(count):
        RegistrationFactory(meeting=meeting, sector=sector, checked_in=checked_in)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        programme = FundingProgrammeFactory(eu_funded=True)
        project = ProjectFactory(
            acronym="AMIF-PDF",
            programme=programme,
            grant_agreement="101234567",
            illustrative_note="The grant amount is illustrative.",
        )
        wp1 = WorkPackageFactory(project=project, number=1, title="Management")
        wp2 = WorkPackageFactory(project=project, number=2, title="Communities of Practice")
        h1 = ReportingPeriodFactory(project=project, period_start=H1[0], period_end=H1[1])
        h2 = ReportingPeriodFactory(
            project=project,
            period_start=H2[0],
            period_end=H2[1],
            next_period_plan="Train the facilitators of two more communities.",
            next_period_plan_de="Die Moderierenden zweier weiterer Communities schulen.",
        )
        WorkPackageNarrativeFactory(
            period=h2,
            work_package=wp1,
            activities="Steering committee met twice.",
            activities_de="Der Lenkungsausschuss tagte zweimal.",
            results="Quality plan adopted.",
            risks="Staff turnover at one partner; mitigated by a deputy.",
            risks_de="Personalwechsel bei einem Partner; gemildert durch eine Vertretung.",
        )
        WorkPackageNarrativeFactory(period=h2, work_package=wp2, deviations="Kick-off in Valencia moved to Q1.")
        manual = IndicatorFactory(project=project, code="O1", target=Decimal("40"))
        IndicatorValueFactory(period=h1, indicator=manual, value=Decimal("12"))
        IndicatorValueFactory(period=h2, indicator=manual, value=Decimal("8"))
        IndicatorFactory(
            project=project,
            code="O2",
            name="Participants reached",
            source="participants",
            target=Decimal("100"),
            illustrative_note="Target set for the demo.",
        )
        IndicatorFactory(
            project=project,
            code="O3",
            name="Participants by sector",
            source="participants_by_sector",
            target=Decimal("100"),
        )
        IndicatorFactory(project=project, code="O4", name="Meetings held", source="meetings_held", target=Decimal("10"))
        IndicatorFactory(
            project=project,
            code="R1",
            kind="result",
            name="Deliverables",
            source="deliverables_delivered",
            target=Decimal("4"),
        )
        euro_partner = OrganisationFactory(name="Comune di Ravenna", country="IT")
        swiss_partner = OrganisationFactory(name="Stadt Zürich", country="CH")
        staff = BudgetLineFactory(
            project=project,
            organisation=euro_partner,
            planned=Decimal("100000.00"),
            illustrative_note="Planned amount invented for the demo.",
        )
        travel = BudgetLineFactory(
            project=project, organisation=euro_partner, category="travel", planned=Decimal("2000.00")
        )
        swiss = BudgetLineFactory(
            project=project, organisation=swiss_partner, category="travel", planned=Decimal("5000.00"), currency="CHF"
        )
        BudgetSpendFactory(period=h1, budget_line=staff, amount=Decimal("25000.00"))
        BudgetSpendFactory(period=h2, budget_line=staff, amount=Decimal("12345.67"))
        BudgetSpendFactory(period=h2, budget_line=travel, amount=Decimal("1234.56"))
        BudgetSpendFactory(period=h2, budget_line=swiss, amount=Decimal("1000.00"))
        DeliverableFactory(
            project=project,
            work_package=wp1,
            code="D1.1",
            title="Quality plan",
            due_date=dt.date(2025, 9, 30),
            status="submitted",
            submitted_on=dt.date(2025, 9, 20),
        )
        DeliverableFactory(
            project=project, work_package=wp2, code="D2.1", title="Toolkit", due_date=dt.date(2026, 3, 31)
        )
        UpdateFactory(
            project=project,
            kind="press",
            title="Ravenna welcomes newcomers",
            source="Il Resto del Carlino",
            published_on=dt.date(2025, 10, 2),
        )
        community = CommunityFactory(project=project, name="CoP Ravenna", territory="Ravenna", country="IT")
        for _ in range(7):
            MembershipFactory(community=community, joined_at=aware(2025, 7, 5, 10))
        small = CommunityFactory(project=project, name="CoP Valencia", territory="Valencia", country="ES")
        for _ in range(2):
            MembershipFactory(community=small, joined_at=aware(2025, 7, 5, 10))
        # Held in H2: 3 public-sector and 9 civil-society people (sector 3 is small).
        ravenna = MeetingFactory(
            project=project, community=community, title="CoP Ravenna autumn", starts_at=aware(2025, 10, 14, 10)
        )
        _registrations(ravenna, Registration.Sector.PUBLIC, 3)
        _registrations(ravenna, Registration.Sector.CIVIL_SOCIETY, 9)
        # A small community's meeting: 2 people.
        valencia = MeetingFactory(
            project=project, community=small, title="CoP Valencia start", starts_at=aware(2025, 11, 4, 10)
        )
        _registrations(valencia, Registration.Sector.PRIVATE, 2)
        MeetingFactory(project=project, title="Spring partner meeting", starts_at=aware(2026, 3, 2, 10))
        Meeting.objects.filter(project=project).update(created_at=aware(2025, 1, 10, 9))
        yield project


VERSIONS = itertools.count(1)


def render(project: Project, language: str, period=H2) -> tuple[str, object]:
    report = ProgressReportFactory(
        project=project, period_start=period[0], period_end=period[1], language=language, version=next(VERSIONS)
    )
    html = report_html(report=report, generated_at=aware(2026, 2, 1, 12))
    with translation.override(language):
        content = report_content(report=report, generated_at=aware(2026, 2, 1, 12))
    rendered = render_pdf(html)
    reader = PdfReader(io.BytesIO(rendered.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages), content


def test_sections_follow_the_amif_order_after_a_table_of_contents(db, world):
    text, _content = render(world, "en")
    toc_at = text.index("Contents")
    # In the contents each heading is followed by its page number.
    for heading in SECTIONS:
        assert re.search(re.escape(heading) + r" \d+", text[toc_at:]), heading
    body = text[text.index("1. Summary", text.index("Annex", toc_at)) :]
    positions = [body.index(heading) for heading in SECTIONS]
    assert positions == sorted(positions)


def test_narratives_indicators_budget_and_plan_appear(db, world):
    text, content = render(world, "en")
    assert "Steering committee met twice." in text
    assert "Kick-off in Valencia moved to Q1." in text
    assert "Staff turnover at one partner; mitigated by a deputy." in text  # 8. Risks
    assert "Train the facilitators of two more communities." in text  # 9. Next period
    # O1: 8 in the period, 12 + 8 = 20 cumulative of 40: 50 %.
    assert "O1 People trained in participatory methods" in text
    assert re.search(r"0 40 8 20 50\.0 %", text)
    # O4 meetings held: 2 in the period, 2 in all; R1: one deliverable of four.
    assert re.search(r"Meetings held .*?0 10 2 2 20\.0 %", text)
    # Budget: 25,000 + 12,345.67 of 100,000 = 37.3 %; CHF has its own total.
    assert "€100,000.00 €12,345.67 €37,345.67 37.3 %" in text
    assert "CHF 5,000.00 CHF 1,000.00 CHF 1,000.00 20.0 %" in text
    # The euro partner's total (two lines) and no sum mixing euros and francs.
    assert "€102,000.00 €13,580.23 €38,580.23 37.8 %" in text
    assert "107,000" not in text and "107.000" not in text
    plan = content.plan
    assert plan.period_entered
    (partner_total,) = [t for t in plan.budget.by_partner if t.label == "Comune di Ravenna"]
    assert partner_total.execution == Decimal("37.8")
    assert "Ravenna welcomes newcomers" in text  # 6. Dissemination


def test_without_a_reporting_period_the_plan_sections_say_nothing_was_entered(db, world):
    period = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    text, content = render(world, "en", period=period)
    assert not content.plan.period_entered
    assert "Nothing has been entered for this reporting period yet." in text
    assert "Nothing has been entered for the next period yet." in text


def test_eu_emblem_and_statement_only_when_eu_funded(db, world):
    text_en, _ = render(world, "en")
    text_de, _ = render(world, "de")
    assert "Co-funded by the European Union" in text_en
    assert "Kofinanziert von der Europäischen Union" in text_de
    html = report_html(
        report=ProgressReportFactory(project=world, period_start=H2[0], period_end=H2[1], version=next(VERSIONS)),
        generated_at=aware(2026, 2, 1, 12),
    )
    assert "img/eu-emblem.svg" in html

    world.programme.eu_funded = False
    world.programme.save(update_fields=["eu_funded"])
    text_en, _ = render(world, "en")
    text_de, _ = render(world, "de")
    assert "Co-funded" not in text_en
    assert "Kofinanziert" not in text_de


def test_emblem_is_drawn_to_the_eu_geometry():
    import math
    import xml.etree.ElementTree as ET
    from pathlib import Path

    from django.conf import settings

    root = ET.parse(Path(settings.BASE_DIR) / "static" / "img" / "eu-emblem.svg").getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    assert width / height == 1.5
    assert root.find("s:rect", ns).get("fill").upper() == "#003399"
    group = root.find("s:g", ns)
    assert group.get("fill").upper() == "#FFCC00"
    stars = group.findall("s:polygon", ns)
    assert len(stars) == 12
    for star in stars:
        points = [tuple(map(float, p.split(","))) for p in star.get("points").split()]
        assert len(points) == 10
        cx = sum(x for x, _ in points) / 10
        cy = sum(y for _, y in points) / 10
        assert math.isclose(math.dist((cx, cy), (width / 2, height / 2)), height / 3, rel_tol=1e-3)
        outer = points[0::2]
        assert all(math.isclose(math.dist(p, (cx, cy)), height / 18, rel_tol=1e-3) for p in outer)
        # Upright: the first point straight above the centre.
        assert math.isclose(outer[0][0], cx, abs_tol=1e-2) and outer[0][1] < cy


def test_dates_and_numbers_follow_the_language(db, world):
    text_en, _ = render(world, "en")
    text_de, _ = render(world, "de")
    assert "1 July 2025 – 31 December 2025" in text_en
    assert "01/07/2025 – 31/12/2025" in text_en
    assert "07/01/2025" not in text_en and "12/31/2025" not in text_en
    assert "€12,345.67" in text_en
    assert "1. Juli 2025 – 31. Dezember 2025" in text_de
    assert "01.07.2025 – 31.12.2025" in text_de
    assert "12.345,67 €" in text_de
    assert "37,3 %" in text_de
    assert "Der Lenkungsausschuss tagte zweimal." in text_de  # narratives in the report's language
    assert "Die Moderierenden zweier weiterer Communities schulen." in text_de


def test_illustrative_values_are_marked_with_their_note(db, world):
    text, content = render(world, "en")
    assert "†" in text
    assert "Illustrative values" in text
    assert "The grant amount is illustrative." in text
    assert "Planned amount invented for the demo." in text
    assert "Target set for the demo." in text
    assert {i.note for i in content.illustrative} >= {
        "The grant amount is illustrative.",
        "Planned amount invented for the demo.",
        "Target set for the demo.",
    }


def _cells(value, seen=None):
    """Every disclosed cell reachable from the content."""
    seen = seen if seen is not None else set()
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, Cell):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _cells(item, seen)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _cells(item, seen)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _cells(getattr(value, name), seen)


def test_no_count_of_one_to_four_people_is_shown(db, world):
    text, content = render(world, "en")
    cells = list(_cells(content))
    assert cells, "the report's counts of people are disclosed cells"
    assert not [cell for cell in cells if 0 < cell.value < 5 and not cell.hidden]
    # Public sector 3 and private sector 2 are small: two hidden cells, so civil society's 9 can stay.
    assert "14 registered, 14 attended" in text
    assert "Public sector 1 < 5 0 < 5 < 5 –" in text
    assert "Private sector 1 < 5 0 < 5 < 5 –" in text
    assert "Civil society 1 9 0 9 0 100 %" in text
    # Communities: Valencia's 2 members (and 2 registered) are the only small cell of columns
    # whose totals the report shows, so Ravenna's 7 members and 12 registered are hidden as
    # well (secondary suppression); new members have no total shown, so Ravenna's 7 stays.
    assert "CoP Ravenna Ravenna, Italy < 5 7 1 < 5 < 5 –" in text
    assert "CoP Valencia Valencia, Spain < 5 < 5 1 < 5 < 5 –" in text
    # The computed participant indicator's sector breakdown is suppressed too.
    by_sector = next(i for i in content.plan.indicators if i.code == "O3")
    assert [b.people["in_period"].hidden for b in by_sector.breakdown] == [True, True, False]
    # Every "N registered" / "N attended" in the annex is 0, ≥ 5 or "< 5".
    for match in re.finditer(r"(\S+) (?:registered|attended)", text):
        assert match.group(1) not in {"1", "2", "3", "4"}, match.group(0)


def test_every_people_column_in_the_html_is_disclosed(db, world):
    # The template shows people only through .people cells: no raw registered/attended/members.
    from pathlib import Path

    from django.conf import settings

    for path in (Path(settings.BASE_DIR) / "templates" / "reports" / "pdf").glob("*.html"):
        source = path.read_text()
        assert not re.search(r"\{\{ *\w+\.(registered|attended|waitlisted|members|new_members|no_show)\b", source), path
