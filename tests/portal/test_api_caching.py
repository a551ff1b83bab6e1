"""API answers kept like the pages (portal/api/caching.py): page cache for anonymous callers, fragments for sessions.

The rest of the suite runs with both off. Here they are on. The tests commit for real (no
test transaction around them): the data versions move once a write commits.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from portal.api.throttling import AddressRateThrottle
from tests.factories import (
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
)
from tests.kept_answers import kept
from tests.query_counts import get_with_queries

pytestmark = pytest.mark.django_db(transaction=True)

PROJECTS = "/api/v1/projects/"
MEETINGS = "/api/v1/meetings/"


@pytest.fixture(autouse=True)
def caches_on(settings):
    with kept(settings, page_seconds=60, fragment_seconds=60):
        yield


def acronyms(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {project["acronym"] for project in response.json()["results"]}


def test_the_second_anonymous_answer_reads_no_database_and_is_the_same():
    kept = ProjectFactory(acronym="KEPT", slug="kept")
    ParticipationFactory(project=kept, organisation=OrganisationFactory(country="IT"))
    for url in (PROJECTS, f"{PROJECTS}?country=IT", MEETINGS, f"{PROJECTS}kept/"):
        first, first_queries = get_with_queries(Client(), url)
        second, second_queries = get_with_queries(Client(), url)
        assert first.status_code == second.status_code == 200, url
        assert first_queries > 0 and second_queries == 0, url
        assert first.content == second.content
        assert first["Content-Type"] == second["Content-Type"] == "application/json"


def test_a_kept_detail_carries_its_etag_and_vary_and_answers_304():
    ProjectFactory(acronym="TAGGED", slug="tagged")
    first = Client().get(f"{PROJECTS}tagged/")
    second, queries = get_with_queries(Client(), f"{PROJECTS}tagged/")
    assert queries == 0
    assert first["ETag"] == second["ETag"] and first["ETag"].startswith('"')
    assert "Accept-Language" in second["Vary"]
    again, queries = get_with_queries(Client(), f"{PROJECTS}tagged/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again["ETag"], queries) == (304, first["ETag"], 0)
    assert "Accept-Language" in Client().get(PROJECTS)["Vary"]


def test_a_write_shows_at_once():
    ProjectFactory(acronym="FIRST")
    assert acronyms(Client().get(PROJECTS)) == {"FIRST"}
    ProjectFactory(acronym="SECOND")
    assert acronyms(Client().get(PROJECTS)) == {"FIRST", "SECOND"}


def test_a_registration_changes_the_free_seats_on_the_next_request():
    # The HTML pages show no seats and ignore registrations; the API's answers must not.
    meeting = MeetingFactory(capacity=5, starts_at=timezone.now() + dt.timedelta(days=5))
    assert Client().get(MEETINGS).json()["results"][0]["free_seats"] == 5
    RegistrationFactory(meeting=meeting)
    assert Client().get(MEETINGS).json()["results"][0]["free_seats"] == 4


def test_languages_hosts_and_addresses_are_kept_apart():
    ProjectFactory(acronym="APART", slug="apart")
    ParticipationFactory(project=ProjectFactory(acronym="ITALIAN"), organisation=OrganisationFactory(country="IT"))
    german = Client().get(f"{PROJECTS}apart/", HTTP_ACCEPT_LANGUAGE="de")
    english = Client().get(f"{PROJECTS}apart/", HTTP_ACCEPT_LANGUAGE="en")
    assert german.json()["consortium"]["text"] != english.json()["consortium"]["text"]
    # The links in the answers are absolute: another host gets its own.
    other_host = Client().get(PROJECTS, HTTP_HOST="localhost").json()["results"][0]["page"]
    assert other_host.startswith("http://localhost/")
    assert Client().get(PROJECTS).json()["results"][0]["page"].startswith("http://testserver/")
    assert acronyms(Client().get(f"{PROJECTS}?country=IT")) == {"ITALIAN"}
    assert acronyms(Client().get(PROJECTS)) == {"APART", "ITALIAN"}


def test_signed_in_callers_neither_get_nor_fill_the_anonymous_answer():
    private = ProjectFactory(acronym="PRIVATE", is_public=False)
    ProjectFactory(acronym="PUBLIC")
    assert acronyms(Client().get(PROJECTS)) == {"PUBLIC"}  # kept now
    insider = Client()
    insider.force_login(ProjectRoleFactory(project=private).user)
    assert acronyms(insider.get(PROJECTS)) == {"PUBLIC", "PRIVATE"}
    assert acronyms(Client().get(PROJECTS)) == {"PUBLIC"}


def test_sessions_share_an_answer_only_with_the_same_visibility(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # the fragment level alone
    private = ProjectFactory(acronym="PRIVATE", is_public=False)
    other = ProjectFactory(acronym="OTHER", is_public=False)
    first, second, outsider = Client(), Client(), Client()
    first.force_login(ProjectRoleFactory(project=private).user)
    second.force_login(ProjectRoleFactory(project=private).user)
    outsider.force_login(ProjectRoleFactory(project=other).user)
    assert acronyms(first.get(PROJECTS)) == {"PRIVATE"}
    response, queries = get_with_queries(second, PROJECTS)
    assert acronyms(response) == {"PRIVATE"}
    assert acronyms(outsider.get(PROJECTS)) == {"OTHER"}
    assert acronyms(Client().get(PROJECTS)) == set()
    # Two queries fewer than without the kept answer: the count and the page of rows.
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    assert get_with_queries(second, PROJECTS)[1] >= queries + 2


def test_kept_answers_still_count_against_the_rate_limit(monkeypatch):
    ProjectFactory()
    monkeypatch.setattr(AddressRateThrottle, "THROTTLE_RATES", {"address": "3/minute"})
    address = "203.0.113.40"
    AddressRateThrottle.cache.delete(f"throttle_address_{address}")
    Client().get(PROJECTS, REMOTE_ADDR="203.0.113.41")  # kept before the limited caller asks
    for _ in range(3):
        assert Client().get(PROJECTS, REMOTE_ADDR=address).status_code == 200
    limited = Client().get(PROJECTS, REMOTE_ADDR=address)
    assert limited.status_code == 429 and limited["Content-Type"] == "application/problem+json"


def test_errors_are_not_kept():
    ProjectFactory(slug="there")
    assert Client().get(f"{PROJECTS}?page=9").status_code == 404
    assert get_with_queries(Client(), f"{PROJECTS}?page=9")[1] > 0
    assert Client().get(f"{PROJECTS}?page_size=0").status_code == 400
