import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_lists_public_projects_only(client):
    from tests.factories import ProjectFactory

    ProjectFactory(acronym="VISIBLE", is_public=True)
    ProjectFactory(acronym="HIDDEN", is_public=False)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "VISIBLE" in body and "HIDDEN" not in body
    assert '<html lang="en">' in body


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_projects(client, django_assert_num_queries):
    from tests.factories import ParticipationFactory, ProjectFactory

    ParticipationFactory(project=ProjectFactory())
    with django_assert_num_queries(1) as one:
        client.get(reverse("home"))
    for _ in range(49):
        ParticipationFactory(project=ProjectFactory())
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("home"))
    assert response.content.decode().count('class="card"') == 50
