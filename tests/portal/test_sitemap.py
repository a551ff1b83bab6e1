"""sitemap.xml and robots.txt: only the pages an anonymous visitor can open."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from events.models import Community, Meeting
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
)
from tests.query_counts import queries

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def world():
    public = ProjectFactory(acronym="OPEN")
    private = ProjectFactory(acronym="SECRET", is_public=False)
    ParticipationFactory(project=public, organisation=OrganisationFactory(name="Public partner"))
    hidden = ParticipationFactory(project=private, organisation=OrganisationFactory(name="Hidden partner")).organisation
    open_community = CommunityFactory(project=public)
    closed_community = CommunityFactory(project=public, visibility=Community.Visibility.MEMBERS)
    meeting = MeetingFactory(project=public, community=open_community)
    MeetingFactory(project=public, audience=Meeting.Audience.PARTNERS)
    MeetingFactory(project=public, community=closed_community)
    MeetingFactory(project=private)
    return {"private": private, "hidden": hidden, "closed": closed_community, "meeting": meeting}


def sitemap_paths(client: Client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [urlsplit(loc.text).path for loc in root.findall("sm:url/sm:loc", NS)]


def test_every_listed_page_answers_200_to_an_anonymous_visitor(client, world):
    paths = sitemap_paths(client)
    assert len(paths) == len(set(paths)), "each page once: the language is a cookie, not an address"
    anonymous = Client()
    for path in paths:
        assert anonymous.get(path).status_code == 200, path


def test_it_lists_the_public_pages_and_nothing_private(client, world):
    paths = sitemap_paths(client)
    for name in ("home", "catalogue:list", "directory:list", "calendar:list", "opendata:page", "legal:imprint"):
        assert reverse(name) in paths
    assert reverse("calendar:meeting", args=[world["meeting"].pk]) in paths
    assert reverse("catalogue:detail", args=[world["private"].slug]) not in paths
    assert reverse("directory:detail", args=[world["hidden"].pk]) not in paths
    assert reverse("calendar:community", args=[world["closed"].slug]) not in paths
    # Public meeting, public community, public project, its partner's page: one each.
    assert sum(path.startswith("/meetings/") and path != reverse("calendar:list") for path in paths) == 1
    assert sum(path.startswith("/organisations/") and path != reverse("directory:list") for path in paths) == 1


def test_a_signed_in_visitor_gets_the_same_public_sitemap(client, world, django_user_model):
    anonymous = sitemap_paths(client)
    client.force_login(django_user_model.objects.create_user(email="x@example.org", password="pw"))
    assert sitemap_paths(client) == anonymous


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_the_sitemap_query_count_does_not_depend_on_the_rows(client, world):
    with queries() as few:
        sitemap_paths(client)
    project = ProjectFactory()
    for _ in range(20):
        MeetingFactory(project=project)
        ParticipationFactory(project=project)
        CommunityFactory(project=project)
    with queries() as many:
        sitemap_paths(client)
    assert len(many) == len(few)


def test_on_the_demo_data_every_listed_page_answers_200(client):
    call_command("load_demo", verbosity=0)
    paths = sitemap_paths(client)
    assert len(paths) > 20
    for path in paths:
        assert client.get(path).status_code == 200, path
