"""A funder's officer sees counts of people from 1 to 4 as "< 5"; the consortium sees them exactly."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events.models import Registration
from projects.models import ProjectRole
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_project():
    project = ProjectFactory(acronym="SMALL-1")
    community = CommunityFactory(project=project, name="CoP Tiny")
    for _ in range(3):
        MembershipFactory(community=community)
    meeting = MeetingFactory(project=project, community=community, title="Tiny meeting")
    for _ in range(3):
        RegistrationFactory(meeting=meeting, sector=Registration.Sector.PUBLIC)
    for _ in range(9):
        RegistrationFactory(meeting=meeting, sector=Registration.Sector.CIVIL_SOCIETY)
    funder, coordinator = UserFactory(), UserFactory()
    ProjectRoleFactory(user=funder, project=project, role=ProjectRole.Role.FUNDER_OFFICER)
    ProjectRoleFactory(user=coordinator, project=project)
    return project, funder, coordinator


def _sector_rows(html: str) -> str:
    return html[html.index("by sector</caption>") :][:1500]


def test_funder_sees_small_counts_suppressed_on_the_project_page(client, small_project):
    project, funder, _coordinator = small_project
    client.force_login(funder)
    html = client.get(reverse("workspace:project", kwargs={"slug": project.slug})).content.decode()
    rows = _sector_rows(html)
    # Public sector 3 is hidden; civil society 9 is hidden with it, since the meeting's 12 is shown.
    assert rows.count("&lt; 5") >= 2
    assert ">3<" not in rows and ">9<" not in rows
    assert ">12<" in html
    communities = html[html.index("communities-caption") :]
    assert "&lt; 5" in communities[:3000]  # 3 active members


def test_coordinator_sees_exact_counts(client, small_project):
    project, _funder, coordinator = small_project
    client.force_login(coordinator)
    html = client.get(reverse("workspace:project", kwargs={"slug": project.slug})).content.decode()
    rows = _sector_rows(html)
    assert ">3<" in rows and ">9<" in rows
    assert "&lt; 5" not in html


def test_funder_dashboard_card_suppresses_small_counts(client, small_project):
    _project, funder, coordinator = small_project
    client.force_login(funder)
    html = client.get(reverse("workspace:dashboard")).content.decode()
    assert "active members: &lt; 5" in html
    client.force_login(coordinator)
    html = client.get(reverse("workspace:dashboard")).content.decode()
    assert "&lt; 5" not in html
