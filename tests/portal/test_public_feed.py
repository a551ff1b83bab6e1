"""The public calendar feed of all public meetings (/meetings/calendar.ics) and the feed links on every page."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Community, Meeting
from tests.factories import CommunityFactory, MeetingFactory, ProjectFactory, UserFactory
from tests.query_counts import queries

pytestmark = pytest.mark.django_db


def soon(days: int = 10) -> dict:
    start = timezone.now() + dt.timedelta(days=days)
    return {"starts_at": start, "ends_at": start + dt.timedelta(hours=2)}


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return {str(event["summary"]) for event in icalendar.Calendar.from_ical(response.content).events}


@pytest.fixture
def world():
    project = ProjectFactory(acronym="OPEN", slug="open")
    MeetingFactory(project=project, title="Berlin forum", country="DE", online_link="https://meet.example/r", **soon())
    MeetingFactory(project=project, title="Ravenna forum", country="IT", city="Ravenna", **soon(12))
    MeetingFactory(project=project, title="Partners only", audience=Meeting.Audience.PARTNERS, **soon())
    closed = CommunityFactory(project=project, visibility=Community.Visibility.MEMBERS)
    MeetingFactory(project=project, community=closed, title="Members' round", **soon())
    MeetingFactory(project=ProjectFactory(is_public=False), title="Private kick-off", **soon())
    MeetingFactory(
        project=project,
        title="Long ago",
        starts_at=timezone.now() - dt.timedelta(days=400),
        ends_at=timezone.now() - dt.timedelta(days=400),
    )
    return project


URL = "/meetings/calendar.ics"


def test_the_feed_lists_the_public_meetings_only(client, world):
    assert reverse("calendar:public_ics") == URL
    response = client.get(URL)
    assert titles(response) == {"Berlin forum", "Ravenna forum"}
    assert b"meet.example" not in response.content
    assert response["Cache-Control"] == "public, max-age=300"


def test_a_signed_in_person_gets_the_same_public_feed(client, world):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert titles(client.get(URL)) == {"Berlin forum", "Ravenna forum"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?country=DE", {"Berlin forum"}),
        ("?country=IT", {"Ravenna forum"}),
        ("?project=open&format=in_person", {"Berlin forum", "Ravenna forum"}),
        ("?format=online", set()),
    ],
)
def test_the_feed_filters_like_the_calendar(client, world, query, expected):
    assert titles(client.get(URL + query)) == expected


def test_a_date_range_reaches_into_the_past(client, world):
    start = (timezone.localdate() - dt.timedelta(days=500)).isoformat()
    end = (timezone.localdate() - dt.timedelta(days=300)).isoformat()
    assert titles(client.get(f"{URL}?date_from={start}&date_to={end}")) == {"Long ago"}


def test_bad_filters_are_a_clear_400(client, world):
    response = client.get(URL + "?country=XX&date_from=someday")
    assert response.status_code == 400
    assert "country" in response.content.decode() and "date_from" in response.content.decode()


def test_a_private_project_cannot_be_named_in_the_filter(client, world):
    private = ProjectFactory(is_public=False, slug="hidden")
    MeetingFactory(project=private, **soon())
    assert client.get(URL + "?project=hidden").status_code == 400


def test_the_query_count_does_not_depend_on_the_rows(client, world):
    with queries() as few:
        titles(client.get(URL))
    for n in range(30):
        MeetingFactory(project=world, **soon(n + 1))
    with queries() as many:
        assert len(titles(client.get(URL))) == 32
    assert len(many) == len(few)


# --- Links to the feeds ------------------------------------------------------------------------


def test_every_page_links_the_update_feeds_in_its_head_and_footer(client, world):
    for path in ("/", reverse("catalogue:list"), reverse("legal:imprint")):
        content = client.get(path).content.decode()
        head = content.split("</head>")[0]
        assert f'<link rel="alternate" type="application/rss+xml" href="{reverse("calendar:updates_rss")}"' in head
        assert f'<link rel="alternate" type="application/atom+xml" href="{reverse("calendar:updates_atom")}"' in head
        footer = content.split("<footer")[1]
        assert reverse("calendar:updates_rss") in footer and URL in footer


def test_meeting_and_community_pages_link_their_ics(client, world):
    meeting = world.meetings.get(title="Berlin forum")
    head = client.get(reverse("calendar:meeting", args=[meeting.pk])).content.decode().split("</head>")[0]
    assert f'type="text/calendar" href="{reverse("calendar:meeting_ics", args=[meeting.pk])}"' in head
    community = CommunityFactory(project=world)
    head = client.get(reverse("calendar:community", args=[community.slug])).content.decode().split("</head>")[0]
    assert f'type="text/calendar" href="{reverse("calendar:community_ics", args=[community.slug])}"' in head


def test_the_calendar_page_links_the_feed_with_its_filters(client, world):
    content = client.get(reverse("calendar:list") + "?country=DE").content.decode()
    assert f'href="{URL}?country=DE">' in content.split("</head>")[0]
    assert f'href="{URL}?country=DE" type="text/calendar"' in content.split("<footer")[1]
