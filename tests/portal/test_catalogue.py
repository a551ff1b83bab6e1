"""The public project catalogue (/projects/) and a project's public page (/projects/<slug>/)."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Community, Meeting
from partners.models import Organisation
from projects.models import Deliverable, Participation
from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    FundingProgrammeFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    UpdateFactory,
    UserFactory,
    WorkPackageFactory,
)
from tests.query_counts import queries

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _BalanceChecker(HTMLParser):
    """A small well-formedness check: every element closed in order, no duplicate ids.

    Not a validator (another test suite adds one); it catches the usual template slips.
    """

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ids: set[str] = set()
        self.errors: list[str] = []

    def _id(self, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id":
                if value in self.ids:
                    self.errors.append(f"duplicate id {value}")
                self.ids.add(value or "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._id(attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._id(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()


def assert_well_formed(html: str) -> None:
    checker = _BalanceChecker()
    checker.feed(html)
    checker.close()
    assert not checker.errors, checker.errors[:5]
    assert not checker.stack, f"unclosed: {checker.stack}"


def running_project(**kwargs):
    """A project that started a year ago and ends in a year, whatever today is."""
    today = timezone.localdate()
    kwargs.setdefault("start_date", today - dt.timedelta(days=365))
    kwargs.setdefault("end_date", today + dt.timedelta(days=365))
    return ProjectFactory(**kwargs)


def listed(response) -> list[str]:
    return [project.acronym for project in response.context["projects"]]


# --- Catalogue filters ----------------------------------------------------------------


def test_catalogue_lists_visible_projects_only(client):
    ProjectFactory(acronym="OPEN")
    ProjectFactory(acronym="SECRET", is_public=False)
    response = client.get(reverse("catalogue:list"))
    assert response.status_code == 200
    assert listed(response) == ["OPEN"]
    assert "SECRET" not in response.content.decode()


def test_catalogue_shows_private_project_to_its_coordinator(client):
    role = ProjectRoleFactory(project=ProjectFactory(acronym="SECRET", is_public=False))
    client.force_login(role.user)
    assert listed(client.get(reverse("catalogue:list"))) == ["SECRET"]


def test_filter_by_partner_country(client):
    italian = ProjectFactory(acronym="WITH-IT")
    ParticipationFactory(project=italian, organisation=OrganisationFactory(country="IT"))
    ParticipationFactory(project=italian, organisation=OrganisationFactory(country="IT"))
    ParticipationFactory(project=ProjectFactory(acronym="ONLY-DE"), organisation=OrganisationFactory(country="DE"))
    response = client.get(reverse("catalogue:list"), {"country": "IT"})
    # Two Italian partners, still one row: the filter is distinct.
    assert listed(response) == ["WITH-IT"]
    # Counts cover the whole consortium, not only the rows the filter joined.
    assert response.context["projects"][0].recorded_partners == 2


def test_filter_by_programme(client):
    amif, esf = FundingProgrammeFactory(short_name="AMIF"), FundingProgrammeFactory(short_name="ESF+")
    ProjectFactory(acronym="A", programme=amif)
    ProjectFactory(acronym="E", programme=esf)
    assert listed(client.get(reverse("catalogue:list"), {"programme": amif.pk})) == ["A"]


def test_filter_by_status(client):
    today = timezone.localdate()
    ProjectFactory(acronym="PLANNED", start_date=today + dt.timedelta(days=30), end_date=today + dt.timedelta(days=400))
    running_project(acronym="RUNNING")
    ProjectFactory(acronym="CLOSED", start_date=dt.date(2015, 1, 1), end_date=dt.date(2017, 12, 31))
    for status in ("planned", "running", "closed"):
        assert listed(client.get(reverse("catalogue:list"), {"status": status})) == [status.upper()]


def test_filter_by_year_finds_projects_active_that_year(client):
    ProjectFactory(acronym="OLD", start_date=dt.date(2015, 1, 1), end_date=dt.date(2017, 12, 31))
    ProjectFactory(acronym="SPAN", start_date=dt.date(2016, 6, 1), end_date=dt.date(2019, 5, 31))
    ProjectFactory(acronym="NEW", start_date=dt.date(2020, 1, 1), end_date=dt.date(2022, 12, 31))
    assert sorted(listed(client.get(reverse("catalogue:list"), {"year": 2017}))) == ["OLD", "SPAN"]
    assert listed(client.get(reverse("catalogue:list"), {"year": 2019})) == ["SPAN"]


def test_filter_by_organisation_kind(client):
    ParticipationFactory(
        project=ProjectFactory(acronym="RESEARCH"), organisation=OrganisationFactory(kind=Organisation.Kind.RESEARCH)
    )
    ParticipationFactory(project=ProjectFactory(acronym="NGO"), organisation=OrganisationFactory())
    assert listed(client.get(reverse("catalogue:list"), {"kind": "research"})) == ["RESEARCH"]


def test_free_text_matches_acronym_title_summary_and_partner_names(client):
    ProjectFactory(acronym="EPIC-UP", title="Empowering cities", summary="Local partnerships")
    ProjectFactory(acronym="VALUES", title="Values of inclusion", summary="Arts and culture")
    partnered = ProjectFactory(acronym="ECCIPA", title="Civic participation", summary="Cities")
    for name in ("Comune di Ravenna", "Ravenna Welcome Desk"):
        ParticipationFactory(project=partnered, organisation=OrganisationFactory(name=name, country="IT"))
    url = reverse("catalogue:list")
    assert listed(client.get(url, {"q": "epic"})) == ["EPIC-UP"]
    assert listed(client.get(url, {"q": "inclusion"})) == ["VALUES"]
    assert listed(client.get(url, {"q": "arts and"})) == ["VALUES"]
    # Two matching partners, one row.
    assert listed(client.get(url, {"q": "ravenna"})) == ["ECCIPA"]


def test_invalid_filter_shows_nothing_and_an_error(client):
    ProjectFactory()
    response = client.get(reverse("catalogue:list"), {"status": "bogus"})
    assert response.status_code == 200
    assert listed(response) == []
    assert response.context["filter"].form.errors


def test_pagination_keeps_the_filters(client):
    programme = FundingProgrammeFactory(short_name="AMIF")
    for _ in range(25):
        ProjectFactory(programme=programme)
    ProjectFactory(acronym="OTHER")
    response = client.get(reverse("catalogue:list"), {"programme": programme.pk, "q": "include"})
    assert len(response.context["projects"]) == 20
    body = response.content.decode()
    assert f'href="?programme={programme.pk}&amp;q=include&amp;page=2"' in body
    second = client.get(reverse("catalogue:list"), {"programme": programme.pk, "q": "include", "page": 2})
    assert len(second.context["projects"]) == 5
    assert "OTHER" not in listed(second)
    assert f'href="?programme={programme.pk}&amp;q=include&amp;page=1"' in second.content.decode()


def test_card_shows_partner_and_country_counts(client):
    project = ProjectFactory(acronym="EPI")
    for country in ("DE", "IT", "IT"):
        ParticipationFactory(project=project, organisation=OrganisationFactory(country=country))
    ParticipationFactory(
        project=project, role=Participation.Role.ADVISORY, organisation=OrganisationFactory(country="FR")
    )
    row = client.get(reverse("catalogue:list")).context["projects"][0]
    assert (row.recorded_partners, row.recorded_countries) == (3, 2)


def test_catalogue_query_count_does_not_grow(client, django_assert_max_num_queries):
    def make() -> None:
        project = ProjectFactory()
        ParticipationFactory(project=project, organisation=OrganisationFactory(country="IT"))

    make()
    with queries() as one:
        assert client.get(reverse("catalogue:list")).status_code == 200
    for _ in range(49):
        make()
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("catalogue:list"))
    assert len(response.context["projects"]) == 20
    # COUNT for the paginator, the page, and the programme and country choices of the form.
    assert len(one.captured_queries) == 4


def test_filtered_catalogue_reads_the_country_choices_once(client, django_assert_num_queries):
    for n in range(3):
        project = running_project(acronym=f"IT-{n}")
        ParticipationFactory(project=project, organisation=OrganisationFactory(country="IT", name=f"Partner {n}"))
    query = {"country": "IT", "kind": Organisation.Kind.NGO, "status": "running", "q": "partner"}
    # Validating the country and rendering the form share one read of the choices.
    with django_assert_num_queries(4):
        response = client.get(reverse("catalogue:list"), query)
    assert response.status_code == 200


# --- Project page ---------------------------------------------------------------------


def test_private_project_is_404_for_anonymous_and_outsiders(client):
    project = ProjectFactory(is_public=False, acronym="SECRET")
    url = reverse("catalogue:detail", kwargs={"slug": project.slug})
    assert client.get(url).status_code == 404
    outsider = ProjectRoleFactory().user  # coordinator of another project
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(ProjectRoleFactory(project=project).user)
    response = client.get(url)
    assert response.status_code == 200
    assert "SECRET" in response.content.decode()


def test_unknown_slug_is_404(client):
    assert client.get(reverse("catalogue:detail", kwargs={"slug": "nothing-here"})).status_code == 404


def test_project_page_facts_and_consortium(client):
    project = running_project(acronym="EPIC-UP", grant_agreement="101123456")
    coordinator = OrganisationFactory(name="Stadt Offenbach", country="DE")
    ParticipationFactory(project=project, organisation=coordinator, role=Participation.Role.COORDINATOR)
    ParticipationFactory(project=project, organisation=OrganisationFactory(name="Comune di Ravenna", country="IT"))
    valencia = OrganisationFactory(name="Ajuntament de València", country="ES")
    ParticipationFactory(project=project, organisation=valencia)
    response = client.get(reverse("catalogue:detail", kwargs={"slug": project.slug}))
    body = response.content.decode()
    assert "101123456" in body and "EUR 500,000" in body and "EUR 450,000" in body
    assert "Coordinator / lead partner" in body and "Stadt Offenbach" in body
    assert "(24 months)" in body or "(25 months)" in body
    assert_well_formed(body)


def test_country_chart_lists_each_country(client):
    project = running_project()
    for country in ("DE", "DE", "IT", "ES"):
        ParticipationFactory(project=project, organisation=OrganisationFactory(country=country))
    body = client.get(reverse("catalogue:detail", kwargs={"slug": project.slug})).content.decode()
    chart = body[body.index('<svg class="country-chart"') :]
    chart = chart[: chart.index("</svg>")]
    assert 'role="img"' in chart and "<title" in chart
    assert chart.count('class="country-bar"') == 3
    for name in ("Germany", "Italy", "Spain"):
        assert name in chart
    assert "Germany: 2 organisations" in chart


def test_timeline_has_a_bar_per_work_package_and_marks_late_deliverables(client):
    today = timezone.localdate()
    project = running_project()
    wp1 = WorkPackageFactory(project=project, number=1, title="Management")
    WorkPackageFactory(project=project, number=2, title="Communities")
    WorkPackageFactory(project=project, number=3, title="Dissemination")
    DeliverableFactory(project=project, work_package=wp1, code="D1.1", due_date=today - dt.timedelta(days=30))
    DeliverableFactory(project=project, work_package=wp1, code="D1.2", due_date=today + dt.timedelta(days=30))
    DeliverableFactory(project=project, code="D9.1", due_date=today - dt.timedelta(days=60), submitted=True)
    body = client.get(reverse("catalogue:detail", kwargs={"slug": project.slug})).content.decode()
    svg = body[body.index('<svg class="timeline"') :]
    svg = svg[: svg.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count('class="timeline-bar"') == 3
    assert svg.count("<polygon") == 3
    # Late in colour and in text; the submitted one is not late though it is overdue.
    assert svg.count("timeline-deliverable is-late") == 1
    assert ">D1.1 late</text>" in svg and "D9.1 late" not in svg
    assert 'class="timeline-today"' in svg
    assert ">M1<" in svg and ">M7<" in svg and ">M13<" in svg and ">M2<" not in svg
    assert ">Other<" in svg  # the deliverable without a work package gets its own row
    assert '<span class="flag flag-late">late</span>' in body


def test_timeline_escapes_titles(client):
    project = running_project()
    WorkPackageFactory(project=project, number=1, title="<script>alert(1)</script>")
    body = client.get(reverse("catalogue:detail", kwargs={"slug": project.slug})).content.decode()
    assert "<script>alert(1)" not in body


def test_sensitive_deliverables_hidden_from_visitors_shown_to_consortium(client):
    project = running_project()
    DeliverableFactory(project=project, code="D1.1", title="Public toolkit", url="https://example.org/toolkit.pdf")
    DeliverableFactory(project=project, code="D1.2", title="Internal evaluation", dissemination="sensitive")
    DeliverableFactory(project=project, code="D1.3", title="Not yet written")
    url = reverse("catalogue:detail", kwargs={"slug": project.slug})
    body = client.get(url).content.decode()
    assert "Public toolkit" in body and "Internal evaluation" not in body
    assert 'href="https://example.org/toolkit.pdf"' in body
    assert body.count(">Download<span") == 1  # only the one with a file or link
    client.force_login(ProjectRoleFactory(project=project, funder_officer=True).user)
    assert "Internal evaluation" in client.get(url).content.decode()


def test_uploaded_file_links_to_the_permission_checked_view(client, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = str(tmp_path)
    project = running_project()
    deliverable = DeliverableFactory(project=project, submitted=True)
    deliverable.file.save("toolkit.pdf", ContentFile(b"%PDF-1.4"))
    body = client.get(reverse("catalogue:detail", kwargs={"slug": project.slug})).content.decode()
    assert reverse("workspace:deliverable_file", kwargs={"pk": deliverable.pk}) in body


def test_communities_meetings_and_updates_respect_visibility(client):
    now = timezone.now()
    project = running_project()
    CommunityFactory(project=project, name="Open CoP Ravenna")
    hidden = CommunityFactory(project=project, name="Closed CoP Gent", visibility=Community.Visibility.MEMBERS)
    MeetingFactory(project=project, title="Next open workshop", starts_at=now + dt.timedelta(days=10))
    MeetingFactory(project=project, title="Last year's kick-off", starts_at=now - dt.timedelta(days=300))
    MeetingFactory(
        project=project, title="Partners only", audience=Meeting.Audience.PARTNERS, starts_at=now + dt.timedelta(days=5)
    )
    MeetingFactory(
        project=project,
        title="Members session",
        community=hidden,
        audience=Meeting.Audience.MEMBERS,
        starts_at=now + dt.timedelta(days=6),
    )
    UpdateFactory(project=project, title="Older news", published_on=dt.date(2025, 3, 1))
    UpdateFactory(project=project, title="Newer news", published_on=dt.date(2025, 9, 1))
    UpdateFactory(project=project, title="Draft news", is_public=False)
    response = client.get(reverse("catalogue:detail", kwargs={"slug": project.slug}))
    body = response.content.decode()
    assert "Open CoP Ravenna" in body and "Closed CoP Gent" not in body
    assert [m.title for m in response.context["page"].upcoming_meetings] == ["Next open workshop"]
    assert [m.title for m in response.context["page"].past_meetings] == ["Last year's kick-off"]
    assert "Partners only" not in body and "Members session" not in body
    assert body.index("Newer news") < body.index("Older news")
    assert "Draft news" not in body


def _fill_project(project, n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        wp = WorkPackageFactory(project=project, number=i + 1)
        DeliverableFactory(project=project, work_package=wp, code=f"D{i + 1}.1", due_date=today - dt.timedelta(days=i))
        ParticipationFactory(project=project, organisation=OrganisationFactory(country=["DE", "IT", "ES"][i % 3]))
        community = CommunityFactory(project=project)
        MeetingFactory(project=project, community=community, starts_at=timezone.now() + dt.timedelta(days=i - n // 2))
        UpdateFactory(project=project)


@pytest.mark.parametrize("as_coordinator", [False, True], ids=["anonymous", "coordinator"])
def test_project_page_query_count_is_constant(client, django_assert_num_queries, as_coordinator):
    small, large = running_project(), running_project()
    _fill_project(small, 1)
    _fill_project(large, 50)
    if as_coordinator:
        user = UserFactory()
        ProjectRoleFactory(project=small, user=user)
        ProjectRoleFactory(project=large, user=user)
        client.force_login(user)
    with queries() as one:
        assert client.get(reverse("catalogue:detail", kwargs={"slug": small.slug})).status_code == 200
    # Project, consortium, meetings, work packages, deliverables, communities, updates; a
    # logged-in person adds user, project roles and memberships (the session is in the cache).
    assert len(one.captured_queries) == (10 if as_coordinator else 7)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("catalogue:detail", kwargs={"slug": large.slug}))
    assert len(response.context["deliverables"]) == 50
    assert response.content.decode().count('class="timeline-bar"') == 50


# --- Language and markup --------------------------------------------------------------


def test_lang_attribute_and_german_rendering(client):
    project = running_project(acronym="TEILHABE", total_budget=1234567, funder_contribution=1000000)
    ParticipationFactory(project=project, organisation=OrganisationFactory(country="IT"))
    DeliverableFactory(project=project, due_date=timezone.localdate() - dt.timedelta(days=3))
    url = reverse("catalogue:detail", kwargs={"slug": project.slug})
    english = client.get(url).content.decode()
    assert '<html lang="en">' in english and "1,234,567" in english
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="de">' in german
    assert "1.234.567" in german  # German thousands separator
    assert "Italien" in german  # country names in German
    listing = client.get(reverse("catalogue:list"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="de">' in listing


@pytest.mark.parametrize("url_name", ["home", "catalogue:list", "catalogue:detail"])
def test_pages_are_well_formed(client, url_name):
    project = running_project(acronym="EPIC-UP")
    _fill_project(project, 3)
    DeliverableFactory(project=project, code="D9.9", dissemination=Deliverable.Dissemination.PUBLIC)
    kwargs = {"slug": project.slug} if url_name == "catalogue:detail" else {}
    response = client.get(reverse(url_name, kwargs=kwargs), {"page": 1} if url_name == "catalogue:list" else {})
    assert response.status_code == 200
    assert_well_formed(response.content.decode())
