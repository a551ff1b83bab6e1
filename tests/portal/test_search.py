"""The search page: full-text on PostgreSQL, icontains on SQLite, never beyond what the user may see."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.urls import reverse

from events.models import Community, Meeting
from portal.search.selectors import SEARCH_TYPES, index_name, search, search_queryset, searched_fields
from projects.models import Project
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    UserFactory,
)
from tests.query_counts import queries

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search needs PostgreSQL")

GERMAN_SUMMARY = "Das Projekt verbindet Kommunen und Jobcenter mit den Akteuren des lokalen Arbeitsmarktes."
ENGLISH_SUMMARY = "Cities and job centres open pathways into employment for refugees and migrants."


def found(user, query: str, language: str) -> dict[str, list]:
    return {group.key: group.results for group in search(user, query, language)}


def test_finds_a_project_by_a_word_of_its_summary_in_german_and_english():
    german = ProjectFactory(acronym="TEILHABE", summary=GERMAN_SUMMARY)
    english = ProjectFactory(acronym="EPIC-UP", summary=ENGLISH_SUMMARY)
    ProjectFactory(acronym="OTHER", summary="Nothing in common.")
    anonymous = AnonymousUser()

    assert found(anonymous, "Arbeitsmarktes", "de")["projects"] == [german]
    assert found(anonymous, "refugees", "en")["projects"] == [english]
    assert found(anonymous, "Jobcenter Kommunen", "de")["projects"] == [german]  # every word must match


@on_postgres
def test_stemming_matches_other_forms_of_a_word():
    german = ProjectFactory(summary=GERMAN_SUMMARY)
    english = ProjectFactory(summary=ENGLISH_SUMMARY)
    anonymous = AnonymousUser()

    assert found(anonymous, "Arbeitsmarkt", "de")["projects"] == [german]
    assert found(anonymous, "refugee pathway", "en")["projects"] == [english]
    # English stemming does not know German inflection: the language shown decides.
    assert found(anonymous, "Akteur", "en")["projects"] == []
    assert found(anonymous, "Akteur", "de")["projects"] == [german]


def test_anonymous_visitors_never_see_private_rows():
    public = ProjectFactory(summary="Integration of newcomers in Ravenna.")
    private = ProjectFactory(summary="Integration of newcomers in Ravenna, internal.", is_public=False)
    open_cop = CommunityFactory(project=public, name="Ravenna open circle")
    closed_cop = CommunityFactory(project=public, name="Ravenna inner circle", visibility=Community.Visibility.MEMBERS)
    CommunityFactory(project=private, name="Ravenna private project circle")
    open_meeting = MeetingFactory(project=public, title="Ravenna public evening")
    MeetingFactory(project=public, title="Ravenna partners meeting", audience=Meeting.Audience.PARTNERS)
    MeetingFactory(
        project=public, title="Ravenna members meeting", community=closed_cop, audience=Meeting.Audience.MEMBERS
    )
    MeetingFactory(project=private, title="Ravenna private project meeting")

    results = found(AnonymousUser(), "Ravenna", "en")

    assert results["projects"] == [public]
    assert results["communities"] == [open_cop]
    assert results["meetings"] == [open_meeting]

    member = UserFactory()
    MembershipFactory(community=closed_cop, user=member)
    results = found(member, "Ravenna", "en")
    assert set(results["communities"]) == {open_cop, closed_cop}
    assert len(results["meetings"]) == 2  # now also the members' meeting, still not the partners'
    assert private not in results["projects"]


def test_organisations_are_searched_as_a_public_directory():
    offenbach = OrganisationFactory(name="Stadt Offenbach – Amt für Integration", city="Offenbach")
    # As in the directory: an organisation is found when it works in a project the user may see.
    ParticipationFactory(project=ProjectFactory(), organisation=offenbach)
    OrganisationFactory(name="Caritas Valencia", city="Valencia", country="ES")
    assert found(AnonymousUser(), "Offenbach", "de")["organisations"] == [offenbach]


def test_limit_per_type_and_total_count():
    for n in range(13):
        ProjectFactory(summary=f"Labour market mentoring, cohort {n}.")
    group = next(g for g in search(AnonymousUser(), "mentoring", "en", limit=10) if g.key == "projects")
    assert len(group.results) == 10
    assert group.count == 13


def test_query_count_does_not_grow_with_results(django_user_model):
    member = UserFactory()

    def search_queries() -> int:
        fresh = django_user_model.objects.get(pk=member.pk)  # permission lookups are cached per user object
        with queries() as captured:
            groups = search(fresh, "Ravenna", "de")
            for group in groups:  # what the template reads
                for item in group.results:
                    str(getattr(item, "project", item))
        return len(captured)

    ProjectFactory(summary="Ravenna")
    few = search_queries()
    project = ProjectFactory(summary="Ravenna again")
    for n in range(5):
        community = CommunityFactory(project=project, name=f"Ravenna {n}")
        MeetingFactory(project=project, community=community, title=f"Ravenna meeting {n}")
        OrganisationFactory(name=f"Comune di Ravenna {n}", city="Ravenna", country="IT")
    assert search_queries() == few


def test_fallback_searches_the_fields_the_index_covers():
    # Both languages of a bilingual text, the shown language first (fallback to the other).
    assert searched_fields(Project, "en") == ["acronym", "title", "title_de", "summary", "summary_de"]
    assert searched_fields(Project, "de") == ["acronym", "title_de", "title", "summary_de", "summary"]
    assert searched_fields(Meeting, "en") == ["title", "title_de", "city", "description", "description_de"]
    assert searched_fields(Meeting, "de") == ["title_de", "title", "city", "description_de", "description"]
    assert searched_fields(Community, "de") == ["name_de", "name", "territory", "description_de", "description"]


@pytest.mark.django_db
def test_a_text_given_only_in_german_is_found_and_shown_in_english(client):
    ProjectFactory(acronym="NAQ", title="", title_de="Teilhabe in Ankunftsquartieren stärken")
    response = client.get(reverse("search:results"), {"q": "Ankunftsquartieren"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    # The German title stands in for the missing English one, marked as German for screen readers.
    assert '<span lang="de">Teilhabe in Ankunftsquartieren stärken</span>' in body


def test_page_shows_a_form_and_a_hint_without_a_query(client):
    response = client.get(reverse("search:results"))
    assert response.status_code == 200
    assert b'name="q"' in response.content
    assert b'id="search-hint"' in response.content
    assert not response.context["groups"]


def test_page_groups_results_in_the_language_shown(client):
    ProjectFactory(acronym="TEILHABE", summary=GERMAN_SUMMARY)
    response = client.get(reverse("search:results"), {"q": "Arbeitsmarktes"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert response.context["total"] == 1
    assert "TEILHABE" in response.content.decode()
    assert [g.key for g in response.context["groups"]] == ["projects", "organisations", "communities", "meetings"]


@on_postgres
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("search_type", SEARCH_TYPES, ids=lambda t: t.key)
def test_the_search_query_uses_the_gin_index(search_type, language):
    ProjectFactory(summary=GERMAN_SUMMARY)
    queryset = search_queryset(search_type, AnonymousUser(), "Arbeitsmarkt", language)
    with connection.cursor() as cursor:
        # With a handful of rows every plan is cheap and the planner may walk a foreign-key
        # index instead; leaving it only bitmap scans asks whether the GIN index *can* serve
        # the text condition, which is what this test is about.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        plan = queryset.explain()
    assert index_name(search_type, language) in plan, plan
