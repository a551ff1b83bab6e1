"""The organisation directory: filters, counts of visible projects only, and the cross-project page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partners.models import Organisation
from projects.models import Participation
from tests.factories import (
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    UserFactory,
)
from tests.query_counts import count_queries

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


@pytest.fixture
def world():
    """Org "Hub" in a public and a private project; partners in each; an org only in private."""
    public = ProjectFactory(acronym="OPENPROJ", slug="openproj")
    private = ProjectFactory(acronym="SECRETPROJ", slug="secretproj", is_public=False)
    hub = OrganisationFactory(name="Hub Integration Centre", country="DE", city="Leipzig")
    ParticipationFactory(project=public, organisation=hub, role=Participation.Role.COORDINATOR)
    ParticipationFactory(project=private, organisation=hub, role=Participation.Role.PARTNER)
    ParticipationFactory(
        project=public,
        role=Participation.Role.ASSOCIATED,
        organisation=OrganisationFactory(name="Ravenna Welcome Desk", country="IT", city="Ravenna"),
    )
    hidden = OrganisationFactory(name="Hidden Partner Office", country="ES", city="Valencia")
    ParticipationFactory(project=private, organisation=hidden)
    coordinator = UserFactory()
    ProjectRoleFactory(user=coordinator, project=private)
    return {"public": public, "private": private, "hub": hub, "hidden": hidden, "coordinator": coordinator}


def test_list_shows_visible_counts_and_hides_private_only_organisations(client, world):
    response = client.get(reverse("directory:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hub Integration Centre" in body and "Ravenna Welcome Desk" in body
    assert "Hidden Partner Office" not in body
    rows = {o.name: o.visible_project_count for o in response.context["organisations"]}
    assert rows["Hub Integration Centre"] == 1  # the private project is not counted


def test_coordinator_counts_the_private_project(client, world):
    client.force_login(world["coordinator"])
    rows = {o.name: o.visible_project_count for o in client.get(reverse("directory:list")).context["organisations"]}
    assert rows["Hub Integration Centre"] == 2
    assert rows["Hidden Partner Office"] == 1


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"country": "IT"}, {"Ravenna Welcome Desk"}),
        ({"kind": Organisation.Kind.NGO}, {"Hub Integration Centre", "Ravenna Welcome Desk"}),
        ({"kind": Organisation.Kind.COMPANY}, set()),
        ({"q": "leipzig"}, {"Hub Integration Centre"}),
        ({"q": "welcome"}, {"Ravenna Welcome Desk"}),
        ({"q": "hidden"}, set()),
    ],
)
def test_filters(client, world, query, expected):
    response = client.get(reverse("directory:list"), query)
    assert {o.name for o in response.context["organisations"]} == expected


def test_short_name_is_searched(client, world):
    world["hub"].short_name = "HIC"
    world["hub"].save()
    response = client.get(reverse("directory:list"), {"q": "hic"})
    assert [o.name for o in response.context["organisations"]] == ["Hub Integration Centre"]


def test_pagination_keeps_the_filters(client):
    project = ProjectFactory()
    for _ in range(31):
        ParticipationFactory(project=project, organisation=OrganisationFactory(country="FR"))
    response = client.get(reverse("directory:list"), {"country": "FR"})
    assert len(response.context["organisations"]) == 30
    assert "?country=FR&amp;page=2" in response.content.decode()
    assert len(client.get(reverse("directory:list"), {"country": "FR", "page": 2}).context["organisations"]) == 1


def test_organisation_page_for_a_visitor_never_shows_the_private_project(client, world):
    response = client.get(reverse("directory:detail", args=[world["hub"].pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "OPENPROJ" in body and "SECRETPROJ" not in body
    assert "Hidden Partner Office" not in body
    participations = response.context["participations"]
    assert [p.project.acronym for p in participations] == ["OPENPROJ"]
    assert participations[0].get_role_display() in body
    met = participations[0].project.partners_met
    assert [(p.organisation.name, p.organisation.country.code) for p in met] == [("Ravenna Welcome Desk", "IT")]
    assert "Italy" in body
    assert "/projects/openproj/" in body


def test_outsider_with_another_role_does_not_see_the_private_project(client, world):
    outsider = UserFactory()
    ProjectRoleFactory(user=outsider, project=ProjectFactory(is_public=False))
    client.force_login(outsider)
    body = client.get(reverse("directory:detail", args=[world["hub"].pk])).content.decode()
    assert "SECRETPROJ" not in body and "Hidden Partner Office" not in body


def test_coordinator_sees_the_private_project_with_its_partners(client, world):
    client.force_login(world["coordinator"])
    response = client.get(reverse("directory:detail", args=[world["hub"].pk]))
    body = response.content.decode()
    assert "SECRETPROJ" in body and "Hidden Partner Office" in body
    assert {p.project.acronym: p.get_role_display() for p in response.context["participations"]} == {
        "OPENPROJ": "Coordinator / lead partner",
        "SECRETPROJ": "Partner",
    }


def test_organisation_only_in_private_projects_is_404_to_outsiders(client, world):
    url = reverse("directory:detail", args=[world["hidden"].pk])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(world["coordinator"])
    assert client.get(url).status_code == 200
    assert client.get(reverse("directory:detail", args=[999999])).status_code == 404


def test_period_uses_joined_and_left_or_project_dates(client, world):
    import datetime as dt

    participation = Participation.objects.get(project=world["public"], organisation=world["hub"])
    participation.joined_on, participation.left_on = dt.date(2025, 3, 1), dt.date(2026, 6, 30)
    participation.save()
    body = client.get(reverse("directory:detail", args=[world["hub"].pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "March 1, 2025" in body and "June 30, 2026" in body


@pytest.mark.parametrize("logged_in", [False, True])
def test_query_counts_do_not_grow_with_rows(client, logged_in):
    user = UserFactory()
    if logged_in:
        client.force_login(user)
    hub = OrganisationFactory(name="Aaa Hub")
    first = ProjectFactory()
    ParticipationFactory(project=first, organisation=hub)
    ParticipationFactory(project=first)
    list_url, detail_url = reverse("directory:list"), reverse("directory:detail", args=[hub.pk])
    few = (count_queries(client, list_url), count_queries(client, detail_url))
    for _ in range(49):
        project = ProjectFactory()
        if logged_in:
            ProjectRoleFactory(user=user, project=project)
        ParticipationFactory(project=project, organisation=hub)
        ParticipationFactory(project=project)
        ParticipationFactory(project=project)
    many = (count_queries(client, list_url), count_queries(client, detail_url))
    assert few == many
    assert max(many) <= MAX_QUERIES


def test_german_rendering(client, world):
    for url in (reverse("directory:list"), reverse("directory:detail", args=[world["hub"].pk])):
        body = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
        assert '<html lang="de">' in body
