"""The home page: running public projects, upcoming public meetings and the latest updates."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Meeting
from portal.catalogue.selectors import HOME_PROJECTS
from tests.factories import (
    MeetingFactory,
    ParticipationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    UpdateFactory,
)
from tests.query_counts import queries

pytestmark = pytest.mark.django_db


def running(**kwargs):
    today = timezone.localdate()
    return ProjectFactory(start_date=today - dt.timedelta(days=100), end_date=today + dt.timedelta(days=100), **kwargs)


def test_home_lists_running_public_projects_only(client):
    running(acronym="VISIBLE")
    running(acronym="HIDDEN", is_public=False)
    ProjectFactory(acronym="LONG-GONE", start_date=dt.date(2015, 1, 1), end_date=dt.date(2016, 1, 1))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "VISIBLE" in body and "HIDDEN" not in body and "LONG-GONE" not in body
    assert '<html lang="en">' in body
    assert reverse("catalogue:list") in body


def test_home_shows_next_six_public_scheduled_meetings(client):
    now = timezone.now()
    project = running()
    for day in range(1, 9):
        MeetingFactory(project=project, title=f"Workshop {day}", starts_at=now + dt.timedelta(days=day))
    MeetingFactory(project=project, title="Already over", starts_at=now - dt.timedelta(days=1))
    MeetingFactory(
        project=project, title="Called off", starts_at=now + dt.timedelta(hours=1), status=Meeting.Status.CANCELLED
    )
    MeetingFactory(
        project=project,
        title="Partners only",
        starts_at=now + dt.timedelta(hours=2),
        audience=Meeting.Audience.PARTNERS,
    )
    MeetingFactory(project=running(is_public=False), title="Private project", starts_at=now + dt.timedelta(hours=3))
    response = client.get(reverse("home"))
    assert [m.title for m in response.context["meetings"]] == [f"Workshop {day}" for day in range(1, 7)]


def test_home_partner_meetings_visible_to_the_consortium(client):
    project = running()
    MeetingFactory(
        project=project,
        title="Partners only",
        starts_at=timezone.now() + dt.timedelta(days=2),
        audience=Meeting.Audience.PARTNERS,
    )
    client.force_login(ProjectRoleFactory(project=project).user)
    assert "Partners only" in client.get(reverse("home")).content.decode()


def test_home_shows_latest_five_public_updates(client):
    project = running()
    for month in range(1, 8):
        UpdateFactory(project=project, title=f"News {month}", published_on=dt.date(2025, month, 1))
    UpdateFactory(project=project, title="Internal note", published_on=dt.date(2025, 12, 1), is_public=False)
    UpdateFactory(project=running(is_public=False), title="Private project news", published_on=dt.date(2025, 12, 2))
    response = client.get(reverse("home"))
    assert [u.title for u in response.context["updates"]] == [f"News {m}" for m in (7, 6, 5, 4, 3)]


def test_home_query_count_does_not_grow(client, django_assert_num_queries):
    def make() -> None:
        project = running()
        ParticipationFactory(project=project)
        MeetingFactory(project=project, starts_at=timezone.now() + dt.timedelta(days=3))
        UpdateFactory(project=project)

    make()
    with queries() as one:
        client.get(reverse("home"))
    assert len(one.captured_queries) == 3  # projects, meetings, updates
    for _ in range(49):
        make()
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("home"))
    assert response.content.decode().count('class="card"') == HOME_PROJECTS


def test_home_shows_the_newest_running_projects_and_links_to_all(client):
    """The home page stays the same size however many projects run; the catalogue has them all."""
    today = timezone.localdate()
    for n in range(HOME_PROJECTS + 3):
        ProjectFactory(
            acronym=f"RUN-{n:02d}",
            start_date=today - dt.timedelta(days=100 + n),
            end_date=today + dt.timedelta(days=100),
        )
    response = client.get(reverse("home"))
    shown = [project.acronym for project in response.context["projects"]]
    assert shown == [f"RUN-{n:02d}" for n in range(HOME_PROJECTS)]
    assert f'href="{reverse("catalogue:list")}"' in response.content.decode()


def test_home_in_german(client):
    running(acronym="TEILHABE")
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="de">' in body and "TEILHABE" in body
