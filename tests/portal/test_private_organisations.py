"""An organisation working only in private projects stays unknown outside them (issue 15).

Search, the profile's organisation choice and the admin's autocomplete all go through
projects.selectors.visible_organisations, the rule the directory already followed.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects.models import Participation
from tests.factories import (
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = "Quietwater Refugee Council"


@pytest.fixture
def world():
    private = ProjectFactory(acronym="HUSHPROJ", slug="hushproj", is_public=False)
    public = ProjectFactory(acronym="OPENPROJ", slug="openproj")
    other = ProjectFactory(acronym="OTHERPROJ", slug="otherproj", is_public=False)
    hidden = OrganisationFactory(name=HIDDEN, city="Quietwater")
    ParticipationFactory(project=private, organisation=hidden)
    shown = OrganisationFactory(name="Quietwater Open Welcome Desk", city="Quietwater")
    ParticipationFactory(project=public, organisation=shown)
    own_coordinator = UserFactory(is_staff=True)
    ProjectRoleFactory(user=own_coordinator, project=private)
    other_coordinator = UserFactory(is_staff=True)
    ProjectRoleFactory(user=other_coordinator, project=other)
    member = UserFactory()
    return {
        "hidden": hidden,
        "shown": shown,
        "own_coordinator": own_coordinator,
        "other_coordinator": other_coordinator,
        "member": member,
    }


def _autocomplete(client) -> set[int]:
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": Participation._meta.app_label,
            "model_name": Participation._meta.model_name,
            "field_name": "organisation",
            "term": "Quietwater",
        },
    )
    assert response.status_code == 200
    return {int(result["id"]) for result in response.json()["results"]}


def test_anonymous_search_does_not_find_a_private_only_organisation(client, world):
    response = client.get(reverse("search:results"), {"q": "Quietwater"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Quietwater Open Welcome Desk" in body
    assert HIDDEN not in body


def test_the_projects_own_coordinator_finds_it_in_search(client, world):
    client.force_login(world["own_coordinator"])
    response = client.get(reverse("search:results"), {"q": "Quietwater"}, HTTP_ACCEPT_LANGUAGE="en")
    assert HIDDEN in response.content.decode()


def test_profile_drop_down_does_not_list_a_private_only_organisation(client, world):
    client.force_login(world["member"])
    response = client.get(reverse("account_profile"))
    assert response.status_code == 200
    choices = set(response.context["form"].fields["organisation"].queryset)
    assert world["shown"] in choices
    assert world["hidden"] not in choices
    assert HIDDEN not in response.content.decode()


def test_profile_keeps_the_persons_current_organisation_selectable(client, world):
    member = world["member"]
    member.organisation = world["hidden"]
    member.save(update_fields=["organisation"])
    client.force_login(member)
    response = client.get(reverse("account_profile"))
    assert world["hidden"] in set(response.context["form"].fields["organisation"].queryset)


def test_profile_lists_it_for_people_of_its_project(client, world):
    client.force_login(world["own_coordinator"])
    response = client.get(reverse("account_profile"))
    assert world["hidden"] in set(response.context["form"].fields["organisation"].queryset)


def test_profile_cannot_pick_a_private_only_organisation_by_id(client, world):
    client.force_login(world["member"])
    response = client.post(
        reverse("account_profile"),
        {
            "first_name": "A",
            "last_name": "B",
            "organisation": world["hidden"].pk,
            "organisation_name": "",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 200  # the form again, with an error
    world["member"].refresh_from_db()
    assert world["member"].organisation_id is None


def test_admin_autocomplete_hides_it_from_a_coordinator_of_another_project(client, world):
    client.force_login(world["other_coordinator"])
    offered = _autocomplete(client)
    assert world["shown"].pk in offered
    assert world["hidden"].pk not in offered


def test_admin_autocomplete_offers_it_to_its_projects_coordinator(client, world):
    client.force_login(world["own_coordinator"])
    assert world["hidden"].pk in _autocomplete(client)


def test_admin_autocomplete_offers_everything_to_the_platform_admin(client, world):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert {world["hidden"].pk, world["shown"].pk} <= _autocomplete(client)


def test_admin_change_page_of_it_is_not_found_for_a_coordinator_of_another_project(client, world):
    client.force_login(world["other_coordinator"])
    response = client.get(reverse("admin:partners_organisation_change", args=[world["hidden"].pk]))
    assert response.status_code in (302, 404)  # the admin redirects an unknown id to its index
