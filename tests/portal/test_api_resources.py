"""The REST API (/api/v1/): each resource answers as the browser would, with the pages' figures and filters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from events.models import Community
from portal.api.throttling import AddressRateThrottle
from portal.resilient_cache import ResilientRedisCache
from projects.models import Deliverable
from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UpdateFactory,
)
from tests.worlds import built_once

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def world(django_db_blocker):
    with built_once(django_db_blocker):
        italian = ProjectFactory(acronym="ITALIA", slug="italia")
        german = ProjectFactory(acronym="DEUTSCH", slug="deutsch")
        private = ProjectFactory(acronym="HIDDEN", slug="hidden", is_public=False)
        italian_partner = OrganisationFactory(name="Comune di Ravenna", country="IT")
        ParticipationFactory(project=italian, organisation=italian_partner)
        ParticipationFactory(project=german)
        # Only in the private project: the directory must not show it to outsiders.
        secret_partner = OrganisationFactory(name="Secret Partner", country="IT")
        ParticipationFactory(project=private, organisation=secret_partner)
        coordinator = ProjectRoleFactory(project=private).user
        soon = timezone.now() + dt.timedelta(days=10)
        meeting = MeetingFactory(project=german, capacity=2, starts_at=soon)
        registrations = [RegistrationFactory(meeting=meeting) for _ in range(2)]
        RegistrationFactory(meeting=meeting, waitlisted=True)
        hidden_meeting = MeetingFactory(project=private, starts_at=soon)
        members_only = CommunityFactory(project=german, visibility=Community.Visibility.MEMBERS)
        public_community = CommunityFactory(project=german)
        sensitive = DeliverableFactory(project=german, dissemination=Deliverable.Dissemination.SENSITIVE)
        public_deliverable = DeliverableFactory(project=german)
        news = UpdateFactory(project=german)
        internal_news = UpdateFactory(project=german, is_public=False)
        yield {
            "italian": italian,
            "german": german,
            "private": private,
            "secret_partner": secret_partner,
            "coordinator": coordinator,
            "meeting": meeting,
            "registrants": [r.user for r in registrations],
            "hidden_meeting": hidden_meeting,
            "members_only": members_only,
            "public_community": public_community,
            "sensitive": sensitive,
            "public_deliverable": public_deliverable,
            "news": news,
            "internal_news": internal_news,
        }


def _results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_projects_hide_private_ones_from_anonymous_visitors(db, client, world):
    slugs = {p["slug"] for p in _results(client.get("/api/v1/projects/"))}
    assert {"italia", "deutsch"} <= slugs
    assert "hidden" not in slugs
    response = client.get("/api/v1/projects/hidden/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_the_coordinator_sees_the_private_project_with_the_browser_session(db, client, world):
    client.force_login(world["coordinator"])
    assert "hidden" in {p["slug"] for p in _results(client.get("/api/v1/projects/"))}
    response = client.get("/api/v1/projects/hidden/")
    assert response.status_code == 200
    assert [p["organisation_name"] for p in response.json()["participations"]] == ["Secret Partner"]


def test_country_filter_returns_the_projects_with_italian_partners(db, client, world):
    assert [p["slug"] for p in _results(client.get("/api/v1/projects/?country=IT"))] == ["italia"]


def test_project_carries_the_consortium_figures_of_the_pages(db, client, world):
    project = client.get("/api/v1/projects/italia/").json()
    assert project["consortium"]["partners"] == 1
    assert project["consortium"]["countries"] == 1
    assert project["consortium"]["text"]
    assert [p["country"] for p in project["participations"]] == ["IT"]


def test_a_bad_filter_is_a_problem_with_the_parameter_named(db, client, world):
    response = client.get("/api/v1/projects/?country=XX&year=abc")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "about:blank"
    assert problem["status"] == 400
    assert problem["title"] == "Bad Request"
    assert problem["detail"]
    assert set(problem["errors"]) == {"country", "year"}


def test_unknown_addresses_and_methods_are_problems(db, client, world):
    missing = client.get("/api/v1/no-such-resource/")
    assert (missing.status_code, missing["Content-Type"]) == (404, PROBLEM)
    assert client.get("/api/v1/projects")["Location"] == "/api/v1/projects/"
    refused = client.post("/api/v1/projects/", {}, content_type="application/json")
    assert (refused.status_code, refused["Content-Type"]) == (405, PROBLEM)
    assert refused.json()["status"] == 405


def test_api_index_points_to_version_one(db, client):
    response = client.get("/api/")
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/"
    assert "projects" in client.get("/api/v1/").json()


def test_details_answer_304_to_a_matching_etag(db, client, world):
    first = client.get("/api/v1/projects/deutsch/")
    etag = first["ETag"]
    assert etag.startswith('"')
    again = client.get("/api/v1/projects/deutsch/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert client.get("/api/v1/projects/deutsch/", HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
    assert client.get("/api/v1/projects/deutsch/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_meetings_show_free_seats_and_waiting_list_never_names(db, client, world):
    meetings = {m["id"]: m for m in _results(client.get("/api/v1/meetings/"))}
    assert world["hidden_meeting"].pk not in meetings
    meeting = meetings[world["meeting"].pk]
    assert (meeting["free_seats"], meeting["waiting_list"]) == (0, 1)
    detail = client.get(f"/api/v1/meetings/{world['meeting'].pk}/")
    for person in world["registrants"]:
        assert person.last_name.encode() not in detail.content
        assert person.email.encode() not in detail.content
    assert client.get(f"/api/v1/meetings/{world['hidden_meeting'].pk}/").status_code == 404


def test_meetings_use_the_calendars_filters_and_a_cursor(db, client, world):
    assert _results(client.get("/api/v1/meetings/?project=deutsch")) != []
    assert _results(client.get("/api/v1/meetings/?kind=conference")) == []
    response = client.get("/api/v1/meetings/?page_size=1")
    assert "next" in response.json() and "count" not in response.json()
    bad = client.get("/api/v1/meetings/?cursor=nonsense")
    assert (bad.status_code, bad["Content-Type"]) == (404, PROBLEM)


def test_organisations_hide_those_only_in_private_projects(db, client, world):
    names = {o["name"] for o in _results(client.get("/api/v1/organisations/?page_size=100"))}
    assert "Comune di Ravenna" in names
    assert "Secret Partner" not in names
    assert client.get(f"/api/v1/organisations/{world['secret_partner'].pk}/").status_code == 404
    client.force_login(world["coordinator"])
    assert client.get(f"/api/v1/organisations/{world['secret_partner'].pk}/").status_code == 200


def test_participations_follow_the_projects_visibility(db, client, world):
    rows = _results(client.get("/api/v1/participations/?page_size=100"))
    assert "hidden" not in {row["project"] for row in rows}
    assert {row["role"] for row in _results(client.get("/api/v1/participations/?project=italia"))} == {"partner"}


def test_communities_deliverables_and_news_as_the_pages_show_them(db, client, world):
    communities = {c["slug"] for c in _results(client.get("/api/v1/communities/?page_size=100"))}
    assert world["public_community"].slug in communities
    assert world["members_only"].slug not in communities
    deliverables = {d["id"] for d in _results(client.get("/api/v1/deliverables/?page_size=100"))}
    assert world["public_deliverable"].pk in deliverables
    assert world["sensitive"].pk not in deliverables
    assert client.get(f"/api/v1/deliverables/{world['sensitive'].pk}/").status_code == 404
    news = {n["id"] for n in _results(client.get("/api/v1/news/?page_size=100"))}
    assert world["news"].pk in news
    assert world["internal_news"].pk not in news


def test_programmes_are_listed(db, client, world):
    short_names = {p["short_name"] for p in _results(client.get("/api/v1/programmes/?page_size=100"))}
    assert world["italian"].programme.short_name in short_names


def test_too_many_requests_from_one_address_are_a_problem(db, client, world, monkeypatch):
    monkeypatch.setattr(AddressRateThrottle, "THROTTLE_RATES", {"address": "2/minute"})
    address = "203.0.113.17"
    AddressRateThrottle.cache.delete(f"throttle_address_{address}")
    for _ in range(2):
        assert client.get("/api/v1/programmes/", REMOTE_ADDR=address).status_code == 200
    limited = client.get("/api/v1/programmes/", REMOTE_ADDR=address)
    assert (limited.status_code, limited["Content-Type"]) == (429, PROBLEM)
    assert int(limited["Retry-After"]) > 0
    # Others are not limited by this address's requests.
    assert client.get("/api/v1/programmes/", REMOTE_ADDR="203.0.113.18").status_code == 200


def test_the_limit_stops_counting_rather_than_failing_when_redis_is_down(db, client, world, monkeypatch):
    monkeypatch.setattr(AddressRateThrottle, "THROTTLE_RATES", {"address": "1/minute"})
    # A port nobody listens on: every cache operation fails and reads as a miss.
    monkeypatch.setattr(AddressRateThrottle, "cache", ResilientRedisCache("redis://127.0.0.1:9/0", {}))
    for _ in range(3):
        assert client.get("/api/v1/programmes/", REMOTE_ADDR="203.0.113.19").status_code == 200


def test_no_person_is_named_in_meetings(db, client, world):
    # The serializer's fields: figures only, nothing about who registered.
    fields = set(_results(client.get("/api/v1/meetings/"))[0])
    assert not fields & {"participants", "registrations", "attendees", "online_link"}
